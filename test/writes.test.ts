// Writes are not blindly retried: a mutation that creates something (operations/mutations.json:
// unsafe) is sent again only when the request provably never reached the server; otherwise the
// call fails with WriteMayHaveAppliedError and nothing is created twice. Idempotent writes are
// retried; a delete whose retry finds the object gone reports success.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, type ResponseEvent, WandbError, WriteMayHaveAppliedError } from '@wandb-api/core';
import { generateApiKey } from '@wandb-api/admin';
import { pushToRunQueue, runQueueItems } from '@wandb-api/launch';
import { createRun, deleteRun, getRun, updateRun } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { closedPort, requestsFor, startTestServer, testClient, testClock } from './support.js';

let server: LocalServer;
const queue = { entity: 'demo', name: 'default' };

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  server.clearRequests();
});

const items = async () => (await runQueueItems(testClient(server), queue).toArray()).length;
const keys = () => server.store.users.apiKeysOf(server.store.primaryUser()!.id).length;

describe('unsafe writes (they create something)', () => {
  it('pushToRunQueue: a reset after the server processed it is WriteMayHaveAppliedError, and one item exists', async () => {
    const before = await items();
    server.faults.add({ resetAfter: true, count: 1, operationName: 'PushToRunQueueByName' });
    const error = await pushToRunQueue(testClient(server), queue, { job: 'j' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteMayHaveAppliedError);
    expect((error as WriteMayHaveAppliedError).code).toBe('write_may_have_applied');
    expect((error as Error).message).toMatch(/PushToRunQueueByName may have been applied/);
    expect(requestsFor(server, 'PushToRunQueueByName')).toHaveLength(1);
    expect(await items()).toBe(before + 1);
  });

  it('generateApiKey: the same; one key is minted, not two', async () => {
    const before = keys();
    server.faults.add({ resetAfter: true, count: 1, operationName: 'GenerateApiKey' });
    await expect(generateApiKey(testClient(server))).rejects.toBeInstanceOf(WriteMayHaveAppliedError);
    expect(keys()).toBe(before + 1);
  });

  it('a reset before processing cannot be told apart: not retried either, and nothing was created', async () => {
    const before = await items();
    server.faults.add({ reset: true, count: 1, operationName: 'PushToRunQueueByName' });
    await expect(pushToRunQueue(testClient(server), queue, { job: 'j' })).rejects.toBeInstanceOf(WriteMayHaveAppliedError);
    expect(await items()).toBe(before);
  });

  it('503 and 429 are answered before processing: retried, one item', async () => {
    const before = await items();
    const clock = testClock();
    server.faults.add({ status: 503, count: 1, operationName: 'PushToRunQueueByName' });
    server.faults.add({ status: 429, retryAfter: 2, count: 1, operationName: 'PushToRunQueueByName' });
    await pushToRunQueue(testClient(server, { clock }), queue, { job: 'j' });
    expect(requestsFor(server, 'PushToRunQueueByName').map((r) => r.status)).toEqual([503, 429, 200]);
    expect(clock.sleeps[1]).toBe(2_000);
    expect(await items()).toBe(before + 1);
  });

  it('a refused connection never reached the server: retried (then a ConnectionError)', async () => {
    const port = await closedPort();
    const attempts: ResponseEvent[] = [];
    const client = testClient({ url: `http://127.0.0.1:${port}`, apiKey: server.apiKey }, { clock: testClock(), hooks: { onResponse: (e) => attempts.push(e) } });
    const error = await pushToRunQueue(client, queue, { job: 'j' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(WriteMayHaveAppliedError);
    expect(attempts.length).toBeGreaterThan(1);
  });
});

describe('idempotent writes and deletes', () => {
  it('updateRun (an upsert by id) is retried after a reset that applied it', async () => {
    const run = await createRun(testClient(server), { project: 'writes', entity: 'demo' });
    server.clearRequests();
    server.faults.add({ resetAfter: true, count: 1, operationName: 'UpsertRun' });
    const updated = await updateRun(testClient(server), run, { notes: 'twice is fine' });
    expect(updated.notes).toBe('twice is fine');
    expect(requestsFor(server, 'UpsertRun').map((r) => r.status)).toEqual([0, 200]);
  });

  it('deleteRun retried after a reset that deleted it reports success', async () => {
    const client = testClient(server);
    const run = await createRun(client, { project: 'writes', entity: 'demo' });
    server.faults.add({ resetAfter: true, count: 1, operationName: 'DeleteRun' });
    await deleteRun(client, run);
    // The retry found the run gone (400), which after an attempt that may have deleted it is success.
    expect(requestsFor(server, 'DeleteRun').map((r) => r.status)).toEqual([0, 400]);
    await expect(getRun(client, `demo/writes/${run.id}`)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a delete of something that never existed still fails', async () => {
    const client = testClient(server);
    const run = await createRun(client, { project: 'writes', entity: 'demo' });
    await deleteRun(client, run);
    await expect(deleteRun(client, run)).rejects.toBeInstanceOf(WandbError);
  });
});
