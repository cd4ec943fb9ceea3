// The typed errors of answers that report a failure: a non-2xx status (built from its status, body
// and headers), GraphQL errors in a 2xx answer, a 2xx answer that is not JSON. Loaded on the first
// such answer (`failures()` in transport.ts, a dynamic import): no successful call carries this code.
// (Only answers: a failure that may mean the network is down keeps its code up front, since loading
// a chunk would fail then too.)
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  GraphQLError,
  type GraphQLErrorEntry,
  HTTPError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  WandbError,
  messageOf,
  redact,
} from './errors.js';
import type { Attempt } from './transport.js';

/** Picks the error class for an HTTP status. */
function httpErrorClass(status: number): typeof HTTPError {
  const byStatus: Record<number, typeof HTTPError> = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
  };
  return byStatus[status] ?? (status >= 500 ? ServerError : HTTPError);
}

/** Parses Retry-After (delta seconds or an HTTP date) into ms. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const ms = Number.isFinite(+value) ? +value * 1000 : Date.parse(value) - now;
  return ms === ms ? Math.max(0, ms) : undefined;
}

/**
 * The error for a non-2xx `response` to `what`, its body read through `attempt` (the API key
 * redacted from it), with the server's Retry-After in ms when it sent one.
 */
export async function httpFailure(
  response: Response,
  attempt: Attempt,
  what: string,
  url: string,
  operationName: string | undefined,
  apiKey: string | undefined,
  now: number,
): Promise<{ failure: HTTPError; retryAfterMs: number | undefined }> {
  const { status, headers } = response;
  const text = redact(await attempt.text(response).catch(() => ''), apiKey);
  let errors: GraphQLErrorEntry[] | undefined;
  try {
    const { errors: list, error, error_description } = JSON.parse(text);
    // GraphQL's `{errors}`, OAuth's `{error, error_description}` (the identity token exchange) and W&B's `{error}`.
    if (Array.isArray(list)) errors = list.filter((e) => typeof e?.message === 'string');
    else if (typeof error === 'string') errors = [{ message: error_description ? `${error}: ${error_description}` : error }];
  } catch {
    // Not JSON: the raw body is the message.
  }
  const detail = errors?.length ? messageOf(errors) : text.slice(0, 500);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  const failure = new (httpErrorClass(status))(`${what} failed with HTTP ${status}${detail && `: ${detail}`}`, {
    status,
    url,
    operationName,
    errors,
    retryAfterMs,
    headers: Object.fromEntries(headers),
  });
  return { failure, retryAfterMs };
}

/** The GraphQLError for the `errors` of a 2xx answer (with the partial `data` that came with them). */
export function graphQLFailure(what: string, errors: unknown[], data: unknown, operationName: string | undefined): GraphQLError {
  const entries: GraphQLErrorEntry[] = (errors as GraphQLErrorEntry[]).map(({ message, path, extensions = {} }) => ({ message, ...(path && { path }), extensions }));
  return new GraphQLError(`${what} failed: ${messageOf(entries)}`, { errors: entries, data, operationName });
}

/** The error for a 2xx answer to `what` that does not parse as JSON. */
export function notJson(response: Response, what: string, baseUrl: string): WandbError {
  // A JSON answer that does not parse was cut short (retried); anything else is not W&B.
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json')
    ? new ConnectionError(`The response to ${what} was cut short.`)
    : new WandbError(`${what} got ${type || 'a response'} instead of JSON: is ${baseUrl} a W&B server?`);
}
