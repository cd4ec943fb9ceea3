// Shared helpers for integration tests: a fresh in-memory server per test file, and clients with
// short retry timings so failure paths finish quickly.
import { type ClientOptions, createClient, type WandbClient } from '@wandb-api/core';
import { type LocalServer, type StartServerOptions, startServer } from '@wandb-api/server';

export async function startTestServer(options: StartServerOptions = {}): Promise<LocalServer> {
  return startServer({ port: 0, memory: true, seed: 'empty', ...options });
}

/** A client for the server with fast retries; its own env keeps the machine's WANDB_* and netrc out. */
export function testClient(server: { url: string; apiKey: string }, options: ClientOptions = {}): WandbClient {
  return createClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    env: { NETRC: '/nonexistent/netrc' },
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 200,
    maxRetryTimeMs: 5_000,
    ...options,
  });
}

/** Requests the server saw for one GraphQL operation. */
export function requestsFor(server: LocalServer, operationName: string) {
  return server.requests.filter((r) => r.operationName === operationName);
}

/** Runs `call` (a throw counts too) and returns how many requests the server saw meanwhile. */
export async function requestsDuring(server: LocalServer, call: () => unknown): Promise<number> {
  const before = server.requests.length;
  try {
    await call();
  } catch {
    // counted either way: bad input must fail before any request
  }
  return server.requests.length - before;
}
