// MD5 off the main thread. Hashing is the one CPU-heavy step of a verified download (~600 MB/s per
// core); done inline it competes with the event loop that moves the bytes. For large files the
// workers read what the download wrote back from the file (the page cache: a kernel copy, none on
// the main thread, no bytes posted), following the writes as they land. Small files come whole, in
// a transferred buffer: the worker checks them and, only when they match, writes and renames them
// with synchronous calls (on the main thread each of open, write, close and rename would be a
// promise and a thread-pool round trip). Up to one worker per core (at most 4), started lazily and
// shared by every download of the process; they keep the process alive only while an answer is awaited.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker is inline source (eval) so it needs no separate file in the ESM/CJS builds.
// `follow`: hash a file as it is written (`written` says up to where; `finish` gives the size);
// `file`: hash a whole file. Files are opened by path without following a symbolic link.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0);
const block = Buffer.allocUnsafe(4 << 20);
const follows = new Map();
const reply = (message) => parentPort.postMessage(message);
// Reads and hashes [f.at, upto); stops early at the end of the file.
function catchUp(f, upto) {
  while (f.at < upto) {
    const n = fs.readSync(f.fd, block, 0, Math.min(block.length, upto - f.at), f.at);
    if (n === 0) break;
    f.hash.update(block.subarray(0, n));
    f.at += n;
  }
}
// Writes checked bytes to a fresh temp file ('wx': O_EXCL, never through a symbolic link) and
// renames it to dest; a failure removes the temp file it made.
function writeRenamed(temp, dest, bytes) {
  const fd = fs.openSync(temp, 'wx');
  try {
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.closeSync(fd);
    fs.renameSync(temp, dest);
  } catch (error) {
    try { fs.closeSync(fd); } catch {}
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
function close(id) {
  const f = follows.get(id);
  follows.delete(id);
  if (f && f.fd !== undefined) fs.closeSync(f.fd);
  return f;
}
parentPort.on('message', (m) => {
  try {
    if (m.type === 'follow') follows.set(m.id, { fd: fs.openSync(m.path, FLAGS), hash: createHash('md5'), at: 0 });
    else if (m.type === 'written') { const f = follows.get(m.id); if (f && !f.error) catchUp(f, m.upto); }
    else if (m.type === 'drop') close(m.id);
    else if (m.type === 'finish') {
      const f = follows.get(m.id);
      if (!f || f.error) { close(m.id); return reply({ id: m.id, error: String(f ? f.error.message || f.error : 'no such hash') }); }
      catchUp(f, m.size);
      close(m.id);
      reply({ id: m.id, digest: f.hash.digest('base64'), size: f.at });
    } else if (m.type === 'small') {
      const digest = createHash('md5').update(m.bytes).digest('base64');
      const written = digest === m.expect;
      if (written) writeRenamed(m.temp, m.dest, m.bytes);
      reply({ id: m.id, digest, size: m.bytes.length, written });
    } else if (m.type === 'file') {
      const f = { fd: fs.openSync(m.path, FLAGS), hash: createHash('md5'), at: 0 };
      try { catchUp(f, Infinity); } finally { fs.closeSync(f.fd); }
      reply({ id: m.id, digest: f.hash.digest('base64'), size: f.at });
    }
  } catch (error) {
    if (m.type === 'follow') follows.set(m.id, { error });
    else { close(m.id); reply({ id: m.id, error: String((error && error.message) || error), code: error && error.code }); }
  }
});
`;

interface Reply {
  id: number;
  digest?: string;
  size?: number;
  written?: boolean;
  error?: string;
  code?: string;
}

const workers: (Worker | undefined)[] = [];
let nextId = 1;
const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
/** Digests awaited, per worker: a worker keeps the process alive exactly while it owes one. */
const owed: number[] = [];
let slots = 0;
/** The worker slot of a hash id: up to one worker per core, at most 4, ids spread over them. */
const slotOf = (id: number) => id % (slots ||= Math.min(4, Math.max(1, availableParallelism())));

function workerFor(id: number): Worker {
  const slot = slotOf(id);
  const existing = workers[slot];
  if (existing) return existing;
  const created = new Worker(SOURCE, { eval: true });
  created.unref();
  owed[slot] = 0;
  created.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (--owed[slot]! === 0) created.unref();
    if (reply.error !== undefined) pending.reject(Object.assign(new Error(reply.error), reply.code === undefined ? {} : { code: reply.code }));
    else pending.resolve(reply);
  });
  const fail = (error: Error) => {
    if (workers[slot] === created) workers[slot] = undefined;
    for (const [id, pending] of waiting) {
      if (slotOf(id) !== slot) continue;
      waiting.delete(id);
      pending.reject(error);
    }
    owed[slot] = 0;
  };
  created.on('error', fail);
  created.on('exit', (code) => fail(new Error(`MD5 worker exited with code ${code}`)));
  workers[slot] = created;
  return created;
}

function ask(message: { type: string; id: number } & Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
  const worker = workerFor(message.id);
  const slot = slotOf(message.id);
  return new Promise<Reply>((resolve, reject) => {
    waiting.set(message.id, { resolve, reject });
    if (owed[slot]!++ === 0) worker.ref();
    worker.postMessage(message, transfer);
  });
}

/**
 * The MD5 of a file being written, computed on a worker thread that reads it back as the writes
 * land: no byte is copied or posted from the main thread.
 * @example const md5 = new FileMd5(temp.path); md5.written(65536); const { digest } = await md5.finish(size);
 */
export class FileMd5 {
  readonly #id = nextId++;
  // Bytes written told to the worker last; `written` posts only every few MB.
  #told = 0;

  /** Starts following the file at `path` (written from offset 0 on, in order). */
  constructor(path: string) {
    workerFor(this.#id).postMessage({ type: 'follow', id: this.#id, path });
  }

  /** The bytes up to `upto` are on disk: the worker may hash them. */
  written(upto: number): void {
    if (upto - this.#told < 4 << 20) return;
    this.#told = upto;
    workerFor(this.#id).postMessage({ type: 'written', id: this.#id, upto });
  }

  /** The base64 digest of the first `size` bytes, and how many there were; the hasher is done afterwards. */
  async finish(size: number): Promise<{ digest: string; size: number }> {
    const reply = await ask({ type: 'finish', id: this.#id, size });
    return { digest: reply.digest!, size: reply.size! };
  }

  /** Forgets the partial hash and closes the file (an attempt that failed or was aborted). */
  drop(): void {
    workers[slotOf(this.#id)]?.postMessage({ type: 'drop', id: this.#id });
  }
}

/**
 * Base64 MD5 and size of a file, read and hashed on a worker thread.
 * @example const { digest, size } = await workerFileDigest('artifacts/mnist-dataset:v2/train.csv');
 */
export async function workerFileDigest(path: string): Promise<{ digest: string; size: number }> {
  const reply = await ask({ type: 'file', id: nextId++, path });
  return { digest: reply.digest!, size: reply.size! };
}

/**
 * Checks bytes held in memory against a base64 MD5 on a worker thread and, only when they match,
 * writes them to `temp` (created with O_EXCL, never through a symbolic link) and renames it to
 * `dest`. Resolves with their digest and whether they were written; a failed write rejects with
 * the file system's error (its `code` kept) and leaves no temp file. The bytes' buffer is
 * transferred: it must be theirs alone, and is empty here afterwards.
 * @example const { digest, written } = await writeIfMd5(bytes, entry.digest, downloadTempPath(dest), dest);
 */
export async function writeIfMd5(bytes: Uint8Array, expect: string, temp: string, dest: string): Promise<{ digest: string; written: boolean }> {
  const reply = await ask({ type: 'small', id: nextId++, bytes, expect, temp, dest }, [bytes.buffer as ArrayBuffer]);
  return { digest: reply.digest!, written: reply.written! };
}
