// The request loop's policy against the local server, on a test clock: backoff and Retry-After,
// the client-wide retry budget, timeouts as inputs, secrets in errors, typed errors before any
// request, logs and hooks, failing fast on an unreachable server, and what errors carry.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConnectionError,
  GraphQLError,
  PermissionError,
  RateLimitError,
  type RequestEvent,
  type ResponseEvent,
  ServerError,
  TimeoutError,
  ValidationError,
  createClient,
  getViewer,
  ViewerDocument,
  resolveConfig,
  scrub,
} from '@wandb-api/core';
import { downloadArtifact, getArtifact } from '@wandb-api/artifacts';
import { type LocalServer, createArtifact } from '@wandb-api/server';
import { closedPort, requestsFor, startTestServer, testClient, testClock } from '../../../test/support.js';
import { RunsDocument } from '../../runs/src/generated/graphql.js';

let server: LocalServer;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  server.clearRequests();
});

/** A client with the default backoff (testClient shortens it) on a test clock. */
const defaultBackoff = { retryBaseDelayMs: undefined, retryMaxDelayMs: undefined, maxRetryTimeMs: undefined };

describe('backoff', () => {
  it('waits 100, 200, 400 ms (less up to 25 % jitter) by default, and Retry-After exactly', async () => {
    const clock = testClock();
    const client = testClient(server, { clock, ...defaultBackoff });
    server.faults.add({ status: 503, count: 3, operationName: 'Viewer' });
    await getViewer(client);
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(75 * 2 ** i);
    });
    clock.sleeps.length = 0;
    server.faults.add({ status: 429, retryAfter: 3, count: 1 });
    await client.request(RunsDocument, { entity: 'demo', project: 'mnist-classifier' });
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('caps the backoff at retryMaxDelayMs (10 s by default)', async () => {
    const clock = testClock();
    server.faults.add({ status: 503, operationName: 'Viewer' });
    await expect(getViewer(testClient(server, { clock, ...defaultBackoff, maxRetries: 10 }))).rejects.toBeInstanceOf(ServerError);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(10_000);
    expect(clock.sleeps.at(-1)).toBeGreaterThanOrEqual(7_500);
  });
});

