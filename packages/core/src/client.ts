// createClient: configuration + transport + @urql/core. urql's Client runs the typed documents;
// its one exchange (./exchange.ts) sends them through our transport, which does retries, timeouts
// and cancellation.
import { Client, createRequest } from '@urql/core';
import type { DocumentTypeDecoration } from './document.js';
import { type ClientOptions, type ResolvedConfig, resolveConfig } from './config.js';
import { ConnectionError, GraphQLError, type GraphQLErrorEntry, WandbError, messageOf } from './errors.js';
import { type TransportContext, transportExchange } from './exchange.js';
import { type CallOptions, type SendOptions, Transport } from './transport.js';

/** A generated typed document (TypedDocumentString) or any string document with types attached. */
export type Document<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  /** The GraphQL source text. */
  toString(): string;
};

const BRAND = Symbol.for('wandb-api.client');

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
  private readonly cache = new Map<string, Promise<unknown>>();
  private calls = 0;

  constructor(config: ResolvedConfig) {
    Object.defineProperty(this, BRAND, { value: true });
    this.config = config;
    this.transport = new Transport(config);
    this.urql = new Client({
      url: `${config.baseUrl}/graphql`,
      exchanges: [transportExchange(this.transport)],
      requestPolicy: 'network-only',
    });
  }

  /**
   * Sends a typed GraphQL document and returns its data; every failure is a typed WandbError.
   * @example const data = await client.request(ViewerDocument, {});
   */
  async request<TResult, TVariables>(document: Document<TResult, TVariables>, variables: TVariables, options: CallOptions = {}): Promise<TResult> {
    const text = document.toString();
    const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(text)?.[1];
    const context: TransportContext = { query: text, call: { ...options, operationName } };
    const { urql } = this;
    const request = createRequest(text, (variables ?? {}) as Record<string, unknown>);
    // Each call is an operation of its own (a fresh key): urql would join identical calls in flight
    // into one, and with it the first caller's signal and timeout.
    const operation = urql.createRequestOperation(/^\s*mutation\b/.test(text) ? 'mutation' : 'query', { ...request, key: ++this.calls }, context);
    const result = await urql.executeRequestOperation(operation).toPromise();
    const { data } = result;
    if (result.error) {
      const { networkError, graphQLErrors } = result.error;
      const failed = `GraphQL ${operationName ?? 'request'} failed: `;
      if (networkError) throw networkError instanceof WandbError ? networkError : new ConnectionError(failed + networkError.message, { cause: networkError });
      const errors: GraphQLErrorEntry[] = graphQLErrors.map(({ message, path, extensions }) => ({
        message,
        ...(path && { path }),
        ...(extensions && { extensions: extensions as Record<string, unknown> }),
      }));
      throw new GraphQLError(failed + messageOf(errors), { errors, data, operationName });
    }
    return data as TResult;
  }

  /**
   * Fetches any URL through the request loop: credentials are attached only when the URL is under
   * the base URL (never to signed storage URLs); non-2xx answers throw typed errors.
   */
  fetch(url: string, init?: RequestInit, options?: SendOptions): Promise<Response> {
    return this.transport.send(new URL(url, `${this.config.baseUrl}/`).toString(), init, options);
  }

  /**
   * Caches a value for the lifetime of this client (the viewer, server features …). A failed load
   * is forgotten so the next call asks again.
   */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.cache.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = load();
      this.cache.set(key, entry);
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  /** Forgets cached values (all, or those whose key starts with `prefix`). */
  forget(prefix = ''): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
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
