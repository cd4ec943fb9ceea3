/**
 * Runs one GraphQL request and decides its HTTP status, as W&B does:
 * syntax/validation/variable errors → 400; a client-fault resolver error → 400 BAD_USER_INPUT
 * (403 FORBIDDEN for permissions, 404 NOT_FOUND for a missing agent or sweep) with data null; any
 * other resolver exception → 500.
 * Parsed and validated documents are cached by their text: clients send the same few queries.
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
import { ForbiddenError, NotFoundError, UserInputError } from '../errors';
import type { Context } from './context';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface GraphQLReply {
  status: number;
  body: unknown;
}

/** A query text after parsing and validation: either a document or the errors that stop it. */
export type Prepared = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] };

export interface Executor {
  prepare(query: string): Prepared;
  run(prepared: Prepared, request: GraphQLRequest, context: Context): Promise<GraphQLReply>;
}

const CACHE_LIMIT = 256;

/** The name of the operation a request runs: the one asked for, else the document's only operation. */
export function operationNameOf(prepared: Prepared, requested?: string | null): string | undefined {
  if (requested) return requested;
  const ops = prepared.document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 && ops[0]?.kind === Kind.OPERATION_DEFINITION ? ops[0].name?.value : undefined;
}

export function createExecutor(schema: GraphQLSchema): Executor {
  const cache = new Map<string, Prepared>();

  return {
    prepare(query) {
      let prepared = cache.get(query);
      if (prepared) return prepared;
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        prepared = errors.length > 0 ? { errors } : { document };
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        prepared = { errors: [err] };
      }
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(query, prepared);
      return prepared;
    },

    async run(prepared, request, context) {
      if (!prepared.document) return { status: 400, body: { errors: prepared.errors.map((e) => e.toJSON()) } };
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

function classify(result: ExecutionResult): GraphQLReply {
  const errors = result.errors ?? [];
  // No data at all: the request never ran (unknown operation, bad variables) — the client's fault.
  if (!('data' in result) || result.data === undefined) {
    return { status: 400, body: { errors: errors.map((e) => e.toJSON()) } };
  }
  if (errors.length === 0) return { status: 200, body: result };

  const clientErrors = errors.filter(
    (e) => e.originalError instanceof UserInputError || e.originalError instanceof ForbiddenError || e.originalError instanceof NotFoundError,
  );
  if (clientErrors.length === errors.length) {
    const forbidden = clientErrors.some((e) => e.originalError instanceof ForbiddenError);
    const missing = clientErrors.every((e) => e.originalError instanceof NotFoundError);
    return {
      status: forbidden ? 403 : missing ? 404 : 400,
      body: {
        errors: clientErrors.map((e) => ({
          ...e.toJSON(),
          extensions: { code: (e.originalError as UserInputError | ForbiddenError | NotFoundError).code },
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
