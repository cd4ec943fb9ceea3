// The single request loop every call goes through (modelled on openai-node, retries on Smithy's
// standard strategy): credentials only for URLs under the base URL, the caller's signal joined
// with a per-attempt timeout and an idle timeout that cover the body too, bodies read inside the
// loop (a body cut short is retried like a reset), jittered exponential backoff that honours
// Retry-After, bounded by attempts, total time and a client-wide retry budget, and writes that
// are repeated only when that is safe.
import { type Clock, systemClock, timer } from './clock.js';
import { checkTimeout, type ResolvedConfig } from './config.js';
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  type GraphQLErrorEntry,
  TimeoutError,
  WandbError,
  WriteMayHaveAppliedError,
  httpErrorClass,
  messageOf,
  redact,
  scrub,
} from './errors.js';
import type { RequestEvent, ResponseEvent } from './hooks.js';
import { parseJson } from './json.js';
import { abortError, anySignal } from './signal.js';

/** Per-call options accepted by every function of the SDK that talks to the server. */
export interface CallOptions {
  /** Cancels the call (every attempt, every wait between them, and the body). */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call, in ms (`Infinity`: none). */
  timeoutMs?: number;
  /** Overrides the client's body idle timeout for this call, in ms (`Infinity`: none). */
  idleTimeoutMs?: number;
  /** Told of each HTTP attempt of this call as it ends, after the client's `hooks` (a windowed listing slows down on 429). */
  onResponse?: (event: ResponseEvent) => void;
}

/**
 * How safe a mutation is to send again after an attempt that may have reached the server
 * (operations/mutations.json classifies every one): `idempotent` (upserts, updates) is retried
 * like a read; `delete` too, and an object found gone on the retry counts as deleted; `unsafe`
 * (creates that mint ids) is retried only when the request provably never reached the server.
 */
export type WriteKind = 'idempotent' | 'delete' | 'unsafe';

