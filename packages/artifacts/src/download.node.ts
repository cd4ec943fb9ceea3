// Artifact downloads to a folder (Node only): the manifest once, entry paths checked before any
// byte is written (no `..`, no symbolic link under root), files already in place with the right MD5
// skipped, signed URLs for the rest in batches, a bounded pool of downloads each streamed to a temp
// file in its target folder, checked (size + base64 MD5) and renamed into place. Large files come
// in parallel byte ranges.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  AbortError,
  type BodyStream,
  type CallOptions,
  ChecksumError,
  PermissionError,
  ConnectionError,
  type DownloadTemp,
  ValidationError,
  type WandbClient,
  assertNoSymlinks,
  downloadTempPath,
  openDownloadTemp,
  removeStaleTemps,
  symlinkError,
  writeDownload,
} from '@wandb-api/core';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PART_SIZE,
  DEFAULT_RANGE_THRESHOLD,
  type DownloadArtifactFileOptions,
  type DownloadArtifactOptions,
  type DownloadProgress,
  type DownloadableArtifact,
  EntryUrls,
  assertEntryBytes,
  entryCheck,
  isFetchable,
  isMissingReference,
  positiveInteger,
  requestEntry,
  unsupportedReference,
  type VerifyArtifactResult,
} from './download.js';
import { entryPathSegments } from './entryPath.js';
import { type ArtifactManifest, type ManifestEntry, computeManifestDigest, getEntry, getManifest } from './manifest.js';
import { WorkerFile, workerFileDigest, writeIfMd5 } from './md5Worker.node.js';
import { runPool } from './pool.js';

/** Existing files at least this large are hashed on an MD5 worker thread, not inline on the event loop. */
const WORKER_HASH_BYTES = 8 * 2 ** 20;
/** Files up to this size are read into memory and checked before anything is written (fetchSmall). */
const SMALL_FILE_BYTES = 2 ** 20;

/** Where writeBody puts a body's chunks (it may move a chunk's buffer away). */
interface ChunkSink {
  write(chunk: Uint8Array): Promise<void>;
}

/** How many bytes of a body may wait for the disk before reading it pauses. */
const WRITE_AHEAD_BYTES = 8 * 2 ** 20;

/**
 * Writes a body's chunks at consecutive positions of a file: one write in flight, the chunks that
 * arrive meanwhile gathered into the next (one writev), so the body is read on while the disk
 * writes; `write` waits only when WRITE_AHEAD_BYTES are waiting.
 */
class PositionedWriter implements ChunkSink {
  #waiting: Uint8Array[] = [];
  #waitingBytes = 0;
  #flushing: Promise<void> | undefined;
  #error: { error: unknown } | undefined;
  #drained: (() => void) | undefined;

  constructor(
    private readonly file: FileHandle,
    private position: number,
  ) {}

