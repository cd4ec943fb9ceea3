// MD5 of large files off the main thread. Hashing is the one CPU-heavy step of a verified
// download (~600 MB/s per core); done inline it competes with the event loop that moves the bytes.
// One lazily started worker thread serves every download of the process; it keeps the process
// alive only while a hash is in flight.
import { Worker } from 'node:worker_threads';

// The worker is inline source (eval) so it needs no separate file in the ESM/CJS builds.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(m.chunk);
  } else if (m.type === 'drop') {
    hashes.delete(m.id);
  } else if (m.type === 'sync') {
    parentPort.postMessage({ id: m.id, synced: true });
  } else if (m.type === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: h.digest('base64') });
  } else if (m.type === 'file') {
    const h = createHash('md5');
    let size = 0;
    createReadStream(m.path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => { h.update(chunk); size += chunk.length; })
      .on('error', (error) => parentPort.postMessage({ id: m.id, error: String(error && error.message || error) }))
      .on('end', () => parentPort.postMessage({ id: m.id, digest: h.digest('base64'), size }));
  }
});
`;

interface Reply {
  id: number;
  digest?: string;
  size?: number;
  synced?: boolean;
  error?: string;
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

function theWorker(): Worker {
  if (worker) return worker;
  const created = new Worker(SOURCE, { eval: true });
  created.unref();
  created.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    release();
    if (reply.error !== undefined) pending.reject(new Error(reply.error));
    else pending.resolve(reply);
  });
  const fail = (error: Error) => {
    if (worker === created) worker = undefined;
    for (const [id, pending] of waiting) {
      waiting.delete(id);
      release();
      pending.reject(error);
    }
  };
  created.on('error', fail);
  created.on('exit', (code) => fail(new Error(`MD5 worker exited with code ${code}`)));
  worker = created;
  return created;
}

/** Keeps the process alive exactly while replies are awaited. */
let inFlight = 0;
function hold(): void {
  if (inFlight++ === 0) worker?.ref();
}
function release(): void {
  if (--inFlight === 0) worker?.unref();
}

function ask(message: Record<string, unknown>, id: number): Promise<Reply> {
  const w = theWorker();
  return new Promise<Reply>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    hold();
    w.postMessage(message);
  });
}

/** Bytes a hasher may post before waiting for the worker to catch up (bounds queued memory). */
const SYNC_EVERY = 32 * 2 ** 20;

/**
 * An incremental MD5 whose work happens on the worker thread.
 * @example const md5 = new WorkerMd5(); await md5.update(chunk); const digest = await md5.digest();
 */
export class WorkerMd5 {
  readonly #id = nextId++;
  #unsynced = 0;

  /** Queues a copy of the chunk; resolves at once unless the worker is behind. */
  async update(chunk: Uint8Array): Promise<void> {
    theWorker().postMessage({ type: 'update', id: this.#id, chunk });
    this.#unsynced += chunk.length;
    if (this.#unsynced >= SYNC_EVERY) {
      this.#unsynced = 0;
      await ask({ type: 'sync', id: this.#id }, this.#id);
    }
  }

  /** Forgets the partial hash (an attempt that failed or was aborted). */
  drop(): void {
    worker?.postMessage({ type: 'drop', id: this.#id });
  }

  /** The base64 digest; the hasher is done afterwards. */
  async digest(): Promise<string> {
    return (await ask({ type: 'digest', id: this.#id }, this.#id)).digest!;
  }
}

/**
 * Base64 MD5 and size of a file, read and hashed on the worker thread.
 * @example const { digest, size } = await workerFileDigest('artifacts/mnist-dataset:v2/train.csv');
 */
export async function workerFileDigest(path: string): Promise<{ digest: string; size: number }> {
  const id = nextId++;
  const reply = await ask({ type: 'file', id, path }, id);
  return { digest: reply.digest!, size: reply.size! };
}