/** Options of one transport request. */
export interface SendOptions extends CallOptions {
  /** Used in messages, logs and hooks. */
  operationName?: string;
  /** Send no W&B headers or credentials, even under the base URL (artifact references hosted there). */
  anonymous?: boolean;
  /** For mutations: how safe the request is to repeat (default: a read, retried freely). */
  write?: WriteKind;
  /** The GraphQL variables, for `debug` log lines (API key redacted). */
  variables?: unknown;
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

/** What `sendJson` returns for a delete whose retry found the object gone after an attempt that may have deleted it. */
export const GONE: unique symbol = Symbol('gone');

// Retry budget (AWS SDK v3 standard strategy): what a retry costs, and a retry after a timeout.
const RETRY_COST = 5;
const TIMEOUT_COST = 10;
// Before the client has reached its server once, connection failures get this many retries.
const FIRST_CONTACT_RETRIES = 2;

/** The URL as logs, hooks and errors show it: no query (signatures), no user info. */
function shown(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

/**
 * The network cause of a fetch failure, short (`ECONNREFUSED 127.0.0.1:29999`), and whether it
 * proves the request never left (refused, DNS, TLS, a port fetch refuses).
 */
function networkCause(error: unknown): { detail: string; unsent: boolean } {
  let deepest = error as { message?: string; code?: string; cause?: unknown } | undefined;
  while (deepest?.cause && typeof deepest.cause === 'object') deepest = deepest.cause as typeof deepest;
  const code = deepest?.code ?? '';
  const message = String(deepest?.message ?? error).replace(/^(connect|getaddrinfo) /, '');
  return {
    detail: code && !message.includes(code) ? `${code}: ${message}` : message,
    unsent: /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$|CERT|TLS|SSL/.test(code) || message === 'bad port',
  };
}

/**
 * What a body that failed mid-read means: AbortError (to throw) when the caller aborted, a
 * TimeoutError when the attempt's timers fired, else a ConnectionError (the body was cut short).
 */
export function bodyFailure(error: unknown, attempt: Attempt, call: Call, signals: readonly (AbortSignal | null | undefined)[]): WandbError {
  const aborted = signals.find((s) => s?.aborted);
  if (aborted) return abortError(aborted);
  if (error instanceof ConnectionError) return error;
  if (attempt.expired) {
    return new TimeoutError(
      attempt.expired === 'idle' ? `${call.what}: no data for ${attempt.idleTimeoutMs} ms.` : `${call.what} timed out after ${attempt.timeoutMs} ms.`,
    );
  }
  return new ConnectionError(`The response to ${call.what} was cut short: ${networkCause(error).detail}`, { cause: error });
}

/**
 * One attempt's cancellation: the caller's signals, the attempt timeout (until the headers, and
 * the whole body when it is read whole) and the idle timeout (armed while a body read waits).
 */
export class Attempt {
  /** Why the attempt was cut off by its own timers, if it was. */
  expired: 'timeout' | 'idle' | undefined;
  private readonly controller = new AbortController();
  private readonly joined: ReturnType<typeof anySignal>;
  private stopTimeout: () => void;
  private stopIdle = () => {};

  /**
   * @param clock The time source of the timers.
   * @param timeoutMs The attempt timeout, in ms.
   * @param idleTimeoutMs The longest wait for the next byte of a body, in ms.
   * @param signals The caller's signals.
   */
  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
    readonly idleTimeoutMs: number,
    signals: readonly (AbortSignal | null | undefined)[],
  ) {
    this.joined = anySignal([...signals.map((s) => s ?? undefined), this.controller.signal]);
    this.stopTimeout = timer(clock, timeoutMs, () => this.expire('timeout'));
  }

  /** Fires when the caller aborts or a timer expires. */
  get signal(): AbortSignal {
    return this.joined.signal;
  }

  private expire(why: 'timeout' | 'idle'): void {
    this.expired ??= why;
    this.controller.abort(why);
  }

  /** Set by `keep`: the attempt outlives the loop (a streamed body). */
  kept = false;

  /**
   * Hands the attempt to a stream that reads the body after the loop returned: the attempt timeout
   * ends (the idle timeout bounds the body from now on); the stream disposes of the attempt.
   */
  keep(): void {
    this.kept = true;
    this.stopTimeout();
  }

  /**
   * The body's chunks, each read under the idle timeout. A body that ends because the attempt was
   * cancelled throws (a cancelled reader looks like a clean end otherwise).
   */
  async *chunks(response: Response): AsyncGenerator<Uint8Array> {
    const reader = response.body?.getReader();
    if (!reader) return;
    const { signal } = this;
    // For fetch implementations that do not error the body when their signal fires.
    const onAbort = () => void reader.cancel().catch(() => {});
    signal.addEventListener('abort', onAbort);
    let done = false;
    try {
      while (!done) {
        this.stopIdle = timer(this.clock, this.idleTimeoutMs, () => this.expire('idle'));
        let value: Uint8Array | undefined;
        try {
          ({ done, value } = await reader.read());
        } finally {
          this.stopIdle();
        }
        if (signal.aborted) throw signal.reason;
        if (value) yield value;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!done) await reader.cancel().catch(() => {});
    }
  }

  /** The whole body, in one array (a Blob's copies and stream cost more on every page of a listing). */
  async bytes(response: Response): Promise<Uint8Array<ArrayBuffer>> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.chunks(response)) {
      parts.push(chunk);
      size += chunk.length;
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      body.set(part, at);
      at += part.length;
    }
    return body;
  }

  /** The whole body as text. */
  async text(response: Response): Promise<string> {
    return new TextDecoder().decode(await this.bytes(response));
  }

  /** Stops the timers and unhooks the caller's signals. */
  dispose(): void {
    this.stopTimeout();
    this.stopIdle();
    this.joined.dispose();
  }
}

/** The retry state of one call, shared by its attempts (and by the resumes of a streamed body). */
export interface Call {
  /** The call's options. */
  readonly options: SendOptions;
  /** What failed, for messages: the operation, else the URL without its query. */
  readonly what: string;
  /** No retry starts after this time. */
  readonly deadline: number;
  /** Attempts made so far. */
  attempts: number;
  /** An attempt may have reached the server without an answer (a reset, a timeout, a 5xx). */
  ambiguous: boolean;
  /** The budget tokens the last retry took (given back when the call succeeds). */
  cost: number;
}

/**
 * The request loop every call goes through: timeouts, retries with backoff and a client-wide
 * budget, cancellation, error mapping, write safety, logs and hooks, and credentials only for URLs
 * under the base URL. Every body is read inside it. Reach it as `client.transport`.
 * @example
 * const response = await client.transport.send(`${client.config.baseUrl}/files/x`, { method: 'GET' });
 */
export class Transport {
  private readonly basicAuth: string | undefined;
  private readonly base: URL;
  /** The time source of backoff and timeouts. */
  readonly clock: Clock;
  /** Tokens left in the client-wide retry budget. */
  tokens: number;
  /** Whether the base URL has answered once (until then, connection failures get few retries). */
  reached = false;

