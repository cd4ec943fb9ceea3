// The browser-safe half of artifact downloads: options, which entries can be fetched and how
// (stored files through signed URLs asked for in batches, http(s) references without W&B
// credentials), bodies read by core's request loop (`openStream`), digest checks, and
// `artifactFileStream` for runtimes without a file system. Writing to disk is in download.node.ts.
import {
  type BodyStream,
  type CallOptions,
  ChecksumError,
  ConnectionError,
  HTTPError,
  NotFoundError,
  PermissionError,
  UnsupportedError,
  ValidationError,
  WandbError,
  type WandbClient,
  openStream,
} from '@wandb-api/core';
import type { Artifact, ArtifactRef } from './artifact.js';
import { artifactFileUrls } from './artifactFiles.js';
import type { ManifestEntry } from './manifest.js';
import { bytesToBase64, bytesToHex } from './encoding.js';

/** Progress of a download, reported as bytes arrive and files complete. */
export interface DownloadProgress {
  /** Bytes received or found already in place. */
  readonly bytes: number;
  /** Files written or found already in place (references included). */
  readonly files: number;
  /** Bytes of every selected entry with a known size. */
  readonly totalBytes: number;
  /** Every selected entry, references included. */
  readonly totalFiles: number;
}

/** Options of `downloadArtifact` (Python's `artifact.download(...)`). */
export interface DownloadArtifactOptions extends CallOptions {
  /** Target folder. Default `$WANDB_ARTIFACT_DIR/<sourceName>` or `./artifacts/<sourceName>`. */
  root?: string;
  /** Only entries whose path starts with this string (a plain prefix: `data` also matches `data2/x`). */
  pathPrefix?: string;
  /** Skip references that cannot be fetched (unknown scheme, 404) with a warning instead of failing. Default false. */
  allowMissingReferences?: boolean;
  /** Files downloaded at once. Default 32 (Python's pool size). */
  concurrency?: number;
  /** Called as bytes arrive and files complete. */
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Accepted for Python parity. This SDK keeps no shared file cache: every file goes to a temp file
   * in its target folder and is renamed into place (what Python does with `skip_cache=True`).
   */
  skipCache?: boolean;
  /** Files of at least this many bytes are fetched as parallel byte ranges. Default 1 GiB. */
  rangeThreshold?: number;
  /** Bytes per range request. Default 100 MiB. */
  partSize?: number;
  /** Paths per file-URL request. Default 5000 (Python's WANDB_ARTIFACT_FETCH_FILE_URL_BATCH_SIZE). */
  batchSize?: number;
}

/** Options of `downloadArtifactFile`. */
export type DownloadArtifactFileOptions = Omit<DownloadArtifactOptions, 'pathPrefix'>;

/** What `verifyArtifact` checked. */
export interface VerifyArtifactResult {
  /** Stored files whose size and MD5 match. */
  readonly files: number;
  /** Bytes of those files. */
  readonly bytes: number;
  /** Reference entries (not checked, as in Python). */
  readonly skippedReferences: number;
}

/** What the download functions need of an artifact (an `Artifact` from getArtifact works). */
export type DownloadableArtifact = ArtifactRef & Partial<Pick<Artifact, 'digest'>>;

/** Files downloaded at once by default (Python's pool size). */
export const DEFAULT_CONCURRENCY = 32;
/** Files of at least this many bytes are fetched as parallel ranges by default (1 GiB). */
export const DEFAULT_RANGE_THRESHOLD = 1_073_741_824; // 2 ** 30, as a literal: esbuild keeps an unused `**` expression
/** Bytes per range request by default (100 MiB). */
export const DEFAULT_PART_SIZE = 104_857_600; // 100 * 2 ** 20

