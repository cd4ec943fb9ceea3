/**
 * The three URLs of a run file, as W&B hands them out:
 * - `url`: `<api>/files/<entity>/<project>/<run>/<name>` on the API origin; needs the API key;
 * - `directUrl`: `<storage>/blob/<md5>?expires&sig`, signed and time-limited, no credentials;
 * - upload URL: `<storage>/upload/<entity>/<project>/<run>/<name>?expires&sig`, a signed PUT.
 * The origins are known only once both ports listen, hence `setOrigins`.
 */
import { UserInputError } from '../errors';
import type { UrlSigner } from './signing';

/** What W&B's storage expects with every upload PUT (our storage origin checks it). */
export const UPLOAD_HEADERS = ['Content-Type:application/octet-stream'] as const;

export interface RunFilePath {
  entity: string;
  project: string;
  run: string;
  name: string;
}

const segment = (s: string): string => encodeURIComponent(s);
const encodeName = (name: string): string => name.split('/').map(segment).join('/');

/** Refuses names a URL or a file system would reinterpret: empty, absolute, or with `.`/`..` segments. */
export function checkFileName(name: string): void {
  const parts = name.split('/');
  if (name === '' || name.startsWith('/') || name.includes('\\') || parts.some((p) => p === '.' || p === '..')) {
    throw new UserInputError(`invalid file name ${JSON.stringify(name)}: use a relative path without '.' or '..' segments`);
  }
}

export class FileLinks {
  private apiUrl = '';
  private storageUrl = '';

  constructor(
    readonly signer: UrlSigner,
    /** How long signed URLs stay valid (negative: already expired, for tests). */
    readonly ttlMs: number,
  ) {}

  setOrigins(apiUrl: string, storageUrl: string): void {
    this.apiUrl = apiUrl;
    this.storageUrl = storageUrl;
  }

  /** The API origin (no trailing slash); artifact file URLs are built under it. */
  get apiOrigin(): string {
    return this.apiUrl;
  }

  /** The storage origin (no trailing slash). */
  get storageOrigin(): string {
    return this.storageUrl;
  }

  /** A signed, time-limited GET URL for `path` on the storage origin (artifact manifests). */
  signedGet(path: string): string {
    return `${this.storageUrl}${path}?${this.signer.query('GET', path, this.ttlMs)}`;
  }

  url(f: RunFilePath): string {
    return `${this.apiUrl}/files/${segment(f.entity)}/${segment(f.project)}/${segment(f.run)}/${encodeName(f.name)}`;
  }

  directUrl(md5Hex: string): string {
    const path = `/blob/${md5Hex}`;
    return `${this.storageUrl}${path}?${this.signer.query('GET', path, this.ttlMs)}`;
  }

  uploadUrl(f: RunFilePath): string {
    const path = `/upload/${segment(f.entity)}/${segment(f.project)}/${segment(f.run)}/${encodeName(f.name)}`;
    return `${this.storageUrl}${path}?${this.signer.query('PUT', path, this.ttlMs)}`;
  }
}

/** Reads `<entity>/<project>/<run>/<name…>` (percent-encoded segments); undefined when malformed. */
export function parseRunFilePath(rest: string): RunFilePath | undefined {
  let parts: string[];
  try {
    parts = rest.split('/').map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (parts.length < 4 || parts.slice(0, 3).some((p) => p === '')) return undefined;
  const [entity, project, run, ...name] = parts as [string, string, string, ...string[]];
  return { entity, project, run, name: name.join('/') };
}