  /** Queues a chunk; resolves at once unless too many bytes wait for the disk. */
  async write(chunk: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    this.#waiting.push(chunk);
    this.#waitingBytes += chunk.length;
    this.#flushing ??= this.#flush();
    if (this.#waitingBytes >= WRITE_AHEAD_BYTES) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#error) throw this.#error.error;
  }

  async #flush(): Promise<void> {
    try {
      while (this.#waiting.length) {
        const batch = this.#waiting;
        const bytes = this.#waitingBytes;
        this.#waiting = [];
        this.#waitingBytes = 0;
        this.#drained?.();
        const { bytesWritten } = await this.file.writev(batch, this.position);
        // A short write (a full disk) is finished or fails with the disk's error.
        if (bytesWritten < bytes) {
          const rest = Buffer.concat(batch).subarray(bytesWritten);
          for (let done = 0; done < rest.length; ) done += (await this.file.write(rest, done, rest.length - done, this.position + bytesWritten + done)).bytesWritten;
        }
        this.position += bytes;
      }
    } catch (error) {
      this.#error = { error };
      this.#drained?.();
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Waits for every queued byte to be on disk (throws the disk's error). */
  async end(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#throwIfFailed();
  }
}

/** A selected entry and where it goes. */
interface Target {
  readonly entry: ManifestEntry;
  readonly dest: string;
}

/** One download run: settings, URL source, progress counters, the folders it writes to. */
interface Job {
  readonly client: WandbClient;
  /** The download root; nothing under it may be a symbolic link. */
  readonly root: string;
  /** Folders under root found to be no symbolic link. */
  readonly safeFolders: Set<string>;
  /** Folders made ready (created, checked, stale temp files removed), once each. */
  readonly readyFolders: Map<string, Promise<void>>;
  readonly urls: EntryUrls;
  readonly concurrency: number;
  readonly rangeThreshold: number;
  readonly partSize: number;
  readonly allowMissingReferences: boolean;
  readonly progress: { bytes: number; files: number; totalBytes: number; totalFiles: number };
  readonly onProgress: ((progress: DownloadProgress) => void) | undefined;
}

const report = (job: Job) => job.onProgress?.({ ...job.progress });

/** The default root: `$WANDB_ARTIFACT_DIR/<sourceName>` (else `./artifacts/…`), absolute; `:` → `-` on Windows. */
function defaultRoot(name: string): string {
  const safe = process.platform === 'win32' ? name.replace(/:/g, '-') : name;
  return resolve(process.env.WANDB_ARTIFACT_DIR || 'artifacts', safe);
}

/** The manifest must be the one the server committed: its recomputed digest equals the artifact's. */
async function checkManifestDigest(artifact: DownloadableArtifact, manifest: ArtifactManifest): Promise<void> {
  if (!artifact.digest) return;
  const digest = await computeManifestDigest(manifest);
  if (digest !== artifact.digest) {
    throw new ChecksumError(`The manifest of ${artifact.name} has digest ${digest}, but the artifact's digest is ${artifact.digest}.`, {
      path: '',
      expectedDigest: artifact.digest,
      actualDigest: digest,
    });
  }
}

/**
 * Destinations of entries under root; every path is checked first (a bad one refuses the whole
 * download before any byte is written), as are two entries landing on one file, or a file where
 * another entry needs a folder.
 */
function targetsFor(root: string, entries: readonly ManifestEntry[]): Target[] {
  const files = new Set<string>();
  const folders = new Set<string>();
  const targets = entries.map((entry) => {
    const segments = entryPathSegments(entry.path);
    const key = segments.join('/');
    if (files.has(key)) throw new ValidationError(`Invalid artifact path: two entries are written to ${key}.`);
    files.add(key);
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
    return { entry, dest: join(root, ...segments) };
  });
  for (const key of files) if (folders.has(key)) throw new ValidationError(`Invalid artifact path: ${key} is both a file and a folder.`);
  return targets;
}

/** Base64 MD5 and size of a local file, or null when there is no regular file there. */
async function fileDigest(path: string, signal?: AbortSignal): Promise<{ digest: string; size: number } | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  if (info.size >= WORKER_HASH_BYTES) return workerFileDigest(path);
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: hash.digest('base64'), size };
}

/** Whether the destination already holds exactly this entry's bytes (only checkable for MD5 digests). */
async function alreadyInPlace(target: Target, signal?: AbortSignal): Promise<boolean> {
  const check = entryCheck(target.entry);
  if (check.kind !== 'md5-base64') return false;
  const info = await lstat(target.dest).catch(() => null);
  if (!info?.isFile() || (check.size !== null && info.size !== check.size)) return false;
  return (await fileDigest(target.dest, signal))?.digest === check.digest;
}

/**
 * Creates a destination folder once per download: no symbolic link on the way from root (checked
 * again after mkdir, which would have followed one), and temp files of dead downloads removed.
 */
function readyFolder(job: Job, dir: string): Promise<void> {
  let ready = job.readyFolders.get(dir);
  if (!ready) {
    ready = (async () => {
      await mkdir(dir, { recursive: true });
      await assertNoSymlinks(job.root, dir, job.safeFolders);
      await removeStaleTemps(dir);
    })();
    job.readyFolders.set(dir, ready);
  }
  return ready;
}

/** Bytes counted into the progress by one attempt (taken back when the attempt fails). */
interface Tally {
  bytes: number;
}

/** Streams one response body into `sink`, counting its bytes into the progress; returns how many there were. */
async function writeBody(job: Job, tally: Tally, response: BodyStream, sink: ChunkSink, signal: AbortSignal): Promise<number> {
  let written = 0;
  for await (const chunk of response) {
    // Read first: the sink may move the chunk's buffer to a worker.
    const { length } = chunk;
    await sink.write(chunk);
    // After an abort the attempt is being thrown away: report nothing more.
    if (signal.aborted) throw new AbortError('The operation was aborted.', { cause: signal.reason });
    written += length;
    tally.bytes += length;
    job.progress.bytes += length;
    report(job);
  }
  return written;
}

/** Streams one response body into `file` at `position`, reading on while the disk writes; returns the bytes written. */
async function writeRange(job: Job, tally: Tally, response: BodyStream, file: FileHandle, position: number, signal: AbortSignal): Promise<number> {
  const writer = new PositionedWriter(file, position);
  let written: number;
  try {
    written = await writeBody(job, tally, response, writer, signal);
  } catch (error) {
    // Every write settles before the caller closes the file and removes it.
    await writer.end().catch(() => {});
    throw error;
  }
  await writer.end();
  return written;
}

/** Holds an entry's current URL; concurrent 403s (expired signature) share one refresh. */
class UrlHolder {
  #url: string;
  #refreshing: Promise<string> | undefined;
  refreshes = 0;

