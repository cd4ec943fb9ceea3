// Streamed bodies (run files, artifact files): chunks read through the request loop, under the
// idle timeout and the caller's signal, and resumed with `Range` from the last byte handed out
// when the body breaks off, so a consumer hashing the chunks sees every byte once, in order.
import type { WandbClient } from './client.js';
import { AbortError, ConnectionError, scrub } from './errors.js';
import type { Attempt, Call, SendOptions } from './transport.js';

/**
 * A response body as an async iterable of chunks. A body that breaks off or stalls is requested
 * again from the next byte (`Range`) under the client's retry policy (attempts, total time,
 * retry budget); every failure is a typed WandbError. Iterate it once (or call `readable()` once).
 */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  /** The status of the first answer (200, or 206 for a range request). */
  readonly status: number;
  /** The headers of the first answer. */
  readonly headers: Headers;
  /** Stops reading and releases the connection. */
  cancel(): Promise<void>;
  /** The same chunks as a ReadableStream (errors with the typed error). */
  readable(): ReadableStream<Uint8Array>;
}

/**
 * GETs `url` through the request loop (credentials only under the base URL, never to signed
 * storage URLs) and resolves when the headers arrived, with the body as a {@link BodyStream}.
 * @example
 * const body = await openStream(client, file.directUrl, {}, { signal });
 * for await (const chunk of body) md5.update(chunk);
 */
export async function openStream(client: WandbClient, url: string, init: RequestInit = {}, options: SendOptions = {}): Promise<BodyStream> {
  const { transport } = client;
  const target = new URL(url, `${client.config.baseUrl}/`).toString();
  // The call (its retry state) is the first request's, shared by every resume; the attempt is the current one's.
  let call: Call | undefined;
  let attempt!: Attempt;
  const open = (headers?: HeadersInit) =>
    transport.run(
      target,
      { ...init, headers },
      options,
      async (response, current, first) => {
        current.keep();
        attempt = current;
        call = first;
        return response;
      },
      call,
    );
  let response = await open(init.headers);
  let started = false;
  // Where the first answer's bytes lie in the file: a 206 says, a 200 is all of it (its
  // Content-Length, unless the body is encoded, gives the last byte).
  const { status, headers } = response;
  const range = status === 206 ? /^bytes (\d+)-(\d+)\//.exec(headers.get('content-range')!) : null;
  const length = headers.get('content-encoding') ? 0 : +headers.get('content-length')!;
  const start = range ? +range[1]! : 0;
  const end = range ? +range[2]! : length > 0 ? length - 1 : Infinity;
  const etag = headers.get('etag');

  async function* chunks(): AsyncGenerator<Uint8Array> {
    started = true;
    let received = 0;
    // Bytes to drop from the current answer: a server that ignored Range sent the file from byte 0.
    let skip = 0;
    try {
      for (;;) {
        try {
          for await (let chunk of attempt.chunks(response)) {
            const drop = Math.min(skip, chunk.length);
            skip -= drop;
            chunk = chunk.subarray(drop, drop + end + 1 - start - received);
            received += chunk.length;
            if (chunk.length) yield chunk;
            if (start + received > end) return;
          }
          return;
        } catch (error) {
          const failure = attempt.failure(error);
          attempt.dispose();
          if (failure instanceof AbortError) throw failure;
          await transport.retry(call!, failure, { reached: true });
          const from = start + received;
          const again = new Headers(init.headers);
          again.set('Range', `bytes=${from}-${end < Infinity ? end : ''}`);
          response = await open(again);
          const got = response.headers;
          skip = response.status === 206 && Number(/^bytes (\d+)-/.exec(got.get('content-range')!)?.[1]) === from ? 0 : response.status === 200 ? from : -1;
          if (skip < 0 || (etag && got.get('etag') !== etag)) {
            throw new ConnectionError(`${call!.what} broke off at byte ${from} and cannot be resumed: the answer was HTTP ${response.status} ${got.get('etag') ?? ''}.`);
          }
        }
      }
    } catch (error) {
      throw scrub(error, client.config.apiKey);
    } finally {
      attempt.dispose();
    }
  }

  const iterator = chunks();
  const body: BodyStream = {
    status,
    headers,
    [Symbol.asyncIterator]: () => iterator,
    async cancel() {
      if (!started) {
        attempt.dispose();
        await response.body?.cancel().catch(() => {});
      }
      await iterator.return(undefined);
    },
    readable: () =>
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: () => body.cancel(),
      }),
  };
  return body;
}
