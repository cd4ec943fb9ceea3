// The one urql exchange of our client. urql's Client parses, keys and runs each operation; this
// exchange posts the generated document text with the operation's variables through our transport,
// which owns retries, timeouts, cancellation and credentials, and reads the JSON with the
// NaN-tolerant decoder inside the retry loop (so a cut-short body is retried). It replaces
// fetchExchange, whose streaming decoders (multipart, SSE) we never use and which replaces the
// caller's AbortSignal with its own (urql#3377). Its results carry the answer as it came (`data`)
// or what the transport threw (`error`): `WandbClient.request` reads them, so urql's result and
// error helpers (CombinedError) stay out of every bundle.
import type { Exchange, Operation, OperationResult } from '@urql/core';
import { filter, fromPromise, mergeMap, pipe } from 'wonka';
import type { SendOptions, Transport } from './transport.js';

/** What `WandbClient.request` puts in an operation's context for the exchange. */
export interface TransportContext {
  /** The generated document, sent as it is (compact; urql's parsed copy would be printed anew). */
  query: string;
  /** The caller's signal and timeout for this call, the operation's name, its write class and variables. */
  call: SendOptions;
}

async function send(transport: Transport, operation: Operation): Promise<OperationResult> {
  const { query, call } = operation.context as unknown as TransportContext;
  const result = { operation } as OperationResult;
  try {
    result.data = await transport.sendJson(
      operation.context.url,
      {
        method: 'POST',
        headers: { accept: 'application/graphql-response+json, application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: call.operationName, variables: operation.variables }),
      },
      call,
    );
  } catch (error) {
    result.error = error as never;
  }
  return result;
}

/** The exchange that sends queries and mutations through `transport` (teardowns need no work: the signal cancels). */
export function transportExchange(transport: Transport): Exchange {
  return () => (operations$) =>
    pipe(
      operations$,
      filter(({ kind }) => kind === 'query' || kind === 'mutation'),
      mergeMap((operation) => fromPromise(send(transport, operation))),
    );
}