describe('the client-wide retry budget', () => {
  it('costs 5 tokens a retry, and a success gives back what its retry took', async () => {
    const client = testClient(server, { clock: testClock(), retryBudget: 12 });
    server.faults.add({ status: 503, count: 2, operationName: 'Viewer' });
    await getViewer(client);
    expect(client.transport.tokens).toBe(7);
    server.faults.add({ status: 503, operationName: 'ServerFeatures' });
    await expect(client.request(RunsDocument, { entity: 'demo', project: 'mnist-classifier' })).resolves.toBeTruthy();
    expect(client.transport.tokens).toBe(8);
    server.faults.add({ status: 503, operationName: 'Runs' });
    await expect(client.request(RunsDocument, { entity: 'demo', project: 'mnist-classifier' })).rejects.toBeInstanceOf(ServerError);
    // 8 → 3 after one retry; 3 < 5: no second retry.
    expect(requestsFor(server, 'Runs')).toHaveLength(3);
  });

  it('storage down during a 200-file download: the whole client stops retrying after about 100 retries', async () => {
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f/${i}.txt`, `file ${i}`]));
    createArtifact(server.store, { entity: server.entity, project: 'budget', type: 'dataset', name: 'many', files });
    // Real time, as 32 lanes share the budget only when their waits overlap (testClient's backoff
    // is 20–200 ms, so no wait here is longer than a fifth of a second).
    const client = testClient(server);
    const artifact = await getArtifact(client, `${server.entity}/budget/many:v0`);
    server.faults.add({ status: 503, path: '/artifact-blob/*' });
    const root = `/tmp/wandb-budget-${process.pid}`;
    await expect(downloadArtifact(client, artifact, { root })).rejects.toBeInstanceOf(ServerError);
    // 32 first attempts and about 100 retries (500 tokens / 5, plus what successes gave back), not
    // 32 lanes × 9 attempts: the count shows the budget stopped them (how long that took is the
    // benchmarks' business, not a unit test's).
    expect(server.requests.filter((r) => r.origin === 'storage').length).toBeLessThan(140);
    // The budget is the client's: the next failure is not retried.
    server.faults.add({ status: 503, count: 1, operationName: 'Viewer' });
    await expect(getViewer(client)).rejects.toBeInstanceOf(ServerError);
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
  });
});

describe('timeouts are checked inputs', () => {
  it('0, negative, NaN or a string is a ValidationError; Infinity means no timeout', () => {
    for (const timeoutMs of [0, -1, Number.NaN, '5' as never]) {
      expect(() => testClient(server, { timeoutMs })).toThrow(ValidationError);
      expect(() => testClient(server, { idleTimeoutMs: timeoutMs })).toThrow(ValidationError);
    }
    expect(testClient(server, { timeoutMs: Infinity }).config.timeoutMs).toBe(Infinity);
    expect(testClient(server, { timeoutMs: 5_000 }).config.idleTimeoutMs).toBe(5_000);
  });

  it('Infinity and values beyond 2³¹ ms do not become a 1 ms timeout', async () => {
    server.faults.add({ latencyMs: 30, count: 2, operationName: 'Viewer' });
    expect((await getViewer(testClient(server, { timeoutMs: Infinity, maxRetries: 0 }))).username).toBe(server.username);
    expect((await getViewer(testClient(server, { timeoutMs: 2 ** 31 + 5, maxRetries: 0 }))).username).toBe(server.username);
  });

  it('a bad per-call timeout fails before any request', async () => {
    await expect(getViewer(testClient(server), { timeoutMs: 0 })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('no API key in any error', () => {
  it('a key the server echoes is gone from the message, errors, JSON and inspect', async () => {
    const filters = JSON.stringify({ [server.apiKey]: { $bogus: 1 } });
    const error = await testClient(server)
      .request(RunsDocument, { entity: 'demo', project: 'mnist-classifier', filters })
      .catch((e: unknown) => e as Error);
    expect(error.message).toContain('[REDACTED]');
    for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify((error as GraphQLError).errors)]) {
      expect(text).not.toContain(server.apiKey);
    }
  });

  it('nor in a cause down the chain', async () => {
    const leaky: typeof fetch = async (_url, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      throw new TypeError('fetch failed', { cause: new Error(`proxy refused ${auth} for api:${server.apiKey}`) });
    };
    const error = await getViewer(testClient(server, { fetch: leaky, maxRetries: 0 })).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConnectionError);
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain('proxy refused');
    expect(shown).not.toContain(server.apiKey);
    expect(shown).not.toContain(btoa(`api:${server.apiKey}`));
  });

  it('nor in GraphQLError.data', () => {
    const key = 'k'.repeat(40);
    const error = new GraphQLError(`failed for ${key}`, { errors: [{ message: `no ${key}` }], data: { viewer: { apiKeys: [key] } } });
    const clean = scrub(error, key);
    expect(JSON.stringify(clean)).not.toContain(key);
    expect(inspect(clean, { depth: 10 })).not.toContain(key);
  });
});

describe('typed errors before any request', () => {
  it('a BigInt or a cycle in the variables is a ValidationError', async () => {
    const client = testClient(server);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const filters of [10n, cyclic]) {
      const error = await client.request(RunsDocument, { entity: 'demo', project: 'mnist-classifier', filters: filters as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/variables of GraphQL Runs cannot be sent as JSON/);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('a document that does not parse is a ValidationError (graphql_syntax); the server’s syntax errors carry that code too', async () => {
    const client = testClient(server);
    const local = await client.request('query Viewer { viewer { id } } }' as never, {}).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(ValidationError);
    expect(local).toMatchObject({ code: 'graphql_syntax' });
    expect(server.requests).toHaveLength(0);
    // Lenient enough for the client's parser, not for the server's.
    const remote = await client.request('query Viewer { viewer(x: 01) { id } }' as never, {}).catch((e: unknown) => e);
    expect(remote).toMatchObject({ code: 'graphql_syntax', status: 400 });
  });
});

describe('logs', () => {
  const capture = () => {
    const lines: Record<string, string[]> = { debug: [], info: [], warn: [], error: [] };
    return { lines, logger: { debug: (m: string) => lines.debug!.push(m), info: (m: string) => lines.info!.push(m), warn: (m: string) => lines.warn!.push(m), error: (m: string) => lines.error!.push(m) } };
  };

  it('info: one line per request (operation, status, attempt, ms); retries are warn', async () => {
    const { lines, logger } = capture();
    server.faults.add({ status: 503, count: 1, operationName: 'Viewer' });
    await getViewer(testClient(server, { logger, logLevel: 'info', clock: testClock() }));
    expect(lines.info).toEqual([expect.stringMatching(/^Viewer: 503 in \d+ ms \(attempt 1\)$/), expect.stringMatching(/^Viewer: 200 in \d+ ms \(attempt 2\)$/)]);
    expect(lines.warn).toEqual([expect.stringMatching(/^Retrying GraphQL Viewer in \d+ ms \(attempt 2 of 9\): GraphQL Viewer failed with HTTP 503/)]);
    expect(lines.debug).toEqual([]);
  });

  it('debug (WANDB_API_LOG) adds the variables, with the API key redacted', async () => {
    const { lines, logger } = capture();
    const client = testClient(server, { logger, env: { NETRC: '/nonexistent/netrc', WANDB_API_LOG: 'debug' } });
    await client.request(RunsDocument, { entity: 'demo', project: 'mnist-classifier', filters: JSON.stringify({ 'config.key': server.apiKey }) }).catch(() => {});
    expect(lines.debug.join('\n')).toContain('"project":"mnist-classifier"');
    expect(lines.debug.join('\n')).toContain('[REDACTED]');
    expect(lines.debug.join('\n')).not.toContain(server.apiKey);
  });

  it('the default: warn to stderr in Node; off in browsers unless set; a bad level is a ValidationError', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      server.faults.add({ status: 503, count: 1, operationName: 'Viewer' });
      await getViewer(createClient({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' }, clock: testClock() }));
      expect(stderr.mock.calls.map(([m]) => m)).toEqual([expect.stringMatching(/^wandb-api: Retrying GraphQL Viewer/)]);
    } finally {
      stderr.mockRestore();
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // resolveConfig is what the browser entry's createClient uses: no logger, no level → off.
      resolveConfig({ apiKey: 'x'.repeat(40), env: {} }).logger.warn('quiet');
      resolveConfig({ apiKey: 'x'.repeat(40), env: { WANDB_API_LOG: 'warn' } }).logger.warn('heard');
      expect(warn.mock.calls.map(([m]) => m)).toEqual(['heard']);
    } finally {
      warn.mockRestore();
    }
    expect(() => testClient(server, { logLevel: 'loud' as never })).toThrow(ValidationError);
  });
});

describe('hooks', () => {
  it('are called once per attempt with the operation, the URL without its query, the status and the time', async () => {
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const client = testClient(server, { clock: testClock(), hooks: { onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) } });
    server.faults.add({ status: 503, count: 1, operationName: 'Viewer' });
    await getViewer(client);
    expect(requests.map((e) => [e.operationName, e.attempt, e.url])).toEqual([
      ['Viewer', 1, `${server.url}/graphql`],
      ['Viewer', 2, `${server.url}/graphql`],
    ]);
    expect(responses.map((e) => [e.status, e.error?.code])).toEqual([
      [503, 'server'],
      [200, undefined],
    ]);
    expect(responses.every((e) => typeof e.durationMs === 'number')).toBe(true);
    await client.fetch(`${server.storageUrl}/healthz?sig=secret`);
    expect(responses.at(-1)).toMatchObject({ url: `${server.storageUrl}/healthz`, status: 200, method: 'GET' });
  });

  it('a hook that throws is logged, not fatal', async () => {
    const warned: string[] = [];
    const client = testClient(server, { logger: { warn: (m) => warned.push(m) }, hooks: { onRequest: () => { throw new Error('metrics down'); } } });
    expect((await getViewer(client)).username).toBe(server.username);
    expect(warned).toEqual(['onRequest hook threw: Error: metrics down']);
    // A call's own onResponse too.
    const onResponse = () => {
      throw new Error('chart down');
    };
    expect((await client.request(ViewerDocument, {}, { onResponse })).viewer?.username).toBe(server.username);
    expect(warned.at(-1)).toBe('onResponse hook threw: Error: chart down');
  });
});

describe('an unreachable server fails fast and says why', () => {
  it('before any answer: two retries, then a ConnectionError naming the URL and the cause', async () => {
    const port = await closedPort();
    const clock = testClock();
    const client = testClient({ url: `http://127.0.0.1:${port}`, apiKey: server.apiKey }, { clock, ...defaultBackoff });
    const error = await getViewer(client).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(`GraphQL Viewer failed: cannot reach http://127.0.0.1:${port}/graphql (ECONNREFUSED 127.0.0.1:${port}).`);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.now()).toBeLessThan(1_000);
  });

  it('after a first answer, the normal policy, with a warn line per retry', async () => {
    const other = await startTestServer();
    const warned: string[] = [];
    const client = testClient(other, { clock: testClock(), maxRetries: 4, logger: { warn: (m) => warned.push(m) } });
    await getViewer(client);
    await other.stop();
    await expect(client.request(RunsDocument, { entity: 'x', project: 'y' })).rejects.toBeInstanceOf(ConnectionError);
    expect(warned).toHaveLength(4);
    expect(warned[0]).toMatch(/^Retrying GraphQL Runs in \d+ ms \(attempt 2 of 5\): GraphQL Runs failed: cannot reach .*ECONNREFUSED/);
  });
});

