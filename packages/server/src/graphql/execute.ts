/**
 * Runs one GraphQL request and decides its HTTP status, as W&B does:
 * syntax/validation/variable errors → 400; a client-fault resolver error → 400 BAD_USER_INPUT
 * (403 FORBIDDEN for permissions, 404 NOT_FOUND for a missing agent, sweep or automation, 409 CONFLICT
 * for a name taken) with data null; any other resolver exception → 500.
 * Hostile documents never reach a resolver: queryLimits.ts bounds them first (400; 413 for a text
 * over the length limit). Parsed and validated documents are cached by their text, since clients
 * send the same few queries, but only after the request authenticated and only small texts, in an
 * LRU bounded by count and bytes.
 */
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { ConflictError, ForbiddenError, NotFoundError, UserInputError } from '../errors';
import type { Context } from './context';
import { checkDocument, checkQueryText, QUERY_LIMITS } from './queryLimits';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphQLReply {
  status: number;
  body: unknown;
}

/** A query text after parsing and validation: either a document or the errors (and HTTP status) that stop it. */
export type Prepared =
  | { document: DocumentNode; errors?: undefined }
  | { document?: undefined; errors: readonly GraphQLError[]; status: 400 | 413 };

export interface Executor {
  /** Parses, bounds and validates a query text (from the cache when an authenticated request sent it before). */
  prepare(query: string): Prepared;
  /** Runs a prepared document for an authenticated request, and caches it. */
  run(prepared: Prepared, request: GraphQLRequest, context: Context): Promise<GraphQLReply>;
  /** What the document cache holds (for tests and diagnostics). */
  cacheStats(): { entries: number; chars: number };
}

/** The document cache: at most this many entries, this many characters of text in all, and only texts up to ENTRY. */
const CACHE = { entries: 256, chars: 1024 * 1024, entry: 16 * 1024 } as const;

/** The name of the operation a request runs: the one asked for, else the document's only operation. */
export function operationNameOf(prepared: Prepared, requested?: string | null): string | undefined {
  if (requested) return requested;
  const ops = prepared.document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 && ops[0]?.kind === Kind.OPERATION_DEFINITION ? ops[0].name?.value : undefined;
}

/** Parses, bounds and validates one query text. */
function prepareText(schema: GraphQLSchema, query: string): Prepared {
  if (query.length > QUERY_LIMITS.length) {
    return { errors: [new GraphQLError(`the query text is ${query.length} characters long; at most ${QUERY_LIMITS.length}`)], status: 413 };
  }
  try {
    const tooBig = checkQueryText(query);
    if (tooBig) return { errors: [tooBig], status: 400 };
    const document = parse(query, { maxTokens: QUERY_LIMITS.tokens });
    const limits = checkDocument(document);
    if (limits.length > 0) return { errors: limits, status: 400 };
    const errors = validate(schema, document);
    return errors.length > 0 ? { errors, status: 400 } : { document };
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return { errors: [err], status: 400 };
  }
}

export function createExecutor(schema: GraphQLSchema): Executor {
  const cache = new Map<string, Prepared>(); // insertion order is recency order
  let cachedChars = 0;
  const remember = (query: string, prepared: Prepared): void => {
    if (query.length > CACHE.entry || cache.has(query)) return;
    cache.set(query, prepared);
    cachedChars += query.length;
    for (const oldest of cache.keys()) {
      if (cache.size <= CACHE.entries && cachedChars <= CACHE.chars) break;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
  };

  return {
    prepare(query) {
      const cached = cache.get(query);
      if (!cached) return prepareText(schema, query);
      cache.delete(query); // refresh its place in the LRU
      cache.set(query, cached);
      return cached;
    },

    cacheStats: () => ({ entries: cache.size, chars: cachedChars }),

    async run(prepared, request, context) {
      remember(request.query, prepared);
      if (!prepared.document) return { status: prepared.status, body: { errors: prepared.errors.map((e) => e.toJSON()) } };
      const result: ExecutionResult = await execute({
        schema,
        document: prepared.document,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName || undefined,
        contextValue: context,
      });
      return classify(result);
    },
  };
}

/**
 * Errors that come from the size of the input rather than from a bug: SQLite's limits on a statement
 * and the JS stack. Whatever produced one (a filter compiler, a recursive walk), the client sent too
 * much, so it is a 400 (a 5xx would make clients retry it).
 */
const INPUT_LIMIT_MESSAGES = /too many SQL variables|Expression tree is too large|parser stack overflow|string or blob too big|LIKE or GLOB pattern too complex|Maximum call stack size exceeded/;

function asInputLimit(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (!original || original instanceof UserInputError || !INPUT_LIMIT_MESSAGES.test(original.message)) return error;
  return new GraphQLError(`the request is too large or too complex: ${original.message}`, {
    nodes: error.nodes,
    path: error.path,
    originalError: new UserInputError(original.message),
  });
}

function classify(result: ExecutionResult): GraphQLReply {
  const errors = (result.errors ?? []).map(asInputLimit);
  // No data at all: the request never ran (unknown operation, bad variables) — the client's fault.
  if (!('data' in result) || result.data === undefined) {
    return { status: 400, body: { errors: errors.map((e) => e.toJSON()) } };
  }
  if (errors.length === 0) return { status: 200, body: result };

  const clientErrors = errors.filter(
    (e) =>
      e.originalError instanceof UserInputError ||
      e.originalError instanceof ForbiddenError ||
      e.originalError instanceof NotFoundError ||
      e.originalError instanceof ConflictError,
  );
  if (clientErrors.length === errors.length) {
    const forbidden = clientErrors.some((e) => e.originalError instanceof ForbiddenError);
    const missing = clientErrors.every((e) => e.originalError instanceof NotFoundError);
    const conflict = clientErrors.every((e) => e.originalError instanceof ConflictError);
    return {
      status: forbidden ? 403 : missing ? 404 : conflict ? 409 : 400,
      body: {
        errors: clientErrors.map((e) => ({
          ...e.toJSON(),
          extensions: { code: (e.originalError as UserInputError | ForbiddenError | NotFoundError | ConflictError).code },
        })),
        data: null,
      },
    };
  }
  // Anything else is a server bug; say so rather than hide it in a 200.
  for (const e of errors) if (!(e.originalError instanceof UserInputError)) reportBug(e);
  return {
    status: 500,
    body: { errors: errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR' } })), data: null },
  };
}

function reportBug(error: GraphQLError): void {
  console.error(`[@wandb-api/server] resolver error at ${error.path?.join('.') ?? '?'}:`, error.originalError ?? error);
}