  /** @param config The resolved configuration (see `resolveConfig`). */
  constructor(readonly config: ResolvedConfig) {
    this.basicAuth = config.apiKey ? `Basic ${btoa(`api:${config.apiKey}`)}` : undefined;
    this.base = new URL(config.baseUrl);
    this.clock = config.clock ?? systemClock;
    this.tokens = config.retryBudget;
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

  /**
   * Sends one request with retries and reads its whole body inside the loop (timeouts, the
   * caller's signal and retries cover it); resolves with a 2xx response holding those bytes.
   */
  send(url: string, init?: RequestInit, options?: SendOptions): Promise<Response> {
    return this.run(url, init, options, async (response, attempt) => {
      const body = await attempt.bytes(response);
      const { status, statusText, headers } = response;
      return new Response(body.length ? body : null, { status, statusText, headers });
    });
  }

  /**
   * Sends a request whose answer is JSON (GraphQL) and parses it with the NaN-tolerant decoder.
   * The body is read inside the retry loop, so a body cut short is retried like a reset.
   * Resolves with GONE for a `delete` write found gone after an attempt that may have applied.
   */
  sendJson(url: string, init?: RequestInit, options?: SendOptions): Promise<unknown> {
    return this.run(url, init, options, async (response, attempt, call) => {
      const text = await attempt.text(response);
      try {
        return parseJson(text);
      } catch {
        // A JSON answer that does not parse was cut short (retried); anything else is not W&B.
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('json')) throw new ConnectionError(`The response to ${call.what} was cut short.`);
        throw new WandbError(`${call.what} got ${type || 'a response'} instead of JSON: is ${this.config.baseUrl} a W&B server?`);
      }
    });
  }

  /**
   * The loop: each attempt fetches, and `read` turns a 2xx answer into the result (it may read
   * the body through the attempt; a stream may keep the attempt with `keep`). Failures are retried
   * as the policy allows; everything thrown is a WandbError without the API key.
   */
  async run<T>(
    url: string,
    init: RequestInit = {},
    options: SendOptions = {},
    read: (response: Response, attempt: Attempt, call: Call) => Promise<T>,
    call?: Call,
  ): Promise<T> {
    try {
      return await this.loop(url, init, options, read, call);
    } catch (error) {
      throw scrub(error, this.config.apiKey);
    }
  }

