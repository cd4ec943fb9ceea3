// Node's default fetch for the request loop: GETs (signed storage URLs, references, run files) go
// over node:http(s) with keep-alive agents, everything else (GraphQL, uploads) over the global
// fetch. A download is thousands of GETs: undici's fetch spends ~0.3 ms of CPU on each (Request
// objects, web streams, signal plumbing) where node:http spends ~0.08, and its bodies read slower.
// The answer is a Response whose body is a small reader over the node stream (what the request
// loop reads: `getReader`, `cancel`), not a web stream. Headers go to the URL the request loop
// chose, nowhere else: only credential-free GETs follow redirects here; a redirected GET with
// credentials is done again by the global fetch, which drops them across origins as the fetch
// standard says. A kept-alive connection the server had closed fails with `staleConnection` set: the
// request loop sends it again at once as an attempt of its own (hooks and logs see every request).
import { type IncomingMessage, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

// One keep-alive agent per protocol, made on first use (no import-time side effects).
let agents: { http: HttpAgent; https: HttpsAgent } | undefined;
const agentsFor = () => (agents ??= { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) });

/** Chunks of a node stream through a reader with the shape the request loop reads (`read`, `cancel`). */
class NodeBody {
  readonly #stream: Readable;
  readonly #queue: Uint8Array[] = [];
  #ended = false;
  #error: { error: unknown } | undefined;
  #wake: (() => void) | undefined;

  constructor(stream: Readable) {
    this.#stream = stream;
    const wake = () => {
      const w = this.#wake;
      this.#wake = undefined;
      w?.();
    };
    // Flowing, paused while 16 chunks wait: no Buffer.concat of a paused stream's buffer.
    stream.on('data', (chunk: Uint8Array) => {
      if (this.#queue.push(chunk) >= 16) stream.pause();
      wake();
    });
    stream.on('end', () => {
      this.#ended = true;
      wake();
    });
    stream.on('error', (error) => {
      this.#error ??= { error };
      wake();
    });
    stream.on('close', () => {
      // Closed before the end without an error of its own: the body was cut short.
      if (!this.#ended) this.#error ??= { error: Object.assign(new Error('The response body was cut short.'), { code: 'ECONNRESET' }) };
      wake();
    });
  }

  /** The ReadableStream reader subset the request loop uses. */
  getReader(): { read(): Promise<ReadableStreamReadResult<Uint8Array>>; cancel(): Promise<void>; releaseLock(): void } {
    return { read: () => this.#read(), cancel: () => this.cancel(), releaseLock: () => {} };
  }

  async #read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    for (;;) {
      const value = this.#queue.shift();
      if (value) {
        if (this.#queue.length < 4 && this.#stream.isPaused()) this.#stream.resume();
        return { done: false, value };
      }
      if (this.#error) throw this.#error.error;
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Stops reading and frees the connection. */
  async cancel(): Promise<void> {
    this.#ended = true;
    this.#stream.destroy();
  }
}

/** Headers of a node response, repeated ones kept (as fetch gives them). */
function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The decoded body, as fetch decodes it (gzip, deflate, br); other encodings pass as they are. */
function decoded(response: IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  response.on('aborted', () => decoder.destroy(Object.assign(new Error('The response body was cut short.'), { code: 'ECONNRESET' })));
  return response.pipe(decoder);
}

/** Whether a request takes the node:http path: a GET without a body, to http(s). */
function isGet(url: URL, init: RequestInit | undefined): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && (init?.method ?? 'GET').toUpperCase() === 'GET' && init?.body == null;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * One GET over node:http(s); rejects as fetch does (TypeError with the network error as cause,
 * or the signal's reason). A credential-free GET follows up to 20 redirects; one with credentials
 * that is redirected is done again by `redo` (the global fetch), which follows the redirect under
 * the fetch standard's rules (credentials dropped across origins). A reset before any answer on a
 * kept-alive connection (one the server may have closed meanwhile) rejects with `staleConnection`.
 */
function send(
  url: URL,
  request: { headers: Record<string, string>; signal: AbortSignal | null | undefined },
  redo: (() => Promise<Response>) | undefined,
  redirects: number,
): Promise<Response> {
  const { signal } = request;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const https = url.protocol === 'https:';
    const outgoing = (https ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: request.headers,
      agent: https ? agentsFor().https : agentsFor().http,
    });
    const onAbort = () => outgoing.destroy(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let answered = false;
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const staleConnection = !answered && outgoing.reusedSocket && error.code === 'ECONNRESET';
      reject(signal?.aborted ? signal.reason : Object.assign(new TypeError('fetch failed', { cause: error }), { staleConnection }));
    });
    outgoing.once('response', (response) => {
      answered = true;
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT.has(status) && location) {
        response.resume();
        signal?.removeEventListener('abort', onAbort);
        if (redo) return resolve(redo());
        if (redirects >= 20) return reject(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }));
        return resolve(send(new URL(location, url), request, undefined, redirects + 1));
      }
      // The body goes on under the signal: an abort destroys the stream (the reader then throws).
      response.once('close', () => signal?.removeEventListener('abort', onAbort));
      const body = new NodeBody(decoded(response));
      const answer = new Response(null, { status, statusText: response.statusMessage ?? '', headers: headersOf(response) });
      Object.defineProperty(answer, 'body', { value: body });
      Object.defineProperty(answer, 'url', { value: url.toString() });
      Object.defineProperty(answer, 'redirected', { value: redirects > 0 });
      resolve(answer);
    });
    outgoing.end();
  });
}

/**
 * A fetch for Node: GETs over node:http(s) (keep-alive agents, bodies decoded as fetch decodes
 * them; without credentials, redirects are followed here; with them, a redirected GET is done
 * again by the global fetch, which applies the fetch standard's redirect rules), everything else
 * through the global fetch. Its answers' bodies are readers over the node stream
 * (`getReader().read()`, `cancel()`), which is all the request loop reads. The default fetch of
 * Node clients unless a proxy or `fetch` is configured.
 * @example createClient({ fetch: httpFetch })
 */
export const httpFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (input instanceof Request || !isGet(url, init)) return globalThis.fetch(input, init);
  const headers: Record<string, string> = {};
  const given = init?.headers;
  // The request loop hands a Headers already: no copy of it.
  (given instanceof Headers ? given : new Headers(given)).forEach((value, name) => (headers[name] = value));
  // As fetch asks: compressed bodies, except for a range of bytes.
  headers['accept-encoding'] ??= headers.range ? 'identity' : 'gzip, deflate, br';
  const credentialed = 'authorization' in headers || 'cookie' in headers || 'proxy-authorization' in headers;
  return send(url, { headers, signal: init?.signal }, credentialed ? () => globalThis.fetch(input, init) : undefined, 0);
};