  constructor(
    readonly job: Job,
    readonly entry: ManifestEntry,
    url: string,
  ) {
    this.#url = url;
  }

  get url(): string {
    return this.#url;
  }

  /** A fresh signed URL (stored files only; a reference's URL is what it is). */
  async refresh(stale: string, signal: AbortSignal): Promise<string> {
    if (this.entry.ref !== null) return this.#url;
    if (stale !== this.#url) return this.#url;
    this.#refreshing ??= this.job.urls.refresh(this.entry.path, { signal }).then(
      (url) => {
        this.refreshes++;
        this.#url = url;
        this.#refreshing = undefined;
        return url;
      },
      (error: unknown) => {
        this.#refreshing = undefined;
        throw error;
      },
    );
    return this.#refreshing;
  }
}

/** Runs `request` with the holder's URL; a 403 (expired signed URL) gets a fresh URL, up to 3 times. */
async function withFreshUrl<T>(holder: UrlHolder, signal: AbortSignal, request: (url: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const url = holder.url;
    try {
      return await request(url);
    } catch (error) {
      if (!(error instanceof PermissionError) || holder.entry.ref !== null || attempt >= 3) throw error;
      await holder.refresh(url, signal);
    }
  }
}

/** One attempt: bytes into the temp file (one GET, or ranges for large files), checked; throws ChecksumError on mismatch. Closes the file. */
async function fetchIntoTemp(job: Job, holder: UrlHolder, temp: DownloadTemp, signal: AbortSignal): Promise<void> {
  const { entry } = holder;
  const size = entry.size;
  const tally: Tally = { bytes: 0 };
  let ranged = entry.ref === null && size !== null && size > 0 && size >= job.rangeThreshold;
  const { file } = temp;
  try {
    if (ranged) {
      try {
        await fetchRanges(job, tally, holder, file, size!, signal);
      } catch (error) {
        if (!(error instanceof RangeNotHonoured)) throw error;
        // The storage ignored Range: start over with one plain GET.
        job.progress.bytes -= tally.bytes;
        tally.bytes = 0;
        await file.truncate(0);
        ranged = false;
      }
    }
    if (!ranged) {
      // Written (through this temp file's descriptor) and hashed on an MD5 worker, the chunks moved there as they come.
      let etag: string | null = null;
      let sink: WorkerFile | undefined;
      try {
        await withFreshUrl(holder, signal, async (url) => {
          const response = await requestEntry(job.client, entry, url, { signal });
          etag = response.headers.get('etag');
          await sink?.drop();
          sink = new WorkerFile(file.fd);
          return writeBody(job, tally, response, sink, signal);
        });
        const hashed = await sink!.finish();
        assertEntryBytes(entry, { size: hashed.size, md5: Buffer.from(hashed.digest, 'base64'), etag });
      } catch (error) {
        await sink?.drop();
        throw error;
      }
    } else {
      await file.close();
      const local = await fileDigest(temp.path, signal);
      assertEntryBytes(entry, { size: local?.size ?? 0, md5: local ? Buffer.from(local.digest, 'base64') : null });
    }
  } catch (error) {
    // Progress counts only bytes that stay.
    job.progress.bytes -= tally.bytes;
    throw error;
  } finally {
    await file.close().catch(() => {});
  }
}

/** A storage origin that ignored a Range request (the caller falls back to one plain GET). */
class RangeNotHonoured extends ConnectionError {
  static override readonly kind: string = 'RangeNotHonoured';
}

/** GETs bytes `start`–`end` (inclusive) of a stored file; anything but a 206 for exactly them is RangeNotHonoured. */
async function requestRange(client: WandbClient, entry: ManifestEntry, url: string, [start, end]: readonly [number, number], signal: AbortSignal): Promise<BodyStream> {
  const response = await requestEntry(client, entry, url, { signal }, { Range: `bytes=${start}-${end}` });
  const contentRange = response.headers.get('content-range');
  if (response.status !== 206 || !contentRange?.startsWith(`bytes ${start}-${end}/`)) {
    await response.cancel().catch(() => {});
    throw new RangeNotHonoured(`Storage answered HTTP ${response.status} (${contentRange ?? 'no Content-Range'}) to Range bytes=${start}-${end} for ${entry.path}.`);
  }
  return response;
}

/** Writes a large stored file as parallel `Range` GETs at their offsets. */
async function fetchRanges(job: Job, tally: Tally, holder: UrlHolder, file: FileHandle, size: number, signal: AbortSignal): Promise<void> {
  const parts: [number, number][] = [];
  for (let start = 0; start < size; start += job.partSize) parts.push([start, Math.min(start + job.partSize, size) - 1]);
  await runPool(
    parts,
    async (range, partSignal) => {
      const got = await withFreshUrl(holder, partSignal, async (url) => {
        const response = await requestRange(job.client, holder.entry, url, range, partSignal);
        return writeRange(job, tally, response, file, range[0], partSignal);
      });
      if (got !== range[1] - range[0] + 1) {
        throw new ChecksumError(`Range ${range[0]}-${range[1]} of ${holder.entry.path} gave ${got} bytes.`, {
          path: holder.entry.path,
          expectedDigest: holder.entry.digest,
          expectedSize: size,
        });
      }
    },
    { concurrency: Math.min(parts.length, job.concurrency), signal },
  );
}

/**
 * A small file: its bytes into memory, checked (size and MD5), then written in one call and
 * renamed into place; nothing touches the disk unless the bytes passed. A stored file's bytes go
 * to an MD5 worker, which checks and writes them off the main thread (writeIfMd5); other checks
 * (ETags, sizes only) are done here and written with writeDownload. A body longer than the entry
 * is cut off (a size mismatch).
 */
async function fetchSmall(job: Job, holder: UrlHolder, dest: string, size: number, signal: AbortSignal): Promise<void> {
  const { entry } = holder;
  const tally: Tally = { bytes: 0 };
  try {
    let etag: string | null = null;
    let parts: Uint8Array[] = [];
    const received = await withFreshUrl(holder, signal, async (url) => {
      const response = await requestEntry(job.client, entry, url, { signal });
      etag = response.headers.get('etag');
      parts = [];
      let got = 0;
      for await (const chunk of response) {
        got += chunk.length;
        if (got > size) break;
        parts.push(chunk);
        tally.bytes += chunk.length;
        job.progress.bytes += chunk.length;
        report(job);
      }
      return got;
    });
    if (signal.aborted) throw new AbortError('The operation was aborted.', { cause: signal.reason });
    const check = entryCheck(entry);
    if (check.kind === 'md5-base64' && received === size) {
      // The chunks go to the worker as they are (moved, not copied, when each has its own buffer).
      const temp = downloadTempPath(dest);
      const { digest } = await writeIfMd5(parts, check.digest, temp, dest).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST' && (await lstat(temp).catch(() => null))?.isSymbolicLink()) throw symlinkError(temp, error);
        throw error;
      });
      // Written only when the digest was the expected one; a mismatch throws here.
      assertEntryBytes(entry, { size: received, md5: Buffer.from(digest, 'base64'), etag });
    } else {
      const hash = createHash('md5');
      for (const part of parts) hash.update(part);
      assertEntryBytes(entry, { size: received, md5: hash.digest(), etag });
      await writeDownload(dest, parts);
    }
  } catch (error) {
    job.progress.bytes -= tally.bytes;
    throw error;
  }
}

