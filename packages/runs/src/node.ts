/**
 * What Node gets from `@wandb-api/runs` (the `node` export condition): the browser entry plus local-disk file functions and TensorBoard sync.
 * @module @wandb-api/runs/node
 */
// @wandb-api/runs for Node: everything of the browser entry, plus file functions that touch the
// local disk (downloadFile, uploadFilePath). Reached through the `node` export condition, so
// browser bundles never see `fs`.
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortError,
  type CallOptions,
  ChecksumError,
  ConnectionError,
  ValidationError,
  WandbError,
  type WandbClient,
  assertNoSymlinks,
  openDownloadTemp,
  removeStaleTemps,
} from '@wandb-api/core';
import { type FetchFileOptions, type RunFile, checkFileName, fetchFileStream, uploadFile } from './files.js';
import type { RunLocator } from './locate.js';

export * from './index.js';

export interface DownloadFileOptions extends FetchFileOptions {
  /** The directory the file's name is resolved against. Default `.`. */
  root?: string;
  /** Overwrite an existing file. Default false. */
  replace?: boolean;
  /** Keep an existing file and return its path instead of failing. Default false. */
  existOk?: boolean;
}

/**
 * Downloads a run file to `<root>/<name>` and returns that path. The bytes go to a temp file next
 * to it, are checked against the file's size and, when the server gives one, its MD5 (a mismatch is
 * a ChecksumError naming the file), then renamed into place: a failed or interrupted download
 * leaves nothing at the final path. A symbolic link at the final path or at a folder under root is
 * refused (UnsafePathError) before any request. An existing file is kept with `existOk`,
 * overwritten with `replace`, and is an error otherwise (as Python's `File.download`).
 * @example const path = await downloadFile(client, file, { root: 'out', replace: true });
 */
export async function downloadFile(client: WandbClient, file: RunFile, options: DownloadFileOptions = {}): Promise<string> {
  const { root = '.', replace = false, existOk = false } = options;
  if (isAbsolute(file.name)) throw new ValidationError(`Invalid path: ${file.name}`);
  checkFileName(file.name);
  const path = join(root, file.name);
  // Belt and braces: the joined path must stay inside root.
  if (relative(resolve(root), resolve(path)).split(sep).includes('..')) throw new ValidationError(`Invalid path: ${file.name}`);
  await assertNoSymlinks(root, path);
  if ((await lstat(path).catch(() => null)) && !replace) {
    if (existOk) return path;
    throw new ValidationError("File already exists, pass replace=True to overwrite or exist_ok=True to leave it as is and don't error.");
  }
  await mkdir(dirname(path), { recursive: true });
  // The folders may have just been made; none of them may have been a link all along.
  await assertNoSymlinks(root, dirname(path));
  await removeStaleTemps(dirname(path));
  const temp = await openDownloadTemp(path);
  try {
    const stream = await fetchFileStream(client, file, options);
    const md5 = createHash('md5');
    let written = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        written += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), count, temp.file.createWriteStream());
    if (written !== file.size) {
      throw new ConnectionError(`The download of ${file.name} gave ${written} bytes, expected ${file.size}.`);
    }
    const actual = md5.digest('base64');
    if (file.md5 && actual !== file.md5) {
      throw new ChecksumError(`Checksum mismatch for ${file.name}: expected MD5 ${file.md5}, got ${actual}.`, {
        path: file.name,
        expectedDigest: file.md5,
        actualDigest: actual,
        expectedSize: file.size,
        actualSize: written,
      });
    }
    await rename(temp.path, path);
    return path;
  } catch (error) {
    await temp.file.close().catch(() => {});
    await rm(temp.path, { force: true });
    if (error instanceof WandbError) throw error;
    if (options.signal?.aborted) throw new AbortError('The operation was aborted.', { cause: options.signal.reason });
    throw new ConnectionError(`The download of ${file.name} failed: ${(error as Error)?.message ?? error}`, { cause: error });
  }
}

export interface UploadFilePathOptions extends CallOptions {
  /** The upload name is the path relative to this directory. Default `.`. */
  root?: string;
}

/**
 * The name Python's `upload_file` gives a local path: relative to root, `/`-separated, leading `/`
 * removed and `.`/`..` segments replaced by `_`.
 * @example uploadNameFor('../x/./y.txt', '.') // '_/x/_/y.txt'
 */
export function uploadNameFor(path: string, root = '.'): string {
  const rel = relative(resolve(root), resolve(path)).split(sep).join('/');
  // relative() already drops '.' segments of an absolute-resolved path; '..' may remain.
  const name = rel
    .replace(/^\/+/, '')
    .split('/')
    .map((s) => (s === '.' || s === '..' ? '_' : s))
    .join('/');
  if (!name) throw new ValidationError(`Cannot upload ${path}: it is the root directory itself.`);
  return name;
}

/**
 * Uploads a local file to a run (Python's `run.upload_file(path, root)`); the file is streamed
 * from disk (a file-backed Blob), so it may be large and a retried PUT sends it again.
 * @example const file = await uploadFilePath(client, 'acme/mnist/abc123', 'outputs/model.pt', { root: 'outputs' });
 */
export async function uploadFilePath(client: WandbClient, run: RunLocator, path: string, options: UploadFilePathOptions = {}): Promise<RunFile> {
  if (typeof path !== 'string' || path === '') throw new ValidationError('path must be a non-empty string.');
  const name = uploadNameFor(path, options.root ?? '.');
  let data: Blob;
  try {
    data = await openAsBlob(path);
  } catch (error) {
    throw new ValidationError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return uploadFile(client, run, { ...options, name, data });
}

// TensorBoard logs → a W&B run (reads local files, so Node only).
export { type SyncIssue, type SyncTensorboardOptions, type SyncTensorboardResult, isTfeventsFile, syncTensorboard } from './tensorboard/sync.js';
export {
  type FileStreamChunk,
  type FileStreamPayload,
  type FileStreamRun,
  type StreamRunInput,
  DEFAULT_MAX_REQUEST_BYTES,
  fileStreamUrl,
  postFileStream,
  streamRun,
} from './tensorboard/fileStream.js';
export { type TfRecord, type TfRecordIssue, crc32c, frameTfRecord, maskedCrc32c, readTfRecords } from './tensorboard/tfrecord.js';
export { type SummaryValue, type TbEvent, decodeEvent } from './tensorboard/events.js';
