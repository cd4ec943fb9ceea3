// createClient: configuration + transport + @urql/core. urql's Client runs the typed documents;
// its one exchange (./exchange.ts) sends them through our transport, which does retries, timeouts
// and cancellation.
import { Client, createRequest } from '@urql/core';
import type { DocumentTypeDecoration } from './document.js';
import { type ClientOptions, type ResolvedConfig, checkTimeout, resolveConfig } from './config.js';
import { ConnectionError, ValidationError, WandbError, scrub } from './errors.js';
import { type TransportContext, transportExchange } from './exchange.js';
import { type CallOptions, GONE, type SendOptions, Transport, failures } from './transport.js';
import { capabilities } from './needs.js';
import { abortable } from './signal.js';

/** A generated typed document (TypedDocumentString) or any string document with types attached. */
export type Document<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  /** The GraphQL source text. */
  toString(): string;
};

const BRAND = Symbol.for('wandb-api.client');

// A value `memo` caches: its load, the load's own stop, and how many callers wait for it.
interface MemoEntry<T> {
  value: Promise<T>;
  stop: AbortController;
  waiting: number;
}

// Each call is an operation of its own (a fresh key): urql would join identical calls in flight
// into one, and with it the first caller's signal and timeout.
let calls = 0;

/** The connection to one W&B server with one set of credentials. Create it with `createClient`. */
export class WandbClient {
  /** Brand-checked `instanceof`: also true for a client made by another installed copy (ESM and CJS) of this package. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return (value as { [BRAND]?: unknown } | null)?.[BRAND] === true;
  }

  /** The configuration after options, environment and defaults were merged. */
  declare readonly config: ResolvedConfig;
  /** The request loop; exposed for domain packages that fetch files. */
  declare readonly transport: Transport;
  private declare readonly urql: Client;
  private declare readonly cache: Map<string, MemoEntry<unknown>>;

  constructor(config: ResolvedConfig) {
    const transport = new Transport(config);
    Object.defineProperty(this, BRAND, { value: true });
    Object.assign(this, {
      config,
      transport,
      cache: new Map(),
      urql: new Client({ url: `${config.baseUrl}/graphql`, exchanges: [transportExchange(transport)], requestPolicy: 'network-only' }),
    });
  }