describe('what errors carry', () => {
  it('a stable code, the response headers and the request id', async () => {
    server.faults.add({ status: 429, retryAfter: 9, operationName: 'Viewer' });
    const limited = await getViewer(testClient(server, { maxRetries: 0 })).catch((e: unknown) => e as RateLimitError);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 9_000 });
    expect(limited.headers['retry-after']).toBe('9');
    expect(limited.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(limited.requestId).toBe(limited.headers['x-wandb-trace-id']);
    expect(JSON.parse(JSON.stringify(limited))).toMatchObject({ name: 'RateLimitError', code: 'rate_limited', message: limited.message, requestId: limited.requestId });
    server.faults.clear();
    server.faults.add({ latencyMs: 50, operationName: 'Viewer' });
    await expect(getViewer(testClient(server, { timeoutMs: 10, maxRetries: 0 }))).rejects.toMatchObject({ code: 'timeout' });
    await expect(getViewer(testClient(server), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'abort' });
    expect(new TimeoutError('x').code).toBe('timeout');
  });

  it('a signed URL loses its signature in `url` as in the message', async () => {
    const signed = `${server.storageUrl}/blob/${'0'.repeat(32)}?expires=1&sig=topsecret`;
    const error = await testClient(server).fetch(signed).catch((e: unknown) => e as PermissionError);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.url).toBe(`${server.storageUrl}/blob/${'0'.repeat(32)}`);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('topsecret');
  });
});
