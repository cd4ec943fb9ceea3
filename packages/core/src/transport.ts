// The single request loop every call goes through (modelled on openai-node): credentials only for
// URLs under the base URL, the caller's signal joined with a per-attempt timeout, and retries with
// jittered exponential backoff that honour Retry-After, bounded by attempts and by total time.
import type { ResolvedConfig } from './config.js';
import {
  AuthenticationError,
  ConnectionError,
  type GraphQLErrorEntry,
  HTTPError,
  RateLimitError,
  TimeoutError,
  WandbError,
  httpErrorClass,
  redact,
} from './errors.js';
import { toStandardJson } from './json.js';
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
  /** Read the whole body inside the retry loop (GraphQL), so a truncated body is retried too. */
  buffer?: boolean;
  /** Used in error messages. */
  operationName?: string;
  /**
   * Buffered JSON bodies holding bare NaN / Infinity (W&B writes them) are rewritten as standard
   * JSON with sentinel strings, and this is called so the caller revives them after parsing.
   */
  onNonFinite?: () => void;
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
    if (target.origin !== this.base.origin) return false;
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
  }

  /** Headers for a request: the W&B headers and credentials only when the URL is under the base URL. */
  private headersFor(url: string, init: RequestInit | undefined): Headers {
    const headers = new Headers(init?.headers);
    if (!this.isUnderBaseUrl(url)) {
      headers.delete('authorization');
      return headers;
    }
    for (const [name, value] of Object.entries(this.config.headers)) if (!headers.has(name)) headers.set(name, value);
    // The server gates admin-capable access on a recognised public-client User-Agent.
    headers.set('User-Agent', this.config.userAgent);
    headers.set('Use-Admin-Privileges', 'true');
    if (this.basicAuth) headers.set('Authorization', this.basicAuth);
    return headers;
  }

  private redact(text: string): string {
    return redact(text, this.config.apiKey);
  }

  /** Sends one request with retries; resolves with a 2xx response or throws a typed error. */
  async send(url: string, init: RequestInit = {}, options: SendOptions = {}): Promise<Response> {
    const { config } = this;
    const underBase = this.isUnderBaseUrl(url);
    if (underBase && !this.basicAuth) {
      throw new AuthenticationError('No API key configured: pass `apiKey`, set WANDB_API_KEY, or add the host to ~/.netrc.', {
        status: 401,
        url,
        operationName: options.operationName,
      });
    }
    const headers = this.headersFor(url, init);
    const deadline = Date.now() + config.maxRetryTimeMs;
    const timeoutMs = options.timeoutMs ?? config.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(options.signal);
      throwIfAborted(init.signal ?? undefined);
      let failure: WandbError;
      let retryAfterMs: number | undefined;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(TIMEOUT), timeoutMs);
      const joined = anySignal([options.signal, init.signal ?? undefined, timeout.signal]);
      try {
        const response = await config.fetch(url, { ...init, headers, signal: joined.signal });
        if (response.ok) {
          if (!options.buffer) return response;
          let body = await response.text();
          if (looksComplete(body, response)) {
            const standard = toStandardJson(body);
            if (standard !== undefined) {
              body = standard;
              options.onNonFinite?.();
            }
            return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
          }
          failure = new ConnectionError(`The response to ${this.describe(options, url)} was cut short.`);
        } else {
          failure = await this.errorFromResponse(response, url, options);
          retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
          if (!isRetryableStatus(response.status)) throw failure;
        }
      } catch (error) {
        if (error instanceof WandbError && !(error instanceof ConnectionError)) throw error;
        if (options.signal?.aborted || init.signal?.aborted) throw abortError(options.signal?.aborted ? options.signal : (init.signal ?? undefined));
        failure = timeout.signal.aborted
          ? new TimeoutError(`${this.describe(options, url)} timed out after ${timeoutMs} ms.`)
          : error instanceof ConnectionError
            ? error
            : new ConnectionError(`${this.describe(options, url)} failed: ${this.redact(String((error as Error)?.message ?? error))}`, { cause: error });
      } finally {
        clearTimeout(timer);
        joined.dispose();
      }
      const delay = retryAfterMs ?? this.backoff(attempt);
      if (attempt >= config.maxRetries || Date.now() + delay > deadline) throw failure;
      config.logger.debug?.(`retrying ${this.describe(options, url)} in ${Math.round(delay)} ms: ${failure.message}`);
      await sleep(delay, options.signal);
    }
  }

  private backoff(attempt: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.config;
    return Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** attempt) * (1 + Math.random() * 0.25);
  }

  private describe(options: SendOptions, url: string): string {
    if (options.operationName) return `GraphQL ${options.operationName}`;
    const { origin, pathname } = new URL(url);
    return `Request to ${this.redact(origin + pathname)}`;
  }

  /** Builds the typed error for a non-2xx response; the message never holds the API key. */
  private async errorFromResponse(response: Response, url: string, options: SendOptions): Promise<HTTPError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The body is lost; the status still says what happened.
    }
    let errors: GraphQLErrorEntry[] | undefined;
    try {
      const json = JSON.parse(text) as { errors?: unknown; error?: unknown };
      if (Array.isArray(json.errors)) errors = json.errors.filter((e): e is GraphQLErrorEntry => typeof e?.message === 'string');
      else if (typeof json.error === 'string') errors = [{ message: json.error }];
    } catch {
      // Not JSON: the raw body is the message.
    }
    const detail = errors?.length ? (errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join('; ')}]`) : text.slice(0, 500);
    const status = response.status;
    const message = this.redact(`${this.describe(options, url)} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`);
    const ErrorClass = httpErrorClass(status);
    const details = { status, url: this.redact(url), operationName: options.operationName, errors };
    if (ErrorClass === RateLimitError) {
      return new RateLimitError(message, { ...details, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
    }
    return new ErrorClass(message, details);
  }
}

/**
 * A cheap completeness check for a buffered JSON body. fetch already fails on a body shorter than
 * its Content-Length; this catches the rest (a chunked body cut mid-way rarely ends its object).
 */
function looksComplete(body: string, response: Response): boolean {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return true;
  const trimmed = body.trimEnd();
  return trimmed.endsWith('}') || trimmed.endsWith(']');
}
