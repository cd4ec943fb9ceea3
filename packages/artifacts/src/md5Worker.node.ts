// MD5 off the main thread. Hashing is the one CPU-heavy step of a verified download (~600 MB/s per
// core); done inline it competes with the event loop that moves the bytes. A body's chunks are
// moved (transferred, not copied: node:http gives each chunk a buffer of its own) to a worker,
// which hashes them and writes them with synchronous calls: on the main thread each write would
// be a promise and a thread-pool round trip, and hashing what was written would read it back from
// the page cache. Small files come whole: the worker checks them and, only when they match, writes
// and renames them. Large files come in batches, written at once through the descriptor of their
// temp file (the one the download created, never a path opened again) and checked at the end. Up to one worker per core (at most 4), started lazily and shared by every download
// of the process; they keep the process alive only while an answer is awaited.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker is inline source (eval) so it needs no separate file in the ESM/CJS builds.
// `open`/`chunks`/`finish`/`drop`: a file written and hashed batch by batch through the caller's
// descriptor (the caller closes it); `small`: a whole file checked, then written; `file`: an
// existing file hashed. Files opened here by path never follow a symbolic link.
const SOURCE = `
const { parentPort, threadId, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const NOFOLLOW = fs.constants.O_NOFOLLOW || 0;
const block = Buffer.allocUnsafe(4 << 20);
const files = new Map();
const reply = (message) => parentPort.postMessage(message);
// Writes parts at position (or the file's current end): one writev; a short one (a full disk) goes
// on from where it stopped, or fails with the disk's error.
function writeAll(fd, parts, size, position) {
  const done = parts.length ? fs.writevSync(fd, parts, position) : 0;
  if (done < size) {
    const rest = Buffer.concat(parts).subarray(done);
    for (let at = 0; at < rest.length; ) at += fs.writeSync(fd, rest, at, rest.length - at, position === undefined ? undefined : position + done + at);
  }
}
function hashParts(hash, parts) {
  let size = 0;
  for (const part of parts) { hash.update(part); size += part.length; }
  return size;
}
// The workers create files one at a time (a lock shared with the others, holding the holder's
// threadId): the kernel serializes creations anyway, and a thread that waits for it in the kernel
// spins on a core, where one that waits here sleeps.
const lock = new Int32Array(workerData);
function exclusively(create) {
  for (let held; (held = Atomics.compareExchange(lock, 0, 0, threadId)) !== 0; ) Atomics.wait(lock, 0, held);
  try { return create(); } finally { Atomics.store(lock, 0, 0); Atomics.notify(lock, 0, 1); }
}
// Writes checked bytes to a fresh temp file ('wx': O_EXCL, never through a symbolic link) and
// renames it to dest; a failure removes the temp file it made.
function writeRenamed(temp, dest, parts, size) {
  exclusively(() => {
    const fd = fs.openSync(temp, 'wx');
    try {
      writeAll(fd, parts, size);
      fs.closeSync(fd);
      fs.renameSync(temp, dest);
    } catch (error) {
      try { fs.closeSync(fd); } catch {}
      fs.rmSync(temp, { force: true });
      throw error;
    }
  });
}
// A worker that restarted (it failed) does not know the files opened on the one before.
function opened(id) {
  const f = files.get(id);
  if (!f) throw new Error('the MD5 worker restarted while the file was being written');
  return f;
}
const failure = (id, error) => ({ id, error: String((error && error.message) || error), code: error && error.code });
parentPort.on('message', (m) => {
  try {
    if (m.type === 'open') files.set(m.id, { fd: m.fd, hash: createHash('md5'), at: 0 });
    else if (m.type === 'chunks') {
      const f = opened(m.id);
      if (!f.error) {
        const size = hashParts(f.hash, m.parts);
        writeAll(f.fd, m.parts, size, f.at);
        f.at += size;
      }
      reply(f.error ? failure(m.id, f.error) : { id: m.id, size: f.at });
    } else if (m.type === 'finish') {
      const f = opened(m.id);
      files.delete(m.id);
      reply(f.error ? failure(m.id, f.error) : { id: m.id, digest: f.hash.digest('base64'), size: f.at });
    } else if (m.type === 'drop') {
      files.delete(m.id);
      reply({ id: m.id });
    } else if (m.type === 'small') {
      const hash = createHash('md5');
      const size = hashParts(hash, m.parts);
      const digest = hash.digest('base64');
      const written = digest === m.expect;
      if (written) writeRenamed(m.temp, m.dest, m.parts, size);
      reply({ id: m.id, digest, size, written });
    } else if (m.type === 'file') {
      const fd = fs.openSync(m.path, fs.constants.O_RDONLY | NOFOLLOW);
      const hash = createHash('md5');
      let at = 0;
      try {
        for (let n; (n = fs.readSync(fd, block, 0, block.length, at)) > 0; at += n) hash.update(block.subarray(0, n));
      } finally { fs.closeSync(fd); }
      reply({ id: m.id, digest: hash.digest('base64'), size: at });
    }
  } catch (error) {
    // A file being written keeps its first error: every later batch and the finish answer with it.
    const f = files.get(m.id);
    if (f && m.type === 'chunks') f.error = error;
    else files.delete(m.id);
    reply(failure(m.id, error));
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
/** The workers' file-creation lock: 0, or the threadId of the worker creating a file. */
let createLock: SharedArrayBuffer | undefined;
let nextId = 1;
/** Answers awaited, per id, in the order asked (the worker answers a file's messages in order). */
const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }[]>();
/** Digests awaited, per worker: a worker keeps the process alive exactly while it owes one. */
const owed: number[] = [];
let slots = 0;
/** The worker slot of a hash id: up to one worker per core, at most 4, ids spread over them. */
const slotOf = (id: number) => id % (slots ||= Math.min(4, Math.max(1, availableParallelism())));

function workerFor(id: number): Worker {
  const slot = slotOf(id);
  const existing = workers[slot];
  if (existing) return existing;
  createLock ??= new SharedArrayBuffer(4);
  const created = new Worker(SOURCE, { eval: true, workerData: createLock });
  const { threadId } = created;
  created.unref();
  owed[slot] = 0;
  created.on('message', (reply: Reply) => {
    const queue = waiting.get(reply.id);
    const pending = queue?.shift();
    if (!pending) return;
    if (!queue!.length) waiting.delete(reply.id);
    if (--owed[slot]! === 0) created.unref();
    if (reply.error !== undefined) pending.reject(Object.assign(new Error(reply.error), reply.code === undefined ? {} : { code: reply.code }));
    else pending.resolve(reply);
  });
  const fail = (error: Error) => {
    if (workers[slot] === created) workers[slot] = undefined;
    // A worker that died holding the lock must not keep the others waiting.
    const lock = new Int32Array(createLock!);
    if (Atomics.compareExchange(lock, 0, threadId, 0) === threadId) Atomics.notify(lock, 0);
    for (const [id, queue] of waiting) {
      if (slotOf(id) !== slot) continue;
      waiting.delete(id);
      for (const pending of queue) pending.reject(error);
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
    const queue = waiting.get(message.id);
    if (queue) queue.push({ resolve, reject });
    else waiting.set(message.id, [{ resolve, reject }]);
    if (owed[slot]!++ === 0) worker.ref();
    worker.postMessage(message, transfer);
  });
}

/** Bytes posted to the worker and not yet written before WorkerFile.write waits. */
const AHEAD_BYTES = 8 * 2 ** 20;
/** Chunks are posted in batches of about this many bytes (one message, one writev each). */
const BATCH_BYTES = 2 ** 20;

/**
 * A file written and hashed on a worker thread, from offset 0 on, in order, through the caller's
 * open descriptor: the chunks handed to `write` are moved there in batches (each chunk that is the
 * whole of its buffer is empty here afterwards; any other is copied). `write` waits while
 * AHEAD_BYTES are on their way, and throws the file system's error (its `code` kept) once a write
 * failed. The caller closes the descriptor, and only after `finish` or `drop` resolved (the worker
 * then writes no more).
 * @example const file = new WorkerFile(temp.file.fd); for await (const c of body) await file.write(c); const { digest } = await file.finish();
 */
export class WorkerFile {
  readonly #id = nextId++;
  #batch: Uint8Array[] = [];
  #batchBytes = 0;
  #posted = 0;
  #written = 0;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  /** Writes through `fd`, a descriptor open for writing (the temp file the download created). */
  constructor(fd: number) {
    workerFor(this.#id).postMessage({ type: 'open', id: this.#id, fd });
  }

  /** Queues a chunk; resolves at once unless too many bytes are on their way to the disk. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    this.#batch.push(chunk);
    this.#batchBytes += chunk.length;
    if (this.#batchBytes >= BATCH_BYTES) this.#post();
    while (this.#posted - this.#written > AHEAD_BYTES && !this.#error) await new Promise<void>((resolve) => (this.#wake = resolve));
    if (this.#error) throw this.#error;
  }

  #post(): void {
    const parts = this.#batch;
    const bytes = this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#posted += bytes;
    const { sent, moved } = movable(parts);
    ask({ type: 'chunks', id: this.#id, parts: sent }, moved).then(
      (reply) => (this.#written = reply.size!),
      (error: Error) => (this.#error ??= error),
    ).finally(() => {
      const wake = this.#wake;
      this.#wake = undefined;
      wake?.();
    });
  }

  /** Writes what is queued, then the base64 MD5 and size of everything written; the worker is done with the file. */
  async finish(): Promise<{ digest: string; size: number }> {
    if (this.#batchBytes > 0) this.#post();
    const reply = await ask({ type: 'finish', id: this.#id });
    return { digest: reply.digest!, size: reply.size! };
  }

  /** Abandons the file (an attempt that failed or was aborted): resolves once the worker writes to it no more. */
  async drop(): Promise<void> {
    this.#batch = [];
    await ask({ type: 'drop', id: this.#id }).catch(() => {});
  }
}

/** The parts as posted: each one that is the whole of its buffer moved, any other copied. */
function movable(parts: readonly Uint8Array[]): { sent: Uint8Array[]; moved: ArrayBuffer[] } {
  const moved: ArrayBuffer[] = [];
  const sent = parts.map((part) => {
    const { buffer } = part;
    if (!(buffer instanceof ArrayBuffer) || part.byteOffset !== 0 || part.byteLength !== buffer.byteLength) return part.slice();
    moved.push(buffer);
    return part;
  });
  return { sent, moved };
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
 * Checks bytes held in memory (a body's chunks, in order) against a base64 MD5 on a worker thread
 * and, only when they match, writes them to `temp` (created with O_EXCL, never through a symbolic
 * link) and renames it to `dest`. Resolves with their digest and whether they were written; a
 * failed write rejects with the file system's error (its `code` kept) and leaves no temp file.
 * A chunk that is the whole of its buffer (node:http gives each body chunk one) is moved to the
 * worker and is empty here afterwards; any other is copied.
 * @example const { digest, written } = await writeIfMd5(chunks, entry.digest, downloadTempPath(dest), dest);
 */
export async function writeIfMd5(parts: readonly Uint8Array[], expect: string, temp: string, dest: string): Promise<{ digest: string; written: boolean }> {
  const { sent, moved } = movable(parts);
  const reply = await ask({ type: 'small', id: nextId++, parts: sent, expect, temp, dest }, moved);
  return { digest: reply.digest!, written: reply.written! };
}
