// The single request loop every call goes through (modelled on openai-node, retries on Smithy's
// standard strategy): credentials only for URLs under the base URL, the caller's signal joined
// with a per-attempt timeout and an idle timeout that cover the body too, bodies read inside the
// loop (a body cut short is retried like a reset), jittered exponential backoff that honours
// Retry-After, bounded by attempts, total time and a client-wide retry budget, and writes that
// are repeated only when that is safe.
// (Written for size: it is on every browser bundle's up-front path.)
import { type Clock, systemClock, timer } from './clock.js';
import { checkTimeout, type ResolvedConfig } from './config.js';
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  TimeoutError,
  WandbError,
  WriteMayHaveAppliedError,
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
  operationName?: string | undefined;
  /** Send no W&B headers or credentials, even under the base URL (artifact references hosted there). */
  anonymous?: boolean;
  /** For mutations: how safe the request is to repeat (default: a read, retried freely). */
  write?: WriteKind | undefined;
  /** The GraphQL variables, for `debug` log lines (API key redacted). */
  variables?: unknown;
}

/** Statuses worth another attempt: 408, 429 and 5xx except 501 (never 400/401/403/404/409/410/413/422). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/** The errors of answers that report a failure, loaded on the first such answer (off the hot path). */
export const failures = () => import('./failures.js');

/** What `sendJson` returns for a delete whose retry found the object gone after an attempt that may have deleted it. */
export const GONE: unique symbol = Symbol();

/** The URL as logs, hooks and errors show it: no query (signatures), no user info. */
function shown(url: string): string {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
}

const ignore = () => {};

/**
 * One attempt's cancellation: the caller's signals, the attempt timeout (until the headers, and
 * the whole body when it is read whole) and the idle timeout (armed while a body read waits).
 * Made by `attempt`.
 */
export interface Attempt {
  /** Fires when the caller aborts or a timer expires. */
  readonly signal: AbortSignal;
  /** Set by `keep`: the attempt outlives the loop (a streamed body). */
  kept?: boolean;
  /**
   * Hands the attempt to a stream that reads the body after the loop returned: the attempt timeout
   * ends (the idle timeout bounds the body from now on); the stream disposes of the attempt.
   */
  keep(): void;
  /**
   * The body's chunks, each read under the idle timeout. A body that ends because the attempt was
   * cancelled throws (a cancelled reader looks like a clean end otherwise).
   */
  chunks(response: Response): AsyncGenerator<Uint8Array>;
  /** The whole body, in one array (a Blob's copies and stream cost more on every page of a listing). */
  bytes(response: Response): Promise<Uint8Array<ArrayBuffer>>;
  /** The whole body as text. */
  text(response: Response): Promise<string>;
  /**
   * What a body that failed mid-read means: AbortError (to throw) when the caller aborted, a
   * TimeoutError when the attempt's timers fired, else a ConnectionError (the body was cut short).
   */
  failure(error: unknown): WandbError;
  /** Cuts the attempt off: another attempt of the call (a hedge) answered first. */
  abandon(): void;
  /** Stops the timers and unhooks the caller's signals. */
  dispose(): void;
}

function attempt(
  transport: Transport,
  call: Call,
  timeoutMs: number,
  idleTimeoutMs: number,
  signals: (AbortSignal | null | undefined)[],
  onStall?: () => void,
): Attempt {
  const { clock } = transport;
  const controller = new AbortController();
  const joined = anySignal([...signals.map((s) => s ?? undefined), controller.signal]);
  const { signal } = joined;
  // Why the attempt's own timers (or a faster hedge) cut it off, if they did (also the abort reason).
  let expired: 'timeout' | 'idle' | 'hedged' | undefined;
  // Told when a body read inside the loop idles past the server's usual answer time (see hedgeMs).
  const hedgeMs = onStall ? transport.hedgeMs(idleTimeoutMs) : 0;
  const expire = (why: typeof expired) => () => {
    expired ??= why;
    controller.abort(why);
  };
  const stopTimeout = timer(clock, timeoutMs, expire('timeout'));
  let stopIdle = ignore;
  const self: Attempt = {
    signal,
    keep() {
      self.kept = true;
      stopTimeout();
    },
    async *chunks(response) {
      const reader = response.body?.getReader();
      if (!reader) return;
      // For fetch implementations that do not error the body when their signal fires.
      const cancel = () => reader.cancel().catch(ignore);
      signal.addEventListener('abort', cancel);
      let done: boolean | undefined;
      let value: Uint8Array | undefined;
      try {
        while (!done) {
          stopIdle = timer(clock, idleTimeoutMs, expire('idle'));
          const stopStall = hedgeMs && !self.kept ? timer(clock, hedgeMs, onStall!) : ignore;
          try {
            ({ done, value } = await reader.read());
          } finally {
            stopIdle();
            stopStall();
          }
          if (signal.aborted) throw signal.reason;
          if (value) yield value;
        }
      } finally {
        signal.removeEventListener('abort', cancel);
        if (!done) await cancel();
      }
    },
    async bytes(response) {
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of self.chunks(response)) {
        parts.push(chunk);
        size += chunk.length;
      }
      const body = new Uint8Array(size);
      size = 0;
      for (const part of parts) {
        body.set(part, size);
        size += part.length;
      }
      return body;
    },
    async text(response) {
      return new TextDecoder().decode(await self.bytes(response));
    },
    failure(error) {
      const aborted = signals.find((s) => s?.aborted);
      const { what } = call;
      return aborted
        ? abortError(aborted)
        : error instanceof ConnectionError
          ? error
          : expired
            ? new TimeoutError(
                expired === 'idle'
                  ? `${what}: no data for ${idleTimeoutMs} ms.`
                  : expired === 'hedged'
                    ? `${what}: abandoned, another attempt answered first.`
                    : `${what} timed out after ${timeoutMs} ms.`,
              )
            : new ConnectionError(`The response to ${what} was cut short: ${transport.config.networkCause(error).detail}`, { cause: error });
    },
    abandon: expire('hedged'),
    dispose() {
      stopTimeout();
      stopIdle();
      joined.dispose();
    },
  };
  return self;
}

