/** Writing answers, including the deliberately broken ones faults ask for. */
import { createReadStream } from 'node:fs';
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

export function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply, cut?: Cut): void {
  if (typeof reply.body !== 'string' && !Buffer.isBuffer(reply.body)) {
    sendFile(res, entry, reply, reply.body, cut);
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
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
