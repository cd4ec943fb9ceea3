// The typed error hierarchy. `instanceof` is brand-checked (as in AWS SDK v3) so it keeps working
// when two copies of this package are installed side by side.

const BRAND = Symbol.for('wandb-api.error.kinds');

/**
 * Base class of every error this SDK throws. `code` is a stable string for programs and support,
 * the class's kind in snake case (`not_found`, `timeout`, `connection`, `write_may_have_applied` …),
 * except `rate_limited` (RateLimitError) and `graphql_syntax` (a document the server or the client
 * cannot parse); `JSON.stringify(error)` gives name, code, message and the details, never the API key.
 */
export class WandbError extends Error {
  /** Stable class identifier (survives minification and duplicate installs). */
  static readonly kind: string = 'WandbError';
  /** Stable machine-readable error code (`not_found`, `rate_limited`, `timeout` …). */
  declare readonly code: string;
  /** @internal The kinds of this error and its ancestors; read by `instanceof`. */
  declare readonly [BRAND]: readonly string[];

  constructor(message: string, options?: { cause?: unknown; code?: string | undefined; errors?: readonly GraphQLErrorEntry[] | undefined }) {
    super(message, options);
    const kinds: string[] = [];
    for (let c = new.target as unknown as typeof WandbError; c !== (Error as unknown); c = Object.getPrototypeOf(c)) kinds.includes(c.kind) || kinds.push(c.kind);
    Object.defineProperty(this, BRAND, { value: kinds });
    this.name = kinds[0]!;
    // The code follows the kind: NotFoundError → not_found, GraphQLError → graphql, WandbError → wandb;
    // GraphQL errors that say the document does not parse are `graphql_syntax`.
    this.code =
      options?.code ??
      (/^Syntax Error/.test(options?.errors?.[0]?.message!) ? 'graphql_syntax' : this.name.replace('QL', 'ql').replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());
  }

  /** What `JSON.stringify` shows: name, message and the error's fields (code, status …). */
  toJSON(): Record<string, unknown> {
    return Object.assign({ name: this.name, message: this.message }, this as object);
  }

  /** Brand-checked `instanceof`: also true for errors of this kind made by another installed copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const kinds = (value as { [BRAND]?: unknown } | null)?.[BRAND];
    return Function.prototype[Symbol.hasInstance].call(this, value) || (Array.isArray(kinds) && kinds.includes(this.kind));
  }
}

/** Bad input, detected before any request is sent. */
export class ValidationError extends WandbError {
  static override readonly kind: string = 'ValidationError';
}

/** The server lacks a feature the call needs (e.g. sweep filtering on an older W&B server); sent nothing. */
export class UnsupportedError extends WandbError {
  static override readonly kind: string = 'UnsupportedError';
  /** What the server lacks, when known: schema coordinates (`Run.parquetHistory`, `Project.sweeps(filters:)`, a type name). */
  declare readonly missing: readonly string[];
  /** The server's version, when it tells it. */
  declare readonly serverVersion: string | null;

  constructor(message: string, options?: { cause?: unknown; missing?: readonly string[]; serverVersion?: string | null }) {
    super(message, options);
    Object.assign(this, { missing: options?.missing ?? [], serverVersion: options?.serverVersion ?? null });
  }
}

/** Details shared by errors that come from an HTTP response. */
export interface HTTPErrorDetails {
  status: number;
  url?: string;
  operationName?: string;
  /** GraphQL errors carried by the response body, when there were any. */
  errors?: readonly GraphQLErrorEntry[];
  /** The server's Retry-After in ms (kept by RateLimitError). */
  retryAfterMs?: number;
  /** The response headers. */
  headers?: Record<string, string>;
  cause?: unknown;
  code?: string;
}

/**
 * A non-2xx HTTP response.
 * (Fields set in a constructor are `declare`d here and below: no emitted field initialisers, fewer bytes.)
 */
export class HTTPError extends WandbError {
  static override readonly kind: string = 'HTTPError';
  /** The HTTP status code of the response. */
  declare readonly status: number;
  /** The requested URL without its query (which may hold a signature), when known. */
  declare readonly url: string | undefined;
  /** The GraphQL operation that failed, when the request was one. */
  declare readonly operationName: string | undefined;
  /** GraphQL errors carried by the response body; empty when there were none. */
  declare readonly errors: readonly GraphQLErrorEntry[];
  /** The response headers (names in lower case); empty when the error did not come from a response. */
  declare readonly headers: Readonly<Record<string, string>>;
  /** The server's id for the request (W&B's `x-wandb-trace-id`, `x-request-id` …), to quote to support; undefined when it sent none. */
  declare readonly requestId: string | undefined;

