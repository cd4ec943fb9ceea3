// Values a client caches (viewer, default entity, server features) against the local server: one
// load shared by every caller, each caller cancelling only their own wait; failures not cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ServerError, getDefaultEntity, getServerFeatures, getViewer, hasServerFeature } from '@wandb-api/core';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;

/** Aborts once the server has seen a request for `operation` (its answer held back by a latency fault). */
async function abortWhenSeen(operation: string): Promise<AbortSignal> {
  const controller = new AbortController();
  void (async () => {
    while (requestsFor(server, operation).length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
  })();
  return controller.signal;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('cached lookups', () => {
  it("one caller's abort fails only that caller; the others get the value of the one load", async () => {
    const client = testClient(server);
    server.clearRequests();
    server.faults.add({ operationName: 'DefaultEntity', latencyMs: 300, count: 1 });
    const aborted = getDefaultEntity(client, { signal: await abortWhenSeen('DefaultEntity') });
    const kept = getDefaultEntity(client);
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    expect(await kept).toBe(server.entity);
    expect(await getDefaultEntity(client, { signal: new AbortController().signal })).toBe(server.entity);
    expect(requestsFor(server, 'DefaultEntity')).toHaveLength(1);
  });

  it('when every caller has gone the load stops and is not cached; an aborted signal sends nothing', async () => {
    const client = testClient(server);
    server.clearRequests();
    server.faults.add({ operationName: 'Viewer', latencyMs: 300, count: 1 });
    await expect(getViewer(client, { signal: await abortWhenSeen('Viewer') })).rejects.toBeInstanceOf(AbortError);
    await expect(getViewer(client, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
    expect((await getViewer(client)).username).toBe(server.username);
    expect(requestsFor(server, 'Viewer')).toHaveLength(2);
  });

  it('the feature probe throws a 5xx (not cached); only a server without the field has no features', async () => {
    const client = testClient(server, { maxRetries: 1 });
    server.faults.add({ operationName: 'ServerFeatures', status: 500, count: 2 });
    await expect(getServerFeatures(client)).rejects.toBeInstanceOf(ServerError);
    expect(await hasServerFeature(client, 'SWEEPS_QUERY_FILTERING')).toBe(true);

    // An older server: its schema has no serverInfo.features (answered once, then known).
    const old = testClient(server);
    server.clearRequests();
    server.faults.add({ operationName: 'ServerFeatures', status: 400, count: 1, message: 'Cannot query field "features" on type "ServerInfo".' });
    expect(await hasServerFeature(old, 'SWEEPS_QUERY_FILTERING')).toBe(false);
    expect((await getServerFeatures(old)).size).toBe(0);
    expect(requestsFor(server, 'ServerFeatures')).toHaveLength(1);
  });
});