/**
 * Downloads one entry to its destination: temp file, check, rename (small files: checked in
 * memory, then written at once). A checksum mismatch gets one more attempt with a fresh URL, then
 * the ChecksumError (naming the file) is thrown. Nothing is ever left at the final path unless it
 * passed the check.
 */
async function downloadTarget(job: Job, target: Target, url: string, signal: AbortSignal): Promise<void> {
  const holder = new UrlHolder(job, target.entry, url);
  const { size } = target.entry;
  await readyFolder(job, dirname(target.dest));
  for (let attempt = 0; ; attempt++) {
    const temp = size !== null && size <= SMALL_FILE_BYTES ? undefined : await openDownloadTemp(target.dest);
    try {
      if (temp) {
        await fetchIntoTemp(job, holder, temp, signal);
        await rename(temp.path, target.dest);
      } else await fetchSmall(job, holder, target.dest, size!, signal);
      job.progress.files++;
      report(job);
      return;
    } catch (error) {
      if (temp) {
        await temp.file.close().catch(() => {});
        await rm(temp.path, { force: true });
      }
      if ((error instanceof ChecksumError || error instanceof ConnectionError) && attempt === 0) {
        // Bad or cut-off bytes may be a storage hiccup or a stale URL: once more, with a fresh URL.
        await holder.refresh(holder.url, signal);
        continue;
      }
      throw error;
    }
  }
}