  constructor(message: string, details: HTTPErrorDetails) {
    super(message, details);
    const { status, url, operationName, errors = [], headers = {} } = details;
    Object.assign(this, {
      status,
      url: url?.replace(/[?#].*/s, ''),
      operationName,
      errors,
      headers,
      // W&B's x-wandb-trace-id; x-request-id, x-amz-request-id, x-goog-request-id … elsewhere.
      requestId: Object.entries(headers).find(([name]) => /^x-(wandb-trace-id|([\w-]+-)?request-id)$/.test(name))?.[1],
    });
  }
}

/** 400 / 422: the server refused the request as malformed (e.g. a bad run filter). Never retried. */
export class BadRequestError extends HTTPError {
  static override readonly kind: string = 'BadRequestError';
}

/** 401: the API key is missing, malformed or unknown. */
export class AuthenticationError extends HTTPError {
  static override readonly kind: string = 'AuthenticationError';
}

/** 403: the credentials are valid but not allowed to do this. */
export class PermissionError extends HTTPError {
  static override readonly kind: string = 'PermissionError';
}

/** 404, or an object the server answered as null (project, run …). */
export class NotFoundError extends HTTPError {
  static override readonly kind: string = 'NotFoundError';
}

/** 409: the request conflicts with the current state. */
export class ConflictError extends HTTPError {
  static override readonly kind: string = 'ConflictError';
}

/** 429 that outlasted the retry budget. */
export class RateLimitError extends HTTPError {
  static override readonly kind: string = 'RateLimitError';
  /** The server's Retry-After, in milliseconds, when it sent one. */
  declare readonly retryAfterMs: number | undefined;

  constructor(message: string, details: HTTPErrorDetails) {
    super(message, { code: 'rate_limited', ...details });
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx that outlasted the retry budget. */
export class ServerError extends HTTPError {
  static override readonly kind: string = 'ServerError';
}

/** One entry of a GraphQL `errors` array. */
export interface GraphQLErrorEntry {
  /** The server's message. */
  message: string;
  /** The response field the error belongs to. */
  path?: readonly (string | number)[];
  /** Server-specific details (e.g. an error code). */
  extensions?: Record<string, unknown>;
}

/** GraphQL `errors` inside a 200 response; `data` keeps whatever partial data came with them. */
export class GraphQLError extends WandbError {
  static override readonly kind: string = 'GraphQLError';
  /** Every entry of the response's `errors` array. */
  declare readonly errors: readonly GraphQLErrorEntry[];
  /** The partial `data` that came with the errors, or null. */
  declare readonly data: unknown;
  /** The GraphQL operation that failed. */
  declare readonly operationName: string | undefined;

  constructor(message: string, details: { errors: readonly GraphQLErrorEntry[]; data?: unknown; operationName?: string; code?: string }) {
    super(message, details);
    const { errors, data = null, operationName } = details;
    Object.assign(this, { errors, data, operationName });
  }
}

/** A request (every attempt of it) took longer than the configured timeout. */
export class TimeoutError extends WandbError {
  static override readonly kind: string = 'TimeoutError';
}

/** The network failed: connection refused or reset, DNS, a truncated body. */
export class ConnectionError extends WandbError {
  static override readonly kind: string = 'ConnectionError';
}

/**
 * Bytes that do not match their manifest entry (size or base64 MD5), after the one retry a download
 * gets, or a local file that fails `verifyArtifact`. `path` names the entry.
 */
export class ChecksumError extends WandbError {
  static override readonly kind: string = 'ChecksumError';
  /** The entry path inside the artifact. */
  declare readonly path: string;
  /** The base64 MD5 the manifest gives. */
  declare readonly expectedDigest: string;
  /** The base64 MD5 of the bytes received or found, when computed. */
  declare readonly actualDigest: string | null;
  /** The size in bytes the manifest gives, when it gives one. */
  declare readonly expectedSize: number | null;
  /** The size in bytes received or found, when known. */
  declare readonly actualSize: number | null;

  constructor(
    message: string,
    details: { path: string; expectedDigest: string; actualDigest?: string | null; expectedSize?: number | null; actualSize?: number | null; cause?: unknown },
  ) {
    super(message, details);
    const { path, expectedDigest, actualDigest = null, expectedSize = null, actualSize = null } = details;
    Object.assign(this, { path, expectedDigest, actualDigest, expectedSize, actualSize });
  }
}

/**
 * A download refused because its target would be reached through a symbolic link: the file itself,
 * its temp file or a folder between the download root and it (a link planted there could send the
 * bytes anywhere). Nothing was written. `path` is the link.
 */
export class UnsafePathError extends ValidationError {
  static override readonly kind: string = 'UnsafePathError';
  /** The local path that is a symbolic link. */
  declare readonly path: string;

  constructor(message: string, details: { path: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.path = details.path;
  }
}

/**
 * A write that is not safe to repeat (it creates something: a queue item, an API key, an invite …)
 * failed in a way that leaves open whether the server applied it (a reset after the request was
 * sent, a timeout, a 5xx): it is not retried. Check before trying again; `cause` says what failed.
 */
export class WriteMayHaveAppliedError extends WandbError {
  static override readonly kind: string = 'WriteMayHaveAppliedError';
}

/** The caller's AbortSignal fired. */
export class AbortError extends WandbError {
  static override readonly kind: string = 'AbortError';
}

/**
 * A Launch operation the server refused or could not complete: a queue not created, an item that
 * failed while waiting for it, a push that returned no item (Python's `LaunchError`).
 * @example try { await waitUntilRunning(client, item); } catch (e) { if (e instanceof LaunchError) console.error(e.message); }
 */
export class LaunchError extends WandbError {
  static override readonly kind: string = 'LaunchError';
}

/** The ValidationError for a value out of its range: `${name} must be ${what}, got ${value}.` */
export function mustBe(name: string, what: string, value: unknown): ValidationError {
  return new ValidationError(`${name} must be ${what}, got ${String(value)}.`);
}

/** Removes every form of the API key (raw, and inside a Basic credential) from a text. */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey) return text;
  return text.replaceAll(apiKey, '[REDACTED]').replaceAll(btoa(`api:${apiKey}`), '[REDACTED]');
}

/**
 * Removes the API key from an error in place: its message, stack, fields (`errors`, `data`, `url`
 * …) and every `cause` down the chain, so no serialisation (`JSON.stringify`, `util.inspect`) shows it.
 */
export function scrub<T>(value: T, apiKey: string | undefined, seen = new Set<unknown>()): T {
  if (!apiKey) return value;
  if (typeof value === 'string') return redact(value, apiKey) as T;
  if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const field = Object.getOwnPropertyDescriptor(value, key);
      if (field?.writable) {
        const clean = scrub(field.value, apiKey, seen);
        if (clean !== field.value) (value as Record<PropertyKey, unknown>)[key] = clean;
      }
    }
  }
  return value;
}

/** The message of one GraphQL error entry, or of several as `[a; b]`. */
export function messageOf(errors: readonly GraphQLErrorEntry[]): string {
  return errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join('; ')}]`;
}