/** How one attempt ended: its result, or its failure and what the retry decision needs of it. */
type Outcome<T> = { value: T } | Failed;

/** A failed attempt: `final` when no retry may follow, else what the retry decision needs. */
interface Failed extends RetryFacts {
  failure: WandbError;
  final?: boolean;
}

/** What decides whether a failed attempt is retried, and after how long (see Transport.retry). */
interface RetryFacts {
  /** The server's Retry-After, in ms. */
  retryAfterMs?: number | undefined;
  /** The request may have reached the server (an unsafe write is then not repeated). */
  reached?: boolean;
  /** No answer at all (refused, DNS, reset…). */
  unanswered?: boolean | undefined;
  /** A kept-alive connection the server had closed. */
  stale?: boolean | undefined;
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
  ambiguous?: boolean;
  /** The budget tokens the last retry took (given back when the call succeeds). */
  cost?: number;
  /** A stale kept-alive connection was replaced once already. */
  renewed?: boolean;
}

/**
 * The request loop every call goes through: timeouts, retries with backoff and a client-wide
 * budget, cancellation, error mapping, write safety, logs and hooks, and credentials only for URLs
 * under the base URL. Every body is read inside it. Reach it as `client.transport`.
 * @example
 * const response = await client.transport.send(`${client.config.baseUrl}/files/x`, { method: 'GET' });
 */
export class Transport {
  /** The resolved configuration (see `resolveConfig`). */
  declare readonly config: ResolvedConfig;
  /** The time source of backoff and timeouts. */
  declare readonly clock: Clock;
  /** Tokens left in the client-wide retry budget. */
  declare tokens: number;
  /** Whether the base URL has answered once (until then, connection failures get few retries). */
  declare reached: boolean;
  /** The usual time from sending a request to its answer's headers (a moving average), in ms; undefined until one came. */
  declare answerMs: number | undefined;

  /** @param config The resolved configuration (see `resolveConfig`). */
  constructor(config: ResolvedConfig) {
    Object.assign(this, { config, clock: config.clock ?? systemClock, tokens: config.retryBudget, reached: false });
  }

  /**
   * How long a body may idle before the call sends a hedge: 4× the usual time to an answer, at
   * least 100 ms (a server answering that fast is not one that pauses mid-body); 0 (never) before
   * any answer, or when the idle timeout comes first.
   */
  hedgeMs(idleTimeoutMs: number): number {
    const ms = Math.max(100, 4 * (this.answerMs ?? Infinity));
    return ms < idleTimeoutMs ? ms : 0;
  }

  /** True when `url` has the base URL's scheme, host and port and lies under its path. */
  isUnderBaseUrl(url: string): boolean {
    const base = new URL(this.config.baseUrl);
    try {
      const target = new URL(url, base);
      return target.origin === base.origin && `${target.pathname}/`.startsWith(`${base.pathname.replace(/\/+$/, '')}/`);
    } catch {
      return false;
    }
  }

