/**
 * The three URLs of a run file, as W&B hands them out:
 * - `url`: `<api>/files/<entity>/<project>/<run>/<name>` on the API origin; needs the API key;
 * - `directUrl`: `<storage>/blob/<md5>?expires&sig`, signed and time-limited, no credentials;
 * - upload URL: `<storage>/upload/<entity>/<project>/<run>/<name>?expires&sig`, a signed PUT.
 * `<api>` and `<storage>` are where the client can reach the two origins (see publicUrl.ts): each
 * request gets its own FileLinks (`forApiRequest`, `forStorageRequest`). The storage base is, in
 * order: the configured public storage URL; the storage port on the host the client used, when it
 * reached the API port directly; else, behind a proxy, `<api>/storage` — the API origin serves the
 * storage routes there too, so one proxied origin is enough.
 */
import { UserInputError } from '../errors';
import type { IncomingMessage } from 'node:http';
import { requestBase, STORAGE_MOUNT } from './publicUrl';
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

/** Where clients reach the server, when a proxy stands in front (StartServerOptions.publicUrl, publicStorageUrl). */
export interface PublicUrls {
  /** The API origin's public base URL, e.g. `https://wandb.example.com`. */
  api?: string | undefined;
  /** The storage origin's public base URL; default `<api>/storage` behind a proxy. */
  storage?: string | undefined;
}

export class FileLinks {
  private apiUrl = '';
  private storageUrl = '';

  constructor(
    readonly signer: UrlSigner,
    /** How long signed URLs stay valid (negative: already expired, for tests). */
    readonly ttlMs: number,
    private readonly publicUrls: PublicUrls = {},
  ) {}

  /** Sets the addresses both origins listen on (known only once both ports listen). */
  setOrigins(apiUrl: string, storageUrl: string): void {
    this.apiUrl = apiUrl;
    this.storageUrl = storageUrl;
  }

  /** The links for answering a request on the API origin. */
  forApiRequest(req: IncomingMessage): FileLinks {
    const reached = requestBase(req, this.apiUrl);
    const api = this.publicUrls.api ?? reached.base;
    let storage = this.publicUrls.storage;
    if (storage === undefined) {
      storage = this.publicUrls.api === undefined && !reached.proxied ? `http://${reached.hostname}:${new URL(this.storageUrl).port}` : `${api}${STORAGE_MOUNT}`;
    }
    return this.at(api, storage);
  }

  /** The links for answering a request for storage routes: on the storage port, or `mounted` under the API origin. */
  forStorageRequest(req: IncomingMessage, mounted: boolean): FileLinks {
    if (mounted) return this.forApiRequest(req);
    return this.at(this.apiUrl, this.publicUrls.storage ?? requestBase(req, this.storageUrl).base);
  }

  private at(apiUrl: string, storageUrl: string): FileLinks {
    const links = new FileLinks(this.signer, this.ttlMs, this.publicUrls);
    links.setOrigins(apiUrl, storageUrl);
    return links;
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