/** Validates the download options (ValidationError before any request). */
function readOptions(options: DownloadArtifactOptions) {
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root === '')) throw new ValidationError('root must be a non-empty string.');
  if (options.pathPrefix !== undefined && typeof options.pathPrefix !== 'string') throw new ValidationError('pathPrefix must be a string.');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ValidationError('onProgress must be a function.');
  return {
    concurrency: positiveInteger('concurrency', options.concurrency, DEFAULT_CONCURRENCY),
    rangeThreshold: positiveInteger('rangeThreshold', options.rangeThreshold, DEFAULT_RANGE_THRESHOLD),
    partSize: positiveInteger('partSize', options.partSize, DEFAULT_PART_SIZE),
    batchSize: positiveInteger('batchSize', options.batchSize, 5000),
  };
}

function checkArtifact(artifact: DownloadableArtifact): void {
  if (!artifact || typeof artifact !== 'object' || typeof artifact.id !== 'string' || typeof artifact.name !== 'string') {
    throw new ValidationError('artifact must be an Artifact (from getArtifact, listArtifacts …).');
  }
}

/**
 * Downloads `targets` (already validated) into place under root; shared by downloadArtifact and
 * downloadArtifactFile. `fresh`: root was just created by this download, so nothing under it exists.
 */
async function downloadTargets(
  client: WandbClient,
  artifact: DownloadableArtifact,
  root: string,
  targets: Target[],
  options: DownloadArtifactOptions,
  fresh = false,
): Promise<void> {
  const settings = readOptions(options);
  const { signal } = options;
  const allowMissingReferences = options.allowMissingReferences === true;
  // Unfetchable references fail (or are skipped) before any byte is written.
  const fetchable: Target[] = [];
  for (const target of targets) {
    if (isFetchable(target.entry)) fetchable.push(target);
    else if (allowMissingReferences) client.config.logger.warn(`Skipping reference ${target.entry.path} (${target.entry.ref}): scheme not supported.`);
    else throw unsupportedReference(target.entry);
  }
  const job: Job = {
    client,
    root,
    safeFolders: new Set(),
    readyFolders: new Map(),
    urls: new EntryUrls(client, artifact, settings.batchSize),
    concurrency: settings.concurrency,
    rangeThreshold: settings.rangeThreshold,
    partSize: settings.partSize,
    allowMissingReferences,
    progress: { bytes: 0, files: 0, totalBytes: fetchable.reduce((n, t) => n + (t.entry.size ?? 0), 0), totalFiles: fetchable.length },
    onProgress: options.onProgress,
  };
  report(job);

  // 1. No destination may be reached through a symbolic link (UnsafePathError before any byte is
  // fetched), and files already in place with the right MD5 need no request at all. Under a root
  // this download just created there is nothing to look at (one lstat a file saved).
  const needed: Target[] = fresh ? fetchable : [];
  // Nothing is created in this step: a folder found missing stays missing, and so do the files under it.
  const absent = new Set<string>();
  await runPool(
    fresh ? [] : fetchable,
    async (target, poolSignal) => {
      if ((await assertNoSymlinks(root, target.dest, job.safeFolders, absent)) && (await alreadyInPlace(target, poolSignal))) {
        job.progress.files++;
        job.progress.bytes += target.entry.size ?? 0;
        report(job);
      } else needed.push(target);
    },
    { concurrency: settings.concurrency, ...(signal ? { signal } : {}) },
  );

  // 2. References from their own URLs, stored files from signed URLs asked for in batches; one pool.
  const destOf = new Map(needed.map((t) => [t.entry.path, t]));
  const stored = needed.filter((t) => t.entry.ref === null).map((t) => t.entry);
  async function* work(poolSignal: AbortSignal): AsyncGenerator<{ target: Target; url: string }> {
    // References first: they need no URL request.
    for (const target of needed) if (target.entry.ref !== null) yield { target, url: target.entry.ref };
    if (stored.length > 0) {
      for await (const { entry, url } of job.urls.resolve(stored, { signal: poolSignal })) yield { target: destOf.get(entry.path)!, url };
    }
  }
  await runPool(
    work,
    async ({ target, url }, poolSignal) => {
      try {
        await downloadTarget(job, target, url, poolSignal);
      } catch (error) {
        if (!(target.entry.ref !== null && allowMissingReferences && isMissingReference(error))) throw error;
        client.config.logger.warn(`Skipping reference ${target.entry.path} (${target.entry.ref}): ${(error as Error).message}`);
      }
    },
    { concurrency: settings.concurrency, ...(signal ? { signal } : {}) },
  );
}