  /**
   * Sends a typed GraphQL document and returns its data; every failure is a typed WandbError.
   * @example const data = await client.request(ViewerDocument, {});
   */
  async request<TResult, TVariables>(document: Document<TResult, TVariables>, variables: TVariables, options: CallOptions = {}): Promise<TResult> {
    const text = document.toString();
    // Generated mutations start with their class from operations/mutations.json (`#idempotent` …);
    // a mutation without one is taken as unsafe to repeat.
    // Then, marked `#needs`, one that uses W&B's schema beyond April 2023: what it needs is checked
    // against the server's capabilities before anything is sent (capabilities.ts, loaded only then).
    const [, kind, needs, type = 'query', operationName] = /^\s*(?:#(idempotent|delete|unsafe)\s*)?(#needs\s*)?(query|mutation)?\s*(\w+)?/.exec(text)!;
    const write = type === 'query' ? undefined : kind === 'idempotent' || kind === 'delete' ? kind : 'unsafe';
    const what = `GraphQL ${operationName ?? 'request'}`;
    const invalid = (part: string, problem: string, error: unknown, code?: string) =>
      new ValidationError(`The ${part} of ${what} ${problem}: ${(error as Error).message}`, { cause: error, code });
    try {
      try {
        JSON.stringify(variables);
      } catch (error) {
        throw invalid('variables', 'cannot be sent as JSON', error);
      }
      let request: ReturnType<typeof createRequest>;
      try {
        request = createRequest(text, (variables ?? {}) as Record<string, unknown>);
      } catch (error) {
        throw invalid('document', 'does not parse', error, 'graphql_syntax');
      }
      if (needs) await (await capabilities()).checkNeeds(this, what, operationName!, options);
      const context: TransportContext = { query: text, call: { ...options, operationName, write, variables: request.variables } };
      const { urql } = this;
      // The exchange's result: the answer as it came, or what the transport threw.
      const { data: answer, error } = await urql.executeRequestOperation(urql.createRequestOperation(type as 'query' | 'mutation', { ...request, key: ++calls }, context)).toPromise();
      const failed = `${what} failed: `;
      if (error) throw error instanceof WandbError ? error : new ConnectionError(failed + error.message, { cause: error });
      // A delete found gone on its retry, after an attempt that may have done it: report the
      // deletion as the server does, `{ success: true }` under the mutation's first field.
      if (answer === GONE) return { [/\{\s*(\w+)/.exec(text)![1]!]: { success: true } } as TResult;
      const { data, errors } = (answer ?? {}) as { data?: unknown; errors?: unknown };
      // Built by a module loaded on the first answer with errors (off the hot path).
      if (Array.isArray(errors)) throw (await failures()).graphQLFailure(what, errors, data, operationName);
      if (data === undefined) throw new ConnectionError(`${failed}No Content`);
      return data as TResult;
    } catch (error) {
      throw scrub(error, this.config.apiKey);
    }
  }

  /**
   * Fetches any URL through the request loop: credentials are attached only when the URL is under
   * the base URL (never to signed storage URLs); non-2xx answers throw typed errors.
   */
  fetch(url: string, init?: RequestInit, options?: SendOptions): Promise<Response> {
    return this.transport.send(new URL(url, `${this.config.baseUrl}/`).toString(), init, options);
  }

  /**
   * Caches a value for the lifetime of this client (the viewer, server features …). `load` runs
   * once for every caller, with a signal of its own (never a caller's): each caller waits with its
   * own `signal` and alone gets the AbortError when it fires; the load is stopped only when every
   * caller waiting for it has gone. A failed or stopped load, or a null value, is forgotten: the
   * next call asks again.
   * @example const viewer = await client.memo('viewer', (signal) => loadViewer(client, signal), options);
   */
  async memo<T>(key: string, load: (signal: AbortSignal) => Promise<T>, options: CallOptions = {}): Promise<T> {
    // The shared load runs with the client's timeouts; a caller's own is still checked (bad input is refused).
    if (options.timeoutMs !== undefined) checkTimeout('timeoutMs', options.timeoutMs);
    const { cache } = this;
    let entry = cache.get(key) as MemoEntry<T> | undefined;
    if (!entry) {
      const stop = new AbortController();
      // Started a tick later: a caller whose signal has already fired sends nothing.
      const created = (entry = { value: Promise.resolve(stop.signal).then(load), stop, waiting: 0 });
      const drop = () => cache.get(key) === created && cache.delete(key);
      cache.set(key, created);
      // A failed or stopped load is forgotten, and so is a null value: the next call asks again.
      created.value.then((value) => value ?? drop(), drop);
    }
    const shared = entry;
    shared.waiting++;
    // The last caller gone before the value came: stop the load and forget it. (Callers waiting
    // when the value came never leave: their abort listeners are gone.)
    return abortable(shared.value, options.signal, () => --shared.waiting || (shared.stop.abort(), cache.delete(key)));
  }

  /** Forgets every cached value (viewer, default entity, features, organizations): the next call asks again. */
  forget(): void {
    this.cache.clear();
  }
}

/**
 * Creates a client. Options override the environment (WANDB_API_KEY, WANDB_BASE_URL,
 * WANDB_ENTITY, WANDB_PROJECT, WANDB_HTTP_TIMEOUT); in Node, the netrc file is read too.
 * @example const client = createClient({ apiKey: process.env.WANDB_API_KEY });
 */
export function createClient(options: ClientOptions = {}): WandbClient {
  return new WandbClient(resolveConfig(options));
}