  private async loop<T>(url: string, init: RequestInit, options: SendOptions, read: (response: Response, attempt: Attempt, call: Call) => Promise<T>, call?: Call): Promise<T> {
    const { config, basicAuth, clock } = this;
    const { signal, operationName } = options;
    const timeoutMs = options.timeoutMs === undefined ? config.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs);
    const idleTimeoutMs = options.idleTimeoutMs === undefined ? config.idleTimeoutMs : checkTimeout('idleTimeoutMs', options.idleTimeoutMs);
    call ??= {
      options,
      what: operationName ? `GraphQL ${operationName}` : `Request to ${shown(url)}`,
      deadline: clock.now() + config.maxRetryTimeMs,
      attempts: 0,
      ambiguous: false,
      cost: 0,
    };
    const { what } = call;
    const underBase = this.isUnderBaseUrl(url);
    // The W&B headers and the credentials go only to URLs under the base URL.
    const headers = new Headers(init.headers);
    if (!options.anonymous && underBase) {
      if (!basicAuth && !config.credentials) {
        throw new AuthenticationError(config.missingApiKeyMessage, { status: 401, url, operationName });
      }
      for (const [name, value] of Object.entries(config.headers)) if (!headers.has(name)) headers.set(name, value);
      // The server gates admin-capable access on a recognised public-client User-Agent.
      headers.set('User-Agent', config.userAgent);
      headers.set('Use-Admin-Privileges', 'true');
      headers.set('Authorization', basicAuth ?? (await config.credentials!.authorization(this, signal)));
    } else headers.delete('authorization');
    const method = init.method ?? 'GET';
    if (options.variables) config.logger.debug(`${what} ${redact(JSON.stringify(options.variables), config.apiKey)}`);
    for (;;) {
      if (signal?.aborted || init.signal?.aborted) throw abortError(signal?.aborted ? signal : init.signal!);
      const event: RequestEvent = { operationName, method, url: shown(url), attempt: ++call.attempts };
      this.hook('onRequest', event);
      const started = clock.now();
      const attempt = new Attempt(clock, timeoutMs, idleTimeoutMs, [signal, init.signal]);
      let status = 0;
      let failure: WandbError;
      let retryAfterMs: number | undefined;
      // Whether the request may have reached the server (pessimistic until shown otherwise).
      let reached = true;
      // No answer at all: the connection failed (refused, DNS, TLS, reset, "Failed to fetch").
      let unanswered = false;
      try {
        const response = await config.fetch(url, { ...init, headers, signal: attempt.signal });
        status = response.status;
        if (underBase) this.reached = true;
        if (response.ok) {
          const value = await read(response, attempt, call);
          this.tokens = Math.min(config.retryBudget, this.tokens + (call.cost || 1));
          this.ended(options, event, started, status);
          return value;
        }
        const text = redact(await attempt.text(response).catch(() => ''), config.apiKey);
        let errors: GraphQLErrorEntry[] | undefined;
        try {
          const json = JSON.parse(text) as { errors?: unknown; error?: unknown; error_description?: unknown };
          if (Array.isArray(json.errors)) errors = json.errors.filter((e): e is GraphQLErrorEntry => typeof e?.message === 'string');
          // OAuth's `{error, error_description}` (the identity token exchange) and W&B's `{error}`.
          else if (typeof json.error === 'string') errors = [{ message: json.error_description ? `${json.error}: ${json.error_description}` : json.error }];
        } catch {
          // Not JSON: the raw body is the message.
        }
        const detail = errors?.length ? messageOf(errors) : text.slice(0, 500);
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        // W&B answers these before doing anything: the request was not processed.
        reached = status !== 429 && status !== 503;
        const ErrorClass = httpErrorClass(status);
        failure = new ErrorClass(`${what} failed with HTTP ${status}${detail && `: ${detail}`}`, {
          status,
          url,
          operationName,
          errors,
          retryAfterMs,
          headers: Object.fromEntries(response.headers),
          ...(/^Syntax Error/.test(errors?.[0]?.message ?? '') && { code: 'graphql_syntax' }),
        });
        if (options.write === 'delete' && call.ambiguous && (status === 400 || status === 404 || status === 410)) {
          // The identical request got through before: it may well be what deleted the object.
          this.ended(options, event, started, status);
          return GONE as T;
        }
        if (!isRetryableStatus(status)) throw failure;
      } catch (error) {
        if (error instanceof WandbError && !(error instanceof ConnectionError)) {
          // Final: a status not worth another attempt, an answer that is not W&B's, an abort.
          this.ended(options, event, started, status, error);
          throw error;
        }
        if (status || attempt.signal.aborted) failure = bodyFailure(error, attempt, call, [signal, init.signal]);
        else {
          const cause = networkCause(error);
          reached = !cause.unsent;
          unanswered = true;
          failure = new ConnectionError(`${what} failed: cannot reach ${shown(url)} (${cause.detail}).`, { cause: error });
        }
      } finally {
        if (!attempt.kept) attempt.dispose();
      }
      this.ended(options, event, started, status, failure);
      if (failure instanceof AbortError) throw failure;
      await this.retry(call, failure, { retryAfterMs, reached, unanswered, timedOut: failure instanceof TimeoutError });
    }
  }

  /**
   * Decides whether a failed attempt of `call` is retried: throws when it is not (the failure, or
   * WriteMayHaveAppliedError for an unsafe write that may have reached the server), else waits the
   * backoff (or the server's Retry-After) and returns.
   */
  async retry(call: Call, failure: WandbError, how: { retryAfterMs?: number | undefined; reached: boolean; unanswered?: boolean; timedOut: boolean }): Promise<void> {
    const { config, clock } = this;
    const { options, what } = call;
    if (how.reached && options.write === 'unsafe') {
      throw new WriteMayHaveAppliedError(`${what} may have been applied (not retried): ${failure.message}`, { cause: failure });
    }
    if (how.reached) call.ambiguous = true;
    // Until the server has answered once, a connection that cannot be made is not worth long waits.
    const limit = how.unanswered && !this.reached ? Math.min(FIRST_CONTACT_RETRIES, config.maxRetries) : config.maxRetries;
    const delay = how.retryAfterMs ?? Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** (call.attempts - 1)) * (1 - Math.random() / 4);
    const cost = how.timedOut ? TIMEOUT_COST : RETRY_COST;
    if (call.attempts > limit || clock.now() + delay > call.deadline || this.tokens < cost) throw failure;
    this.tokens -= cost;
    call.cost = cost;
    config.logger.warn(`Retrying ${what} in ${Math.round(delay)} ms (attempt ${call.attempts + 1} of ${limit + 1}): ${failure.message}`);
    await clock.sleep(delay, options.signal);
  }

  /** Logs the end of an attempt and tells the hooks. */
  private ended(options: CallOptions, event: RequestEvent, started: number, status: number, error?: WandbError): void {
    const durationMs = this.clock.now() - started;
    this.config.logger.info(`${event.operationName ?? `${event.method} ${event.url}`}: ${status || error?.code} in ${durationMs} ms (attempt ${event.attempt})`);
    const ended = { ...event, status, durationMs, error };
    this.hook('onResponse', ended);
    options.onResponse?.(ended);
  }

  private hook<K extends 'onRequest' | 'onResponse'>(name: K, event: Parameters<NonNullable<ResolvedConfig['hooks'][K]>>[0]): void {
    try {
      this.config.hooks[name]?.(event as never);
    } catch (error) {
      this.config.logger.warn(`${name} hook threw: ${error}`);
    }
  }
}
