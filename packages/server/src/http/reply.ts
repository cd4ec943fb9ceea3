/** Writing answers, including the deliberately broken ones faults ask for. */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyWire } from '../store/json';
import type { RequestLogEntry } from './requestLog';

/** A byte range of a file on disk, streamed instead of read into memory (big blobs). */
export interface FileBody {
  file: string;
  start: number;
  length: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer | FileBody;
}

/** A JSON reply in strict JSON (see stringifyWire for non-finite numbers). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: stringifyWire(body) };
}

/** A `{"errors":[{"message"}]}` body, the shape W&B clients read errors from. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { errors: [{ message }] }, headers);
}

/**
 * A body cut short (faults): `truncate` promises the whole body, delivers half, then cuts the
 * connection; `stall` delivers half, then nothing more while the connection stays open.
 */
export type Cut = 'truncate' | 'stall';

/**
 * File bodies up to this size are read in one synchronous call and sent whole: a stream's
 * asynchronous open, reads and close cost several times more per file (a download of thousands
 * of small files is mostly that).
 */
const SMALL_FILE_BYTES = 2 ** 20;

export function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply, cut?: Cut): void {
  let body: Buffer;
  let done: (() => void) | undefined;
  if (typeof reply.body === 'string') body = Buffer.from(reply.body, 'utf8');
  else if (Buffer.isBuffer(reply.body)) body = reply.body;
  else {
    const { file, start, length } = reply.body;
    if (length === 0 || length > SMALL_FILE_BYTES) {
      sendFile(res, entry, reply, reply.body, cut);
      return;
    }
    const slab = borrowSlab();
    body = readRange(file, start, length, slab);
    // The slab is reused once the socket took the bytes (never, if the connection died first).
    done = () => releaseSlab(slab);
  }
  entry.status = reply.status;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  if (!cut) {
    res.end(body, done);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    done?.();
    if (cut === 'truncate') res.destroy();
  });
}

/**
 * Buffers file bodies are read into, reused once written: a fresh buffer per read would be
 * allocated and collected at the rate files are served (hundreds of MB/s), and V8 answers that
 * much external memory with a full collection every few tens of milliseconds.
 */
const SLAB_BYTES = SMALL_FILE_BYTES;
const freeSlabs: Buffer[] = [];

function borrowSlab(): Buffer {
  return freeSlabs.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
}

function releaseSlab(slab: Buffer): void {
  if (freeSlabs.length < 64) freeSlabs.push(slab);
}

/** `length` (≤ SLAB_BYTES) bytes of `file` from `start`, read into `slab`. */
function readRange(file: string, start: number, length: number, slab: Buffer): Buffer {
  const bytes = slab.subarray(0, length);
  const fd = openSync(file, 'r');
  try {
    for (let done = 0; done < length; ) {
      const n = readSync(fd, bytes, done, length - done, start + done);
      if (n === 0) return bytes.subarray(0, done);
      done += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

function sendFile(res: ServerResponse, entry: RequestLogEntry, reply: Reply, body: FileBody, cut: Cut | undefined): void {
  entry.status = reply.status;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  const length = cut ? Math.floor(body.length / 2) : body.length;
  if (length === 0 || res.req.method === 'HEAD') {
    if (cut === 'truncate') res.destroy();
    else if (!cut) res.end();
    else res.flushHeaders();
    return;
  }
  pump(res, body.file, body.start, length).then(
    () => {
      if (cut === 'truncate') res.destroy();
      else if (!cut) res.end();
    },
    () => res.destroy(),
  );
}

/**
 * Writes `length` bytes of `file` from `start` to `res` through two slabs: one is read into while
 * the socket sends the other, and a slab is read into again only after the socket took it.
 */
async function pump(res: ServerResponse, file: string, start: number, length: number): Promise<void> {
  const handle = await open(file, 'r');
  const free: Buffer[] = [borrowSlab(), borrowSlab()];
  let wake: (() => void) | undefined;
  let failed: Error | null | undefined;
  try {
    for (let position = start, end = start + length; position < end; ) {
      while (!free.length && !failed) await new Promise<void>((resolve) => (wake = resolve));
      if (failed || res.destroyed) throw failed ?? new Error('connection closed');
      const slab = free.pop()!;
      const { bytesRead } = await handle.read(slab, 0, Math.min(slab.length, end - position), position);
      if (bytesRead === 0) throw new Error(`${file} ended early`);
      position += bytesRead;
      res.write(slab.subarray(0, bytesRead), (error) => {
        if (error) failed ??= error;
        else free.push(slab);
        wake?.();
      });
    }
    // Every slab back from the socket before they are handed on.
    while (free.length < 2 && !failed) await new Promise<void>((resolve) => (wake = resolve));
    for (const slab of free) releaseSlab(slab);
  } finally {
    await handle.close();
  }
}

export function reset(req: IncomingMessage, entry: RequestLogEntry): void {
  entry.status = 0;
  req.socket.destroy();
}
