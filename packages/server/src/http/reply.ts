/** Writing answers, including the deliberately broken ones faults ask for. */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
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
  if (typeof reply.body === 'string') body = Buffer.from(reply.body, 'utf8');
  else if (Buffer.isBuffer(reply.body)) body = reply.body;
  else {
    const { file, start, length } = reply.body;
    if (length === 0 || length > SMALL_FILE_BYTES) {
      sendFile(res, entry, reply, reply.body, cut);
      return;
    }
    body = readRange(file, start, length);
  }
  entry.status = reply.status;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  if (!cut) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    if (cut === 'truncate') res.destroy();
  });
}

/** `length` bytes of `file` from `start`. */
function readRange(file: string, start: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
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
  const stream = createReadStream(body.file, { start: body.start, end: body.start + length - 1 });
  stream.on('error', () => res.destroy());
  stream.on('end', () => {
    if (cut === 'truncate') res.destroy();
  });
  stream.pipe(res, { end: !cut });
}

export function reset(req: IncomingMessage, entry: RequestLogEntry): void {
  entry.status = 0;
  req.socket.destroy();
}
