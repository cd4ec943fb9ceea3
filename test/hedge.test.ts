// A body that stalls mid-way after the server has answered before gets a hedge: once it has been
// idle for 4× the client's usual time to an answer (at least 100 ms), the same request goes again
// beside it and the first to answer wins; the stalled attempt is abandoned. Reads and repeatable
// writes only, once per attempt, paid from the retry budget. Timers run on a test clock, so the
// client's usual answer time is 0 and the hedge goes at 100 ms.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, type RequestEvent, type ResponseEvent, TimeoutError, WriteMayHaveAppliedError } from '@wandb-api/core';
import { pushToRunQueue, runQueueItems } from '@wandb-api/launch';
import { createRun, deleteRun, updateRun } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { RunsDocument } from '../packages/runs/src/generated/graphql.js';
import { requestsFor, startTestServer, testClient, testClock, until } from './support.js';

let server: LocalServer;
const project = { entity: 'demo', project: 'mnist-classifier' };

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
});
afterAll(() => server.stop());
afterEach(() => {
  server.faults.clear();
  server.clearRequests();
});

/** A client on a test clock that has had one answer (so it knows the server's usual answer time), and the attempts it reports. */
async function answeredClient(options: Parameters<typeof testClient>[1] = {}) {
  const clock = testClock();
  const sent: RequestEvent[] = [];
  const ended: ResponseEvent[] = [];
  const client = testClient(server, { clock, idleTimeoutMs: 1000, hooks: { onRequest: (e) => sent.push(e), onResponse: (e) => ended.push(e) }, ...options });
  await client.request(RunsDocument, project);
  sent.length = 0;
  ended.length = 0;
  server.clearRequests();
  return { client, clock, sent, ended };
}

describe('a stalled body gets a hedge', () => {
  it('a read: the hedge goes at 100 ms and answers; the stalled attempt is abandoned, not waited for', async () => {
    const { client, clock, sent, ended } = await answeredClient();
    server.faults.add({ stall: true, count: 1, operationName: 'Runs' });
    const runs = client.request(RunsDocument, project);
    // The attempt timeout, the idle timeout and the stall timer while the body is read.
    await until(() => clock.pending >= 3, 'the body read');
    clock.advance(100);
    const data = await runs;
    expect(data.project?.runs?.edges.length).toBeGreaterThan(0);
    // Only 100 ms went by on the clock: the 1 s idle timeout never fired.
    expect(clock.now()).toBe(100);
    expect(requestsFor(server, 'Runs')).toHaveLength(2);
    expect(sent.map((e) => [e.attempt, e.hedge])).toEqual([
      [1, undefined],
      [2, true],
    ]);
    await until(() => ended.length === 2, 'the abandoned attempt to end');
    const abandoned = ended.find((e) => e.attempt === 1)!;
    expect(abandoned.error).toBeInstanceOf(TimeoutError);
    expect(abandoned.error?.message).toMatch(/abandoned, another attempt answered first/);
    // The hedge's cost came back with its success.
    expect(client.transport.tokens).toBe(client.config.retryBudget);
  });

  it('a repeatable write whose answer stalled (already processed): the hedge applies it again, harmlessly', async () => {
    const { client, clock } = await answeredClient();
    const run = await createRun(client, { project: 'hedge', entity: 'demo' });
    server.clearRequests();
    server.faults.add({ stall: true, count: 1, operationName: 'UpsertRun' });
    const updated = updateRun(client, run, { notes: 'hedged' });
    await until(() => clock.pending >= 3, 'the body read');
    clock.advance(100);
    expect((await updated).notes).toBe('hedged');
    expect(requestsFor(server, 'UpsertRun')).toHaveLength(2);
  });

  it('a delete whose hedge finds the run gone reports success', async () => {
    const { client, clock } = await answeredClient();
    const doomed = await createRun(client, { project: 'hedge', entity: 'demo' });
    server.faults.add({ stall: true, count: 1, operationName: 'DeleteRun' });
    const deleted = deleteRun(client, doomed);
    await until(() => clock.pending >= 3, 'the body read');
    clock.advance(100);
    await expect(deleted).resolves.toBeUndefined();
    // The hedge found the run gone (400): after an attempt that was processed, that is success.
    expect(requestsFor(server, 'DeleteRun').map((r) => r.status)).toEqual([200, 400]);
  });

  it('never for a write that creates something: it waits out the idle timeout and says it may have applied', async () => {
    const { client, clock } = await answeredClient();
    const queue = { entity: 'demo', name: 'default' };
    const before = (await runQueueItems(client, queue).toArray()).length;
    server.faults.add({ stall: true, count: 1, operationName: 'PushToRunQueueByName' });
    const pushed = pushToRunQueue(client, queue, { job: 'j' }).catch((e: unknown) => e);
    // Two timers only: no stall timer for an unsafe write.
    await until(() => clock.pending >= 2, 'the body read');
    clock.advance(100);
    expect(requestsFor(server, 'PushToRunQueueByName')).toHaveLength(1);
    clock.advance(900);
    expect(await pushed).toBeInstanceOf(WriteMayHaveAppliedError);
    expect((await runQueueItems(client, queue).toArray()).length).toBe(before + 1);
  });

  it('the caller’s abort ends both attempts: an AbortError, and nothing sent after it', async () => {
    const { client, clock } = await answeredClient();
    server.faults.add({ stall: true, count: 2, operationName: 'Runs' });
    const controller = new AbortController();
    const runs = client.request(RunsDocument, project, { signal: controller.signal }).catch((e: unknown) => e);
    await until(() => clock.pending >= 3, 'the body read');
    clock.advance(100);
    await until(() => requestsFor(server, 'Runs').length === 2, 'the hedge');
    controller.abort();
    expect(await runs).toBeInstanceOf(AbortError);
    clock.advance(5_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(requestsFor(server, 'Runs')).toHaveLength(2);
  });

  it('not before the server has answered once, nor when the retry budget cannot pay for it', async () => {
    for (const fresh of [true, false]) {
      const { client, clock } = fresh ? { clock: testClock(), client: undefined } : await answeredClient({ retryBudget: 4 });
      const used = client ?? testClient(server, { clock, idleTimeoutMs: 1000 });
      server.faults.add({ stall: true, count: 1, operationName: 'Runs' });
      const runs = used.request(RunsDocument, project).catch((e: unknown) => e);
      await until(() => clock.pending >= 2, 'the body read');
      clock.advance(999);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(requestsFor(server, 'Runs')).toHaveLength(1);
      clock.advance(1);
      // The idle timeout ends the stall; the retry (budget allowing) answers.
      const result = await runs;
      if (fresh) expect(result).toHaveProperty('project');
      else expect(result).toBeInstanceOf(TimeoutError);
      server.faults.clear();
    }
  });
});