/**
 * Reads a positive integer option (or its default), else ValidationError before any request.
 * @example positiveInteger('concurrency', options.concurrency, DEFAULT_CONCURRENCY) // 32 when unset
 */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(Number.isInteger(value) || value === Infinity) || value < 1) {
    throw new ValidationError(`${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * The URL scheme of a reference entry (`https`, `s3` …), lowercased; null for a stored file.
 * @example referenceScheme({ ref: 's3://bucket/mnist/train.csv' }) // 's3'
 */
export function referenceScheme(entry: Pick<ManifestEntry, 'ref'>): string | null {
  if (entry.ref === null) return null;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(entry.ref);
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * Whether this SDK can fetch an entry: stored files and http(s) references.
 * @example isFetchable({ ref: null }) // true; isFetchable({ ref: 's3://bucket/x' }) // false
 */
export function isFetchable(entry: Pick<ManifestEntry, 'ref'>): boolean {
  const scheme = referenceScheme(entry);
  return scheme === null || scheme === 'http' || scheme === 'https';
}

/**
 * The error for a reference this SDK cannot fetch (Python's "scheme … not recognized").
 * @example if (!isFetchable(entry)) throw unsupportedReference(entry);
 */
export function unsupportedReference(entry: ManifestEntry): UnsupportedError {
  return new UnsupportedError(
    `Cannot download file at path ${entry.path}: reference ${entry.ref} has a scheme this SDK does not fetch ` +
      '(only http and https); pass allowMissingReferences to skip it.',
  );
}

/**
 * An error that means "the referenced object is missing" (what allowMissingReferences forgives).
 * @example if (options.allowMissingReferences && isMissingReference(error)) logger.warn(error.message);
 */
export function isMissingReference(error: unknown): boolean {
  return error instanceof UnsupportedError || error instanceof NotFoundError || (error instanceof HTTPError && error.status === 410);
}

/**
 * Signed URLs of stored entries, asked for in batches (never one request per file), and a fresh
 * URL for one path when a signed URL expired (403) or its bytes failed the checksum.
 * @example const urls = new EntryUrls(client, artifact, 5000);
 */
export class EntryUrls {
  readonly #client: WandbClient;
  readonly #artifact: ArtifactRef;
  readonly #batchSize: number | undefined;

  constructor(client: WandbClient, artifact: ArtifactRef, batchSize?: number) {
    this.#client = client;
    this.#artifact = artifact;
    this.#batchSize = batchSize;
  }

  /**
   * The entries with their signed URLs, one batch request per `batchSize` entries, read lazily.
   * An entry the server does not list is a NotFoundError once the batches are done.
   */
  async *resolve(entries: readonly ManifestEntry[], options: CallOptions = {}): AsyncGenerator<{ entry: ManifestEntry; url: string }> {
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const seen = new Set<string>();
    const batches = artifactFileUrls(this.#client, this.#artifact, entries, { ...options, ...(this.#batchSize ? { batchSize: this.#batchSize } : {}) });
    for await (const batch of batches) {
      for (const { path, directUrl } of batch) {
        const entry = byPath.get(path);
        if (!entry || seen.has(path)) continue;
        seen.add(path);
        yield { entry, url: directUrl };
      }
    }
    const missing = entries.filter((e) => !seen.has(e.path));
    if (missing.length > 0) {
      const names = missing.slice(0, 5).map((e) => e.path).join(', ');
      throw new NotFoundError(`The server lists no file for ${missing.length} entries of ${this.#artifact.name} (${names}${missing.length > 5 ? ', …' : ''}).`, {
        status: 404,
      });
    }
  }

  /** A fresh signed URL for one path (one request). */
  refresh(path: string, options: CallOptions = {}): Promise<string> {
    return signedEntryUrl(this.#client, this.#artifact, path, options);
  }
}

/**
 * A fresh signed URL for one stored entry (one request). A function of its own, not only an
 * EntryUrls method, so a single-file stream does not carry the batched resolver.
 * @example const url = await signedEntryUrl(client, artifact, 'train/0001.png');
 */
async function signedEntryUrl(client: WandbClient, artifact: ArtifactRef, path: string, options: CallOptions = {}): Promise<string> {
  for await (const batch of artifactFileUrls(client, artifact, [{ path }], options)) {
    const found = batch.find((u) => u.path === path);
    if (found) return found.directUrl;
  }
  throw new NotFoundError(`The server lists no file ${path} in ${artifact.name}.`, { status: 404 });
}

/**
 * GETs an entry's bytes through the request loop (retries, timeouts, typed errors: 403 →
 * PermissionError, 404 → NotFoundError; a body that breaks off is resumed with Range): a stored
 * file from its signed URL, which never gets W&B credentials (they go only under the API base
 * URL), and an http(s) reference from its own URL with no W&B headers at all, even when it lives
 * on the W&B host. Resolves with the headers; the chunks follow as the body is iterated.
 * @example for await (const chunk of await requestEntry(client, entry, directUrl, { signal })) md5.update(chunk);
 */
export function requestEntry(client: WandbClient, entry: ManifestEntry, url: string, options: CallOptions = {}, headers?: HeadersInit): Promise<BodyStream> {
  return openStream(client, url, { method: 'GET', ...(headers && { headers }) }, { ...options, anonymous: entry.ref !== null });
}

/** What the bytes of an entry must look like. */
export interface EntryCheck {
  /** 'md5-base64' for stored files (and references with such a digest); 'etag' for references (an MD5-shaped one is checked against the bytes, another compared with the response ETag); 'none' when only the size can be checked. */
  readonly kind: 'md5-base64' | 'etag' | 'none';
  /** The expected base64 MD5 or ETag (unquoted); unused for 'none'. */
  readonly digest: string;
  /** The expected byte count; null when the manifest does not say. */
  readonly size: number | null;
}

const BASE64_MD5 = /^[A-Za-z0-9+/]{22}==$/;

/**
 * How to check an entry's bytes: stored files by base64 MD5 and size; references by their ETag
 * (the digest is the ETag without quotes; a hex MD5 one is checked against the bytes, not only
 * against the response's ETag) unless the digest is a base64 MD5 or just the URI itself
 * (unchecksummed reference: size only).
 * @example entryCheck(entry) // { kind: 'md5-base64', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 12 }
 */
