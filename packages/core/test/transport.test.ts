// The request loop against the local server: auth, retries, Retry-After, budgets, timeouts,
// aborts, truncated bodies, and credentials that never leave the base URL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ServerError,
  TimeoutError,
  WandbError,
  getDefaultEntity,
  getServerFeatures,
  getViewer,
  hasServerFeature,
} from '@wandb-api/core';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient, testClock } from '../../../test/support.js';
import { RunCountDocument, RunsDocument } from '../../runs/src/generated/graphql.js';

let server: LocalServer;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  server.requests.length = 0;
});

describe('viewer, default entity and features', () => {
  it('reads the viewer and caches it per client', async () => {
    const client = testClient(server);
    const viewer = await getViewer(client);
    expect(viewer.username).toBe(server.username);
    expect(viewer.entity).toBe(server.entity);
    expect(viewer.teams).toContain('vision-team');
    await getViewer(client);
    expect(await getDefaultEntity(client)).toBe(server.entity);
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
  });

  it('sends the W&B headers and Basic api:<key> credentials', async () => {
    await getViewer(testClient(server));
    const [request] = requestsFor(server, 'Viewer');
    expect(request?.hasAuthorization).toBe(true);
    expect(request?.userAgent).toMatch(/^W&B Public Client /);
  });

  it('probes server features once per client', async () => {
    const client = testClient(server);
    expect(await hasServerFeature(client, 'SWEEPS_QUERY_FILTERING')).toBe(true);
    expect(await hasServerFeature(client, 'NO_SUCH_FEATURE')).toBe(false);
    expect((await getServerFeatures(client)).size).toBeGreaterThan(0);
    expect(requestsFor(server, 'ServerFeatures')).toHaveLength(1);
  });
});

describe('errors', () => {
  it('a bad key is an AuthenticationError, not retried, and its message holds no key', async () => {
    const badKey = 'x'.repeat(40);
    const client = testClient({ url: server.url, apiKey: badKey });
    const error = await getViewer(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect(String((error as Error).message)).not.toContain(badKey);
    expect(String((error as Error).message)).not.toContain(btoa(`api:${badKey}`));
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
  });

  it('no key at all fails before any request', async () => {
    const client = testClient({ url: server.url, apiKey: '' }, { apiKey: undefined });
    await expect(getViewer(client)).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(0);
  });

  it('a bad filter is a typed error and is not retried', async () => {
    const client = testClient(server);
    const error = await client
      .request(RunsDocument, { entity: 'demo', project: 'mnist-classifier', filters: '{"config.lr": {"$bogus": 1}}' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('$bogus');
    expect(requestsFor(server, 'Runs')).toHaveLength(1);
  });
});

describe('retries', () => {
  it('503 twice, then success', async () => {
    server.faults.add({ status: 503, count: 2, operationName: 'Viewer' });
    const viewer = await getViewer(testClient(server));
    expect(viewer.username).toBe(server.username);
    expect(requestsFor(server, 'Viewer').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('429 with Retry-After: 1 waits a second on the client clock, then succeeds', async () => {
    server.faults.add({ status: 429, retryAfter: 1, count: 1, operationName: 'Viewer' });
    const clock = testClock();
    await getViewer(testClient(server, { clock }));
    expect(clock.sleeps).toEqual([1000]);
    expect(requestsFor(server, 'Viewer').map((r) => r.status)).toEqual([429, 200]);
  });

  it('endless 500s give up within the time budget with a ServerError', async () => {
    server.faults.add({ status: 500, operationName: 'Viewer' });
    const clock = testClock();
    const error = await getViewer(testClient(server, { clock, maxRetries: 100, maxRetryTimeMs: 1_500 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    // No retry starts past the budget: every wait ended within it, and the attempts stopped there.
    expect(clock.now()).toBeLessThanOrEqual(1_500);
    expect(clock.sleeps.length).toBeGreaterThan(2);
    expect(requestsFor(server, 'Viewer')).toHaveLength(clock.sleeps.length + 1);
  });

  it('endless 500s give up after maxRetries attempts', async () => {
    server.faults.add({ status: 500, operationName: 'Viewer' });
    await expect(getViewer(testClient(server, { maxRetries: 2 }))).rejects.toBeInstanceOf(ServerError);
    expect(requestsFor(server, 'Viewer')).toHaveLength(3);
  });

  it('a reset connection is retried', async () => {
    server.faults.add({ reset: true, count: 1, operationName: 'Viewer' });
    expect((await getViewer(testClient(server))).username).toBe(server.username);
  });

  it('a truncated body is retried', async () => {
    server.faults.add({ truncate: true, count: 1, operationName: 'Viewer' });
    expect((await getViewer(testClient(server))).username).toBe(server.username);
    expect(requestsFor(server, 'Viewer').length).toBe(2);
  });

  it('an HTML page instead of JSON is a clear error, not retried', async () => {
    server.faults.add({ html: true, operationName: 'Viewer' });
    const error = await getViewer(testClient(server)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WandbError);
    expect((error as Error).message).toMatch(/GraphQL Viewer got text\/html instead of JSON: is http:\/\/127\.0\.0\.1:\d+ a W&B server\?/);
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  it('a slow server is a TimeoutError', async () => {
    server.faults.add({ latencyMs: 2_000, operationName: 'Viewer' });
    const error = await getViewer(testClient(server, { timeoutMs: 200, maxRetries: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('abort is an AbortError and stops further requests', async () => {
    server.faults.add({ status: 503, operationName: 'Viewer' });
    const controller = new AbortController();
    const client = testClient(server, { retryBaseDelayMs: 300, retryMaxDelayMs: 300 });
    const pending = getViewer(client, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    const count = requestsFor(server, 'Viewer').length;
    await new Promise((r) => setTimeout(r, 700));
    expect(requestsFor(server, 'Viewer').length).toBe(count);
  });

  it('identical calls in flight at once keep their own signals and timeouts', async () => {
    server.faults.add({ latencyMs: 300, count: 2, operationName: 'RunCount' });
    const client = testClient(server);
    const variables = { entity: server.entity, project: 'mnist-classifier' };
    const controller = new AbortController();
    const aborted = client.request(RunCountDocument, variables, { signal: controller.signal });
    const kept = client.request(RunCountDocument, variables);
    setTimeout(() => controller.abort(), 100);
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    expect((await kept).project?.runCount).toBeGreaterThan(0);
    expect(requestsFor(server, 'RunCount')).toHaveLength(2);
  });

  it('an already-aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(getViewer(testClient(server), { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('credentials stay under the base URL', () => {
  it('never sends Authorization to another origin', async () => {
    const client = testClient(server);
    const response = await client.fetch(`${server.storageUrl}/healthz`, { headers: { Authorization: 'Basic smuggled' } });
    expect(response.status).toBe(200);
    const storage = server.requests.filter((r) => r.origin === 'storage');
    expect(storage).toHaveLength(1);
    expect(storage[0]?.hasAuthorization).toBe(false);
  });

  it('treats a same-host URL outside the base path, or another port, as foreign', () => {
    const client = testClient({ url: `${server.url}/api`, apiKey: server.apiKey });
    expect(client.transport.isUnderBaseUrl(`${server.url}/api/graphql`)).toBe(true);
    expect(client.transport.isUnderBaseUrl(`${server.url}/apix`)).toBe(false);
    expect(client.transport.isUnderBaseUrl(`${server.url}/other`)).toBe(false);
    expect(client.transport.isUnderBaseUrl(server.storageUrl)).toBe(false);
  });
});
