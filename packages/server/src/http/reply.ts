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

export function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply, truncate = false): void {
  if (typeof reply.body !== 'string' && !Buffer.isBuffer(reply.body)) {
    sendFile(res, entry, reply, reply.body, truncate);
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  entry.status = reply.status;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  if (!truncate) {
    res.end(body);
    return;
  }
  // Promise the whole body, deliver half, then cut the connection.
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}

function sendFile(res: ServerResponse, entry: RequestLogEntry, reply: Reply, body: FileBody, truncate: boolean): void {
  entry.status = reply.status;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body.length) });
  // Truncation (a fault) promises the whole body, delivers half, then cuts the connection.
  const length = truncate ? Math.floor(body.length / 2) : body.length;
  if (length === 0 || res.req.method === 'HEAD') {
    if (truncate) res.destroy();
    else res.end();
    return;
  }
  const stream = createReadStream(body.file, { start: body.start, end: body.start + length - 1 });
  stream.on('error', () => res.destroy());
  stream.on('end', () => {
    if (truncate) res.destroy();
  });
  stream.pipe(res, { end: !truncate });
}

export function reset(req: IncomingMessage, entry: RequestLogEntry): void {
  entry.status = 0;
  req.socket.destroy();
}
