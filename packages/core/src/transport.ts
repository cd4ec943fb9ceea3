// The single request loop every call goes through (modelled on openai-node): credentials only for
// URLs under the base URL, the caller's signal joined with a per-attempt timeout, and retries with
// jittered exponential backoff that honour Retry-After, bounded by attempts and by total time.
import type { ResolvedConfig } from './config.js';
import { AuthenticationError, ConnectionError, type GraphQLErrorEntry, TimeoutError, WandbError, httpErrorClass, messageOf, redact } from './errors.js';
import { parseJson } from './json.js';
import { abortError, anySignal, sleep, throwIfAborted } from './signal.js';

/** Per-call options accepted by every function of the SDK that talks to the server. */
export interface CallOptions {
  /** Cancels the call (every attempt and every wait between them). */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

/** Options of one transport request. */
export interface SendOptions extends CallOptions {
  /** Used in error messages. */
  operationName?: string;
  /** Send no W&B headers or credentials, even under the base URL (artifact references hosted there). */
  anonymous?: boolean;
}

/** Statuses worth another attempt: 408, 429 and 5xx except 501 (never 400/401/403/404/409/410/413/422). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** Parses Retry-After (delta seconds or an HTTP date) into ms. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const TIMEOUT = Symbol('timeout');

/**
 * The request loop every call goes through: timeouts, retries with backoff, cancellation,
 * error mapping, and credentials only for URLs under the base URL. Reach it as `client.transport`.
 * @example
 * const response = await client.transport.send(`${client.config.baseUrl}/files/x`, { method: 'GET' });
 */
export class Transport {
  private readonly basicAuth: string | undefined;
  private readonly base: URL;

  /** @param config The resolved configuration (see `resolveConfig`). */
  constructor(readonly config: ResolvedConfig) {
    this.basicAuth = config.apiKey ? `Basic ${btoa(`api:${config.apiKey}`)}` : undefined;
    this.base = new URL(config.baseUrl);
  }

  /** True when `url` has the base URL's scheme, host and port and lies under its path. */
  isUnderBaseUrl(url: string): boolean {
    let target: URL;
    try {
      target = new URL(url, this.base);
    } catch {
      return false;
    }
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return target.origin === this.base.origin && (target.pathname === basePath || target.pathname.startsWith(`${basePath}/`));
  }

  /** Sends one request with retries; resolves with a 2xx response or throws a typed error. */
  send(url: string, init?: RequestInit, options?: SendOptions): Promise<Response> {
    return this.loop(url, init, options, async (response) => response);
  }

  /**
   * Sends a request whose answer is JSON (GraphQL) and parses it with the NaN-tolerant decoder.
   * The body is read inside the retry loop, so a body cut short is retried like a reset.
   */
  sendJson(url: string, init?: RequestInit, options?: SendOptions): Promise<unknown> {
    return this.loop(url, init, options, async (response) => parseJson(await response.text()));
  }

  private async loop<T>(url: string, init: RequestInit = {}, options: SendOptions = {}, read: (response: Response) => Promise<T>): Promise<T> {
    const { config, basicAuth } = this;
    const { operationName, signal } = options;
    const redactKey = (text: string) => redact(text, config.apiKey);
    // What failed, for messages: the operation, else the URL without its query (which may hold a signature).
    const what = () => (operationName ? `GraphQL ${operationName}` : `Request to ${redactKey(new URL(url).origin + new URL(url).pathname)}`);
    // The W&B headers and the credentials go only to URLs under the base URL.
    const headers = new Headers(init.headers);
    if (!options.anonymous && this.isUnderBaseUrl(url)) {
      if (!basicAuth) {
        throw new AuthenticationError(config.missingApiKeyMessage, { status: 401, url, operationName });
      }
      for (const [name, value] of Object.entries(config.headers)) if (!headers.has(name)) headers.set(name, value);
      // The server gates admin-capable access on a recognised public-client User-Agent.
      headers.set('User-Agent', config.userAgent);
      headers.set('Use-Admin-Privileges', 'true');
      headers.set('Authorization', basicAuth);
    } else headers.delete('authorization');
    const signals = [signal, init.signal ?? undefined];
    const deadline = Date.now() + config.maxRetryTimeMs;
    const timeoutMs = options.timeoutMs ?? config.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      for (const s of signals) throwIfAborted(s);
      let failure: WandbError;
      let retryAfterMs: number | undefined;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(TIMEOUT), timeoutMs);
      const joined = anySignal([...signals, timeout.signal]);
      try {
        const response = await config.fetch(url, { ...init, headers, signal: joined.signal });
        const { status } = response;
        if (response.ok) {
          try {
            return await read(response);
          } catch (error) {
            if (!(error instanceof SyntaxError)) throw error;
            // A JSON answer that does not parse was cut short (retried); anything else is not W&B.
            const type = response.headers.get('content-type') ?? '';
            if (type.includes('json')) throw new ConnectionError(`The response to ${what()} was cut short.`);
            throw new WandbError(`${what()} got ${type || 'a response'} instead of JSON: is ${config.baseUrl} a W&B server?`);
          }
        } else {
          const text = await response.text().catch(() => ''); // the body is lost; the status still says what happened
          let errors: GraphQLErrorEntry[] | undefined;
          try {
            const json = JSON.parse(text) as { errors?: unknown; error?: unknown };
            if (Array.isArray(json.errors)) errors = json.errors.filter((e): e is GraphQLErrorEntry => typeof e?.message === 'string');
            else if (typeof json.error === 'string') errors = [{ message: json.error }];
          } catch {
            // Not JSON: the raw body is the message.
          }
          const detail = errors?.length ? messageOf(errors) : text.slice(0, 500);
          retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
          const ErrorClass = httpErrorClass(status);
          failure = new ErrorClass(redactKey(`${what()} failed with HTTP ${status}${detail && `: ${detail}`}`), {
            status,
            url: redactKey(url),
            operationName,
            errors,
            retryAfterMs,
          });
          if (!isRetryableStatus(status)) throw failure;
        }
      } catch (error) {
        if (error instanceof WandbError && !(error instanceof ConnectionError)) throw error;
        const aborted = signals.find((s) => s?.aborted);
        if (aborted) throw abortError(aborted);
        failure = timeout.signal.aborted
          ? new TimeoutError(`${what()} timed out after ${timeoutMs} ms.`)
          : error instanceof ConnectionError
            ? error
            : new ConnectionError(`${what()} failed: ${redactKey(String((error as Error)?.message ?? error))}`, { cause: error });
      } finally {
        clearTimeout(timer);
        joined.dispose();
      }
      // Jittered exponential backoff, unless the server said when to come back.
      const delay = retryAfterMs ?? Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** attempt) * (1 + Math.random() * 0.25);
      if (attempt >= config.maxRetries || Date.now() + delay > deadline) throw failure;
      config.logger.debug?.(`retrying ${what()} in ${Math.round(delay)} ms: ${failure.message}`);
      await sleep(delay, signal);
    }
  }
}
