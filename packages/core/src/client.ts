// createClient: configuration + transport + @urql/core. urql's Client runs the typed documents;
// its one exchange (./exchange.ts) sends them through our transport, which does retries, timeouts
// and cancellation.
import { Client, createRequest } from '@urql/core';
import type { DocumentTypeDecoration } from './document.js';
import { type ClientOptions, type ResolvedConfig, resolveConfig } from './config.js';
import { ConnectionError, GraphQLError, type GraphQLErrorEntry, ValidationError, WandbError, messageOf, scrub } from './errors.js';
import { type TransportContext, transportExchange } from './exchange.js';
import { type CallOptions, type SendOptions, Transport, type WriteKind } from './transport.js';

/** A generated typed document (TypedDocumentString) or any string document with types attached. */
export type Document<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  /** The GraphQL source text. */
  toString(): string;
};

/** The connection to one W&B server with one set of credentials. Create it with `createClient`. */
export class WandbClient {
  /** The configuration after options, environment and defaults were merged. */
  declare readonly config: ResolvedConfig;
  /** The request loop; exposed for domain packages that fetch files. */
  declare readonly transport: Transport;
  private declare readonly urql: Client;
  private readonly cache = new Map<string, Promise<unknown>>();
  private calls = 0;

  constructor(config: ResolvedConfig) {
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
    try {
      return await this.send(document, variables, options);
    } catch (error) {
      throw scrub(error, this.config.apiKey);
    }
  }

  private async send<TResult, TVariables>(document: Document<TResult, TVariables>, variables: TVariables, options: CallOptions): Promise<TResult> {
    const text = document.toString();
    // Generated mutations start with their class from operations/mutations.json (`#idempotent` …);
    // a mutation without one is taken as unsafe to repeat.
    const [, kind, type, operationName] = /^\s*(?:#(\w+))?\s*(query|mutation)?\s*(\w+)?/.exec(text)!;
    const write: WriteKind | undefined = type !== 'mutation' ? undefined : kind === 'idempotent' || kind === 'delete' ? kind : 'unsafe';
    const what = `GraphQL ${operationName ?? 'request'}`;
    try {
      JSON.stringify(variables);
    } catch (error) {
      throw new ValidationError(`The variables of ${what} cannot be sent as JSON: ${(error as Error).message}`, { cause: error });
    }
    const { urql } = this;
    let request: ReturnType<typeof createRequest>;
    try {
      request = createRequest(text, (variables ?? {}) as Record<string, unknown>);
    } catch (error) {
      throw new ValidationError(`The document of ${what} does not parse: ${(error as Error).message}`, { cause: error, code: 'graphql_syntax' });
    }
    const context: TransportContext = { query: text, call: { ...options, operationName, write } };
    // Each call is an operation of its own (a fresh key): urql would join identical calls in flight
    // into one, and with it the first caller's signal and timeout.
    const operation = urql.createRequestOperation(type === 'mutation' ? 'mutation' : 'query', { ...request, key: ++this.calls }, context);
    const result = await urql.executeRequestOperation(operation).toPromise();
    const { data } = result;
    if (result.error) {
      const { networkError, graphQLErrors } = result.error;
      const failed = `${what} failed: `;
      if (networkError) throw networkError instanceof WandbError ? networkError : new ConnectionError(failed + networkError.message, { cause: networkError });
      const errors: GraphQLErrorEntry[] = graphQLErrors.map(({ message, path, extensions }) => ({
        message,
        ...(path && { path }),
        ...(extensions && { extensions: extensions as Record<string, unknown> }),
      }));
      throw new GraphQLError(failed + messageOf(errors), {
        errors,
        data,
        operationName,
        ...(/^Syntax Error/.test(errors[0]?.message ?? '') && { code: 'graphql_syntax' }),
      });
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