/**
 * Downloads a version's files into a folder and returns its absolute path (Python's
 * `artifact.download()`). The manifest is fetched once and checked against the artifact's digest;
 * every entry path is checked before any byte is written (absolute paths, `..`, drive letters, NUL,
 * backslashes: ValidationError; a symbolic link at a file or a folder under root: UnsafePathError);
 * files already there with the right MD5 are skipped; the others get signed URLs in batches and are
 * downloaded `concurrency` at a time, each to a temp file in its folder
 * (`.<pid>-<random>.wandb-download`; those left by a download whose process died are removed),
 * checked (size and base64 MD5) and renamed into place. A mismatch is retried once with a fresh
 * URL, then is a ChecksumError naming the file; an expired signed URL (403) is refreshed. http(s)
 * references are fetched without W&B credentials; other schemes are an UnsupportedError unless
 * `allowMissingReferences`. Aborting leaves no partial file at any final path, and no temp file.
 * @example
 * const artifact = await getArtifact(client, 'acme/mnist/mnist-dataset:v2');
 * const root = await downloadArtifact(client, artifact, { root: 'data', onProgress: (p) => console.log(p.bytes) });
 */
export async function downloadArtifact(client: WandbClient, artifact: DownloadableArtifact, options: DownloadArtifactOptions = {}): Promise<string> {
  checkArtifact(artifact);
  readOptions(options);
  const root = resolve(options.root ?? defaultRoot(artifact.sourceName ?? artifact.name));
  const manifest = await getManifest(client, artifact, options);
  await checkManifestDigest(artifact, manifest);
  const prefix = options.pathPrefix;
  const selected = prefix ? manifest.entries.filter((e) => e.path.startsWith(prefix)) : manifest.entries;
  const targets = targetsFor(root, selected);
  // mkdir names the first folder it created: none when root was there already.
  const fresh = (await mkdir(root, { recursive: true })) !== undefined;
  await downloadTargets(client, artifact, root, targets, options, fresh);
  return root;
}