export function entryCheck(entry: ManifestEntry): EntryCheck {
  if (entry.ref === null || BASE64_MD5.test(entry.digest)) return { kind: 'md5-base64', digest: entry.digest, size: entry.size };
  if (entry.digest === entry.ref) return { kind: 'none', digest: entry.digest, size: entry.size };
  return { kind: 'etag', digest: entry.digest, size: entry.size };
}

/**
 * Compares what arrived with an entry's check; throws ChecksumError naming the entry. `md5` is the
 * 16-byte digest of the bytes, `etag` the response header (quotes are stripped here).
 * @example assertEntryBytes(entry, { size: received, md5: md5.digest(), etag: response.headers.get('etag') });
 */
export function assertEntryBytes(entry: ManifestEntry, actual: { size: number; md5: Uint8Array | null; etag?: string | null }): void {
  const check = entryCheck(entry);
  const md5 = actual.md5 ? bytesToBase64(actual.md5) : null;
  const sizeOk = check.size === null || check.size === actual.size;
  let digestOk = true;
  let actualDigest: string | null = md5;
  if (check.kind === 'md5-base64') digestOk = md5 === check.digest;
  else if (check.kind === 'etag') {
    // An MD5-shaped ETag (a single-part upload) is checked against the bytes, never trusted as sent;
    // any other (multipart `-N`, a server's own tag) can only be compared with the response's.
    actualDigest = /^[\da-f]{32}$/.test(check.digest) ? actual.md5 && bytesToHex(actual.md5) : (actual.etag?.replace(/^W\/|"/g, '') ?? null);
    digestOk = actualDigest === check.digest;
  }
  if (sizeOk && digestOk) return;
  const what = check.kind === 'etag' ? 'ETag' : 'MD5';
  throw new ChecksumError(
    `Checksum mismatch for ${entry.path}: expected ${check.size ?? '?'} bytes with ${what} ${check.digest}, got ${actual.size} bytes with ${what} ${actualDigest ?? '?'}.`,
    { path: entry.path, expectedDigest: check.digest, actualDigest, expectedSize: check.size, actualSize: actual.size },
  );
}

/** Options of `artifactFileStream`. */
export interface ArtifactFileStreamOptions extends CallOptions {
  /** Needed for a stored file without `directUrl`: its signed URL is asked for (one request). */
  artifact?: ArtifactRef;
}

/** A manifest entry, with the signed URL of a stored file when the caller has it (from `artifactFileUrls`). */
export type StreamableEntry = ManifestEntry & {
  /** The signed storage URL of a stored file, from `artifactFileUrls` (saves one request). */
  readonly directUrl?: string | null;
};

/**
 * The bytes of one entry as a stream, for runtimes without a file system (browsers, edge). The
 * stream is checked as it flows: when the size or MD5 (ETag for references) does not match the
 * entry, it errors with a ChecksumError instead of closing, so a consumer that reads to the end
 * never mistakes bad bytes for good ones. A stored file's expired signed URL (403) is refreshed
 * once when `artifact` is given. References other than http(s) are an UnsupportedError.
 * @example
 * const entry = await getEntry(client, artifact, 'labels.json');
 * const text = await new Response(await artifactFileStream(client, entry, { artifact })).text();
 */
export async function artifactFileStream(client: WandbClient, entry: StreamableEntry, options: ArtifactFileStreamOptions = {}): Promise<ReadableStream<Uint8Array>> {
  if (!entry || typeof entry.path !== 'string' || typeof entry.digest !== 'string') throw new ValidationError('entry must be a manifest entry.');
  if (!isFetchable(entry)) throw unsupportedReference(entry);
  const { artifact } = options;
  // The pure-TS MD5 loads while the request is in flight: bundles that never stream leave it out.
  // (Awaited below; until then a failed load must not count as unhandled.)
  const hasher = import('./md5.js');
  hasher.catch(() => {});
  let url = entry.ref ?? entry.directUrl ?? (artifact ? await signedEntryUrl(client, artifact, entry.path, options) : undefined);
  if (!url) throw new ValidationError(`Entry ${entry.path} has no directUrl: pass options.artifact so its signed URL can be fetched.`);
  let response: BodyStream;
  try {
    response = await requestEntry(client, entry, url, options);
  } catch (error) {
    if (!(error instanceof PermissionError && entry.ref === null && artifact)) throw error;
    url = await signedEntryUrl(client, artifact, entry.path, options);
    response = await requestEntry(client, entry, url, options);
  }
  const etag = response.headers.get('etag');
  const chunks = response[Symbol.asyncIterator]();
  const md5 = new (await hasher).Md5();
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) {
          assertEntryBytes(entry, { size, md5: md5.digest(), etag });
          controller.close();
          return;
        }
        md5.update(next.value);
        size += next.value.length;
        controller.enqueue(next.value);
      } catch (error) {
        controller.error(error instanceof WandbError ? error : new ConnectionError(String(error), { cause: error }));
      }
    },
    async cancel() {
      await response.cancel();
    },
  });
}
