/** Writing answers, including the deliberately broken ones faults ask for. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyWire } from '../store/json';
import type { RequestLogEntry } from './requestLog';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
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

export function reset(req: IncomingMessage, entry: RequestLogEntry): void {
  entry.status = 0;
  req.socket.destroy();
}