/**
 * Downloads one entry (Python's `artifact.file(root)` when `path` is omitted and the artifact holds
 * a single file; `artifact.get_entry(path).download(root)` otherwise) and returns the local file
 * path. Default root `./artifacts/<name>`. The same checks as downloadArtifact apply.
 * @example const path = await downloadArtifactFile(client, model, 'model.pt', { root: 'weights' });
 */
export async function downloadArtifactFile(
  client: WandbClient,
  artifact: DownloadableArtifact,
  path?: string,
  options: DownloadArtifactFileOptions = {},
): Promise<string> {
  checkArtifact(artifact);
  readOptions(options);
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw new ValidationError('path must be a non-empty string.');
  const root = resolve(options.root ?? join('artifacts', process.platform === 'win32' ? artifact.name.replace(/:/g, '-') : artifact.name));
  const manifest = await getManifest(client, artifact, options);
  await checkManifestDigest(artifact, manifest);
  let entry: ManifestEntry;
  if (path === undefined) {
    if (manifest.entries.length !== 1) {
      throw new ValidationError(
        `This artifact contains ${manifest.entries.length === 0 ? 'no files' : 'more than one file'}; call downloadArtifact to get all files or pass the path of one.`,
      );
    }
    entry = manifest.entries[0]!;
  } else entry = await getEntry(client, artifact, path, { ...options, manifest });
  const [target] = targetsFor(root, [entry]);
  await downloadTargets(client, artifact, root, [target!], { ...options, allowMissingReferences: false });
  return target!.dest;
}

/** Relative POSIX paths of the regular files under root. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const item of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, item.name);
      if (item.isDirectory()) await walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}

/**
 * Checks a folder against a version (Python's `artifact.verify(root)`): the manifest against the
 * artifact's digest, every stored entry present with its size and base64 MD5 (else ChecksumError
 * naming it), and no file that is not an entry (ValidationError). References are counted, not checked.
 * @example const { files } = await verifyArtifact(client, artifact, './artifacts/mnist-dataset:v2');
 */
export async function verifyArtifact(client: WandbClient, artifact: DownloadableArtifact, root?: string, options: CallOptions = {}): Promise<VerifyArtifactResult> {
  checkArtifact(artifact);
  if (root !== undefined && (typeof root !== 'string' || root === '')) throw new ValidationError('root must be a non-empty string.');
  const dir = resolve(root ?? defaultRoot(artifact.sourceName ?? artifact.name));
  const manifest = await getManifest(client, artifact, options);
  await checkManifestDigest(artifact, manifest);
  const targets = targetsFor(dir, manifest.entries);
  const known = new Set(targets.map((t) => relative(dir, t.dest).split(sep).join('/')));
  if (!(await lstat(dir).catch(() => null))?.isDirectory()) throw new ValidationError(`${dir} is not a folder.`);
  for (const file of await listFiles(dir)) {
    if (!known.has(file)) throw new ValidationError(`Found file ${join(dir, file)} which is not a member of artifact ${artifact.name}.`);
  }
  let files = 0;
  let bytes = 0;
  let skippedReferences = 0;
  await runPool(
    targets,
    async ({ entry, dest }, signal) => {
      if (entry.ref !== null) {
        skippedReferences++;
        return;
      }
      const local = await fileDigest(dest, signal);
      if (!local) {
        throw new ChecksumError(`Missing file for ${entry.path} in ${dir}.`, { path: entry.path, expectedDigest: entry.digest, expectedSize: entry.size });
      }
      assertEntryBytes(entry, { size: local.size, md5: Buffer.from(local.digest, 'base64') });
      files++;
      bytes += local.size;
    },
    { concurrency: 8, ...(options.signal ? { signal: options.signal } : {}) },
  );
  return { files, bytes, skippedReferences };
}