  /**
   * Sends one request with retries and reads its whole body inside the loop (timeouts, the
   * caller's signal and retries cover it); resolves with a 2xx response holding those bytes.
   */
  send(url: string, init?: RequestInit, options?: SendOptions): Promise<Response> {
    return this.run(url, init, options, async (response, attempt) => {
      const body = await attempt.bytes(response);
      return new Response(body.length ? body : null, response);
    });
  }

  /**
   * Sends a request whose answer is JSON (GraphQL) and parses it with the NaN-tolerant decoder.
   * The body is read inside the retry loop, so a body cut short is retried like a reset.
   * Resolves with GONE for a `delete` write found gone after an attempt that may have applied.
   */
  sendJson(url: string, init?: RequestInit, options?: SendOptions): Promise<unknown> {
    return this.run(url, init, options, async (response, attempt, { what }) => {
      const text = await attempt.text(response);
      try {
        return parseJson(text);
      } catch {
        throw (await failures()).notJson(response, what, this.config.baseUrl);
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
    const { config, clock } = this;
    const { apiKey, logger } = config;
    const { signal, operationName } = options;
    const signals = [signal, init.signal];
    const where = shown(url);
    try {
      const limit = (name: 'timeoutMs' | 'idleTimeoutMs') => (options[name] === undefined ? config[name] : checkTimeout(name, options[name]));
      const timeoutMs = limit('timeoutMs');
      const idleTimeoutMs = limit('idleTimeoutMs');
      const what = operationName ? `GraphQL ${operationName}` : `Request to ${where}`;
      call ??= { options, what, deadline: clock.now() + config.maxRetryTimeMs, attempts: 0 };
      const underBase = this.isUnderBaseUrl(url);
      // The W&B headers and the credentials go only to URLs under the base URL.
      const headers = new Headers(init.headers);
      if (!options.anonymous && underBase) {
        if (!apiKey && !config.credentials) throw new AuthenticationError(config.missingApiKeyMessage, { status: 401, url, operationName });
        for (const [name, value] of Object.entries(config.headers)) if (!headers.has(name)) headers.set(name, value);
        // The server gates admin-capable access on a recognised public-client User-Agent.
        headers.set('User-Agent', config.userAgent);
        headers.set('Use-Admin-Privileges', 'true');
        headers.set('Authorization', apiKey ? `Basic ${btoa(`api:${apiKey}`)}` : await config.credentials!.authorization(this, signal));
      } else headers.delete('authorization');
      if (options.variables) logger.debug(`${what} ${redact(JSON.stringify(options.variables), apiKey)}`);
      // One attempt (fetch and read): its result, or its failure and what the retry decision needs.
      const send = (hedge?: true, onStall?: () => void) => {
        const event: RequestEvent = { operationName, method: init.method ?? 'GET', url: where, attempt: ++call!.attempts, hedge };
        hook(config, 'onRequest', config.hooks.onRequest, event);
        const started = clock.now();
        let status = 0;
        // Logs the end of the attempt and tells the hooks.
        const ended = (error?: WandbError) => {
          const durationMs = clock.now() - started;
          logger.info(`${operationName ?? `${event.method} ${where}`}: ${status || error?.code} in ${durationMs} ms (attempt ${event.attempt})`);
          const done = { ...event, status, durationMs, error };
          hook(config, 'onResponse', config.hooks.onResponse, done);
          hook(config, 'onResponse', options.onResponse, done);
        };
        const current = attempt(this, call!, timeoutMs, idleTimeoutMs, signals, onStall);
        const outcome = (async (): Promise<Outcome<T>> => {
          let failure: WandbError;
          let retryAfterMs: number | undefined;
          // Whether the request may have reached the server (pessimistic until shown otherwise).
          let reached = true;
          // No answer at all: the connection failed (refused, DNS, TLS, reset, "Failed to fetch").
          let unanswered: boolean | undefined;
          // A kept-alive connection the server had closed: the next attempt goes at once, on a new one.
          let stale: boolean | undefined;
          try {
            const response = await config.fetch(url, { ...init, headers, signal: current.signal });
            status = response.status;
            if (underBase) this.reached = true;
            if (response.ok) {
              const ms = clock.now() - started;
              this.answerMs = this.answerMs === undefined ? ms : this.answerMs * 0.9 + ms * 0.1;
              const value = await read(response, current, call!);
              ended();
              return { value };
            }
            ({ failure, retryAfterMs } = await (await failures()).httpFailure(response, current, what, url, operationName, apiKey, clock.now()));
            // W&B answers these before doing anything: the request was not processed.
            reached = status !== 429 && status !== 503;
            if (options.write === 'delete' && call!.ambiguous && (status === 400 || status === 404 || status === 410)) {
              // The identical request got through before: it may well be what deleted the object.
              ended();
              return { value: GONE as T };
            }
            if (!isRetryableStatus(status)) throw failure;
          } catch (error) {
            if (error instanceof WandbError && !(error instanceof ConnectionError)) {
              // Final: a status not worth another attempt, an answer that is not W&B's, an abort.
              ended(error);
              return { failure: error, final: true };
            }
            if (status || current.signal.aborted) failure = current.failure(error);
            else {
              const cause = config.networkCause(error);
              reached = !cause.unsent;
              unanswered = true;
              stale = cause.stale;
              failure = new ConnectionError(`${what} failed: cannot reach ${where} (${cause.detail}).`, { cause: error });
            }
          } finally {
            if (!current.kept) current.dispose();
          }
          ended(failure);
          return { failure, final: failure instanceof AbortError, retryAfterMs, reached, unanswered, stale };
        })();
        return { outcome, abandon: current.abandon };
      };
      for (;;) {
        const aborted = signals.find((s) => s?.aborted);
        if (aborted) throw abortError(aborted);
        // The attempt, and beside it a hedge when its body stalls well past the server's usual
        // answer time (a read or a repeatable write whose answer's headers came: already
        // processed); the first result wins and the other is abandoned. A hedge costs budget.
        let hedging = options.write !== 'unsafe';
        let stalled!: (why: 'stalled') => void;
        const stall = new Promise<'stalled'>((resolve) => (stalled = resolve));
        const live = [send(undefined, hedging ? () => stalled('stalled') : undefined)];
        let last!: Failed;
        while (live.length) {
          const next = await Promise.race([...live.map(({ outcome }, i) => outcome.then((o) => [i, o] as const)), ...(hedging ? [stall] : [])]);
          if (next === 'stalled') {
            hedging = false;
            if (this.tokens < 5) continue;
            this.tokens -= call.cost = 5;
            call.ambiguous ||= !!options.write;
            logger.info(`Sending ${what} again beside its stalled answer`);
            live.push(send(true));
            continue;
          }
          const [i, outcome] = next;
          live.splice(i, 1);
          hedging = false;
          if ('value' in outcome || outcome.final) {
            for (const other of live) other.abandon();
            if (!('value' in outcome)) throw outcome.failure;
            this.tokens = Math.min(config.retryBudget, this.tokens + (call.cost || 1));
            return outcome.value;
          }
          // A Retry-After of either attempt still holds.
          last = { ...outcome, retryAfterMs: outcome.retryAfterMs ?? last?.retryAfterMs };
        }
        await this.retry(call, last.failure, last);
      }
    } catch (error) {
      throw scrub(error, apiKey);
    }
  }

  /**
   * Decides whether a failed attempt of `call` is retried: throws when it is not (the failure, or
   * WriteMayHaveAppliedError for an unsafe write that may have reached the server), else waits the
   * backoff (or the server's Retry-After) and returns.
   */
  async retry(call: Call, failure: WandbError, how: RetryFacts): Promise<void> {
    const { config, clock } = this;
    const { options, what, attempts } = call;
    if (how.reached) {
      if (options.write === 'unsafe') throw new WriteMayHaveAppliedError(`${what} may have been applied (not retried): ${failure.message}`, { cause: failure });
      call.ambiguous = true;
    }
    if (how.stale && !call.renewed) {
      // As browsers do: a GET reset on a kept-alive connection the server had closed goes again at
      // once on a new one (an attempt of its own, which hooks see), once a call, free of the budget.
      call.renewed = true;
      config.logger.info(`Sending ${what} again on a new connection (${failure.message})`);
      return;
    }
    // Until the server has answered once, a connection that cannot be made is not worth long waits
    // (2 retries). Budget: a retry costs 5 tokens, a retry after a timeout 10 (AWS SDK v3).
    const limit = how.unanswered && !this.reached ? Math.min(2, config.maxRetries) : config.maxRetries;
    const delay = how.retryAfterMs ?? Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** (attempts - 1)) * (1 - Math.random() / 4);
    const cost = failure instanceof TimeoutError ? 10 : 5;
    if (attempts > limit || clock.now() + delay > call.deadline || this.tokens < cost) throw failure;
    this.tokens -= call.cost = cost;
    config.logger.warn(`Retrying ${what} in ${Math.round(delay)} ms (attempt ${attempts + 1} of ${limit + 1}): ${failure.message}`);
    await clock.sleep(delay, options.signal);
  }
}

/** Calls a hook (the client's, or a call's own); one that throws is logged, not fatal. */
function hook<E>(config: ResolvedConfig, name: string, call: ((event: E) => void) | undefined, event: E): void {
  try {
    call?.(event);
  } catch (error) {
    config.logger.warn(`${name} hook threw: ${error}`);
  }
}
