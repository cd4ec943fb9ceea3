/** One line per request on either origin, for tests to assert on what clients actually sent; the latest N are kept. */
import type { IncomingMessage } from 'node:http';

/** One request the server received, as `server.requests` records it. */
export interface RequestLogEntry {
  /** `api` for the API origin, `storage` for the signed-URL origin. */
  origin: 'api' | 'storage';
  /** The HTTP method. */
  method: string;
  /** The URL path, without the query string. */
  path: string;
  /** The GraphQL operation (from operationName, else the document's only named operation). */
  operationName?: string;
  /** Whether the request carried an Authorization header (never its value). */
  hasAuthorization: boolean;
  /** The User-Agent header. */
  userAgent?: string;
  /** The Range header, when the request had one (a resumed download). */
  range?: string;
  /** The status sent; 0 when the connection was reset without an answer. */
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
  /** Requests of this origin being handled when this one arrived, itself included (what concurrency clients put on the server). */
  inFlight: number;
}

export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

export function newEntry(origin: RequestLogEntry['origin'], req: IncomingMessage): RequestLogEntry {
  const entry: RequestLogEntry = {
    origin,
    method: req.method ?? 'GET',
    path: pathOf(req),
    hasAuthorization: req.headers.authorization !== undefined,
    status: 0,
    at: Date.now(),
    inFlight: 0,
  };
  const ua = req.headers['user-agent'];
  if (ua !== undefined) entry.userAgent = ua;
  if (req.headers.range !== undefined) entry.range = req.headers.range;
  return entry;
}

/** How many entries `server.requests` keeps unless startServer says otherwise. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

/** Appends an entry, dropping the oldest beyond `limit` so a long-running server's log stays bounded. */
export function record(log: RequestLogEntry[], entry: RequestLogEntry, limit: number): void {
  log.push(entry);
  if (log.length > limit) log.splice(0, log.length - limit);
}
