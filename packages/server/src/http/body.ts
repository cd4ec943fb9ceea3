/** Reading request bodies, bounded, and inflating gzipped ones, bounded too. */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** Body limits per route, in bytes; over a limit the answer is a 413 with a JSON error. */
export const BODY_LIMITS = {
  /** POST /graphql: a query (at most 128 KiB, see graphql/queryLimits.ts) and its variables. */
  graphql: 16 * 1024 * 1024,
  /** POST …/file_stream, as sent and after gunzip. */
  fileStream: 64 * 1024 * 1024,
  /** Anything else (signed uploads). */
  default: 64 * 1024 * 1024,
} as const;

export class BodyTooLargeError extends Error {}

/**
 * The whole body, or BodyTooLargeError as soon as it passes `limit` (before reading anything when
 * Content-Length says so). The rest of an oversized body is not read: the 413 closes the connection.
 */
export async function readBody(req: IncomingMessage, limit: number = BODY_LIMITS.default): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new BodyTooLargeError(`request body of ${declared} bytes is over the limit of ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body over the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const gunzipAsync = promisify(gunzip);

/** Inflates a gzip body, stopping with BodyTooLargeError past `limit` bytes of output (a small bomb inflates to gigabytes). */
export async function gunzipBounded(body: Buffer, limit: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(`gzip body inflates to more than the limit of ${limit} bytes`);
    }
    throw err;
  }
}
