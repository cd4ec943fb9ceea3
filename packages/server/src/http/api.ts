/**
 * The API origin: POST /graphql, GET /files/… and POST /files/…/file_stream (all need auth), POST
 * /oidc/token (federated identity), the storage routes under /storage (behind a proxy), GET /healthz,
 * GET /_automations/executions (this server's automation history); anything else is a JSON 404.
 */
import type { IncomingMessage } from 'node:http';
import { parse, print, visit } from 'graphql';
import { createContext } from '../graphql/context';
import { operationNameOf, type Executor, type GraphQLRequest } from '../graphql/execute';
import type { Store } from '../store/store';
import type { FileLinks } from './fileLinks';
import { FILES_PREFIX, fileRoute } from './files';
import { ARTIFACT_API_PREFIXES, artifactApiRoute } from './artifactFiles';
import { fileStreamRoute, isFileStreamRequest } from './fileStream';
import { authenticate } from './auth';
import type { Route, Routed } from './pipeline';
import { OIDC_TOKEN_PATH, type Identity } from './oidc';
import { STORAGE_MOUNT } from './publicUrl';
import { BODY_LIMITS, BodyTooLargeError, readBody } from './body';
import { EXECUTIONS_PATH, executionsRoute } from './automationHistory';
import { errorReply, json } from './reply';

/** What the API origin serves besides GraphQL and files: the token endpoint and the mounted storage routes. */
export interface ApiExtras {
  identity: Identity;
  /** The storage routes, served under STORAGE_MOUNT (for clients behind a proxy). */
  storage: Route;
}

export function apiRoute(store: Store, executor: Executor, links: FileLinks, extras: ApiExtras) {
  return async (req: IncomingMessage, path: string): Promise<Routed> => {
    if (path === '/healthz' && req.method === 'GET') return { respond: () => json(200, { ok: true }) };
    if (path === OIDC_TOKEN_PATH) return { respond: () => extras.identity.exchange(req) };
    if (path === EXECUTIONS_PATH) return executionsRoute(store, req);
    if (path.startsWith(`${STORAGE_MOUNT}/`)) return extras.storage(req, path.slice(STORAGE_MOUNT.length));
    if (isFileStreamRequest(req, path)) return fileStreamRoute(store, req, path);
    if (path.startsWith(FILES_PREFIX)) return fileRoute(store, req, path);
    if (ARTIFACT_API_PREFIXES.some((prefix) => path.startsWith(prefix))) return artifactApiRoute(store, req, path);
    if (path !== '/graphql' || req.method !== 'POST') {
      return { respond: () => errorReply(404, `not found: ${req.method} ${path}`) };
    }

    let body: Buffer;
    try {
      body = await readBody(req, BODY_LIMITS.graphql);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return { respond: () => errorReply(413, err.message) };
      throw err;
    }
    const request = parseRequest(body);
    if (typeof request === 'string') return { respond: () => errorReply(400, request) };
    const prepared = executor.prepare(request.query);

    return {
      operationName: operationNameOf(prepared, request.operationName),
      respond: async (fault) => {
        const auth = authenticate(store, req);
        if ('reply' in auth) return auth.reply;
        const { viewer } = auth;
        // Faults that act as a server with quirks: arguments it ignores, endCursors it leaves null.
        const ignored = fault?.ignoreArguments.length ? withoutArguments(request.query, fault.ignoreArguments) : undefined;
        const run = ignored ? { ...request, query: ignored } : request;
        const reply = await executor.run(ignored ? executor.prepare(ignored) : prepared, run, createContext(store, viewer, links.forApiRequest(req)));
        return json(reply.status, fault?.nullEndCursor ? withNullEndCursors(reply.body) : reply.body);
      },
    };
  };
}

/** The document without the named arguments, and the variables only they used (one that does not parse is left as it is). */
function withoutArguments(query: string, names: readonly string[]): string {
  let document;
  try {
    document = visit(parse(query), { Argument: (node) => (names.includes(node.name.value) ? null : undefined) });
  } catch {
    return query;
  }
  const used = new Set<string>();
  visit(document, { VariableDefinition: () => false, Variable: (node) => void used.add(node.name.value) });
  return print(visit(document, { VariableDefinition: (node) => (used.has(node.variable.name.value) ? undefined : null) }));
}

/** The answer with every `pageInfo.endCursor` null. */
function withNullEndCursors(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNullEndCursors);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'pageInfo' && v && typeof v === 'object' && 'endCursor' in v ? { ...v, endCursor: null } : withNullEndCursors(v)]),
  );
}

/** The JSON body `{query, variables, operationName}`, or a message saying what is wrong with it. */
function parseRequest(body: Buffer): GraphQLRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the request body must be JSON: {"query": "...", "variables": {...}}';
  }
  const r = parsed as Partial<Record<keyof GraphQLRequest, unknown>> | null;
  if (!r || typeof r !== 'object' || typeof r.query !== 'string') return 'the request body needs a "query" string';
  if (r.variables != null && (typeof r.variables !== 'object' || Array.isArray(r.variables))) return '"variables" must be an object';
  if (r.operationName != null && typeof r.operationName !== 'string') return '"operationName" must be a string';
  return {
    query: r.query,
    variables: (r.variables as Record<string, unknown> | null | undefined) ?? null,
    // Go clients always send operationName "": that means "not given".
    operationName: (r.operationName as string | null | undefined) || null,
  };
}
