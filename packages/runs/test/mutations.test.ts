// Run writes (updateRun, deleteRun, updateRunState, stopRun) and waitUntilFinished against the local server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, BadRequestError, NotFoundError, TimeoutError, ValidationError, type WandbClient } from '@wandb-api/core';
import { deleteRun, getRun, stopRun, updateRun, updateRunState, waitUntilFinished } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'mutations';
const path = (name: string) => `${server.entity}/${P}/${name}`;

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  server.store.createProject({ entity: server.entity, name: P });
});
afterAll(() => server.stop());

let seq = 0;
function makeRun(fields: Record<string, unknown> = {}): string {
  const name = `run${seq++}`;
  server.store.createRun({ entity: server.entity, project: P, name, ...fields });
  return name;
}

describe('updateRun', () => {
  it('changes fields and nested config, keeps _wandb, and a re-read sees them', async () => {
    const name = makeRun({ config: { lr: 0.1, _wandb: { cli_version: '0.19.0' } }, tags: ['old'], summary: { loss: 1 } });
    const before = await getRun(client, path(name));
    server.clearRequests();
    const returned = await updateRun(client, before, {
      displayName: 'renamed',
      tags: ['best', 'v2'],
      notes: 'some notes',
      description: 'desc',
      group: 'g',
      jobType: 'train',
      config: { lr: 0.01, opt: { name: 'adam', betas: [0.9, 0.999] } },
    });
    // A loaded run needs no lookup, and without `summary` there is one mutation only.
    expect(requestsFor(server, 'Run')).toHaveLength(0);
    expect(requestsFor(server, 'UpsertRun')).toHaveLength(1);
    const after = await getRun(client, path(name));
    for (const run of [returned, after]) {
      expect(run).toMatchObject({ displayName: 'renamed', tags: ['best', 'v2'], notes: 'some notes', description: 'desc', group: 'g', jobType: 'train' });
      expect(run.config).toEqual({ lr: 0.01, opt: { name: 'adam', betas: [0.9, 0.999] } });
      expect(run.rawConfig._wandb).toEqual({ cli_version: '0.19.0' });
      expect(run.summary).toEqual({ loss: 1 });
    }
  });

  it('replaces the whole summary (Python semantics), keeping NaN and Infinity', async () => {
    const name = makeRun({ summary: { loss: 0.5, acc: 0.9, nested: { a: 1, b: 2 } } });
    server.clearRequests();
    const run = await updateRun(client, path(name), { summary: { loss: Number.NaN, best: Number.POSITIVE_INFINITY, nested: { a: 3 } } });
    expect(requestsFor(server, 'Run')).toHaveLength(1); // a path costs one lookup for the storage id
    expect(requestsFor(server, 'UpsertRun')).toHaveLength(1);
    const after = await getRun(client, path(name));
    for (const r of [run, after]) {
      // `acc` is gone and `nested` was replaced wholesale, not merged.
      expect(Object.keys(r.summary).sort()).toEqual(['best', 'loss', 'nested']);
      expect(r.summary.loss).toBeNaN();
      expect(r.summary.best).toBe(Number.POSITIVE_INFINITY);
      expect(r.summary.nested).toEqual({ a: 3 });
    }
  });

  it('sends fields and summary as two mutations', async () => {
    const name = makeRun({ summary: { x: 1 } });
    const run = await getRun(client, path(name));
    server.clearRequests();
    const updated = await updateRun(client, run, { tags: ['t'], summary: { ...run.summary, y: 2 } });
    expect(requestsFor(server, 'UpsertRun')).toHaveLength(2);
    expect(updated.tags).toEqual(['t']);
    expect(updated.summary).toEqual({ x: 1, y: 2 });
  });

  it('refuses bad changes before any request', async () => {
    const name = makeRun();
    server.clearRequests();
    await expect(updateRun(client, path(name), { name: 'x' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, path(name), { tags: 'best' } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, path(name), { tags: [''] })).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, path(name), { notes: 3 } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, path(name), { config: [1] } as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, path(name), { summary: { n: 1n } })).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRun(client, 'a/b/c/d', { notes: 'x' })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('deleteRun', () => {
  it('deletes a run, after which getRun is a NotFoundError', async () => {
    const name = makeRun({ history: [{ loss: 1 }, { loss: 0.5 }] });
    await deleteRun(client, path(name));
    await expect(getRun(client, path(name))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepts deleteArtifacts and refuses a non-boolean before any request', async () => {
    const name = makeRun();
    const run = await getRun(client, path(name));
    server.clearRequests();
    await expect(deleteRun(client, run, { deleteArtifacts: 'yes' as never })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
    await deleteRun(client, run, { deleteArtifacts: true });
    expect(requestsFor(server, 'DeleteRun')).toHaveLength(1);
    await expect(getRun(client, path(name))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('updateRunState', () => {
  it('allows the transitions W&B allows and refuses the others', async () => {
    const running = makeRun({ state: 'running' });
    expect(await updateRunState(client, path(running), 'failed')).toBe(true);
    expect((await getRun(client, path(running))).state).toBe('failed');
    expect(await updateRunState(client, path(running), 'pending')).toBe(true);
    expect((await getRun(client, path(running))).state).toBe('pending');

    const finished = makeRun({ state: 'finished' });
    expect(await updateRunState(client, path(finished), 'pending')).toBe(false);
    expect(await updateRunState(client, path(finished), 'failed')).toBe(false);
    expect((await getRun(client, path(finished))).state).toBe('finished');

    const swept = makeRun({ state: 'running', sweep: 'sw1' });
    expect(await updateRunState(client, path(swept), 'failed')).toBe(false);
  });

  it("maps only the server's refused-transition error to false; other errors still throw", async () => {
    server.clearRequests();
    const finished = makeRun({ state: 'finished' });
    expect(await updateRunState(client, path(finished), 'pending')).toBe(false);
    // W&B answers the refusal with a GraphQL error, not success: false.
    expect(server.requests.filter((r) => r.operationName === 'UpdateRunState').map((r) => r.status)).toEqual([400]);
    const ghost = { entity: server.entity, project: P, id: 'ghost', storageId: Buffer.from(`Run:v1:ghost:${P}:${server.entity}`).toString('base64') };
    await expect(updateRunState(client, ghost, 'failed')).rejects.toBeInstanceOf(BadRequestError);
  });

  it('refuses other target states before any request', async () => {
    server.clearRequests();
    await expect(updateRunState(client, path('any'), 'finished' as never)).rejects.toBeInstanceOf(ValidationError);
    await expect(updateRunState(client, path('any'), 'running' as never)).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('stopRun', () => {
  it('sets the shouldStop flag and leaves the state to the run', async () => {
    const name = makeRun({ state: 'running' });
    expect(await stopRun(client, path(name))).toBe(true);
    const run = server.store.runs.byName(server.store.projects.byName(server.store.entities.byName(server.entity)!.id, P)!.id, name)!;
    expect(run.should_stop).toBe(1);
    expect(run.state).toBe('running');
  });
});

describe('waitUntilFinished', () => {
  const setState = (name: string, state: string) => {
    const project = server.store.projects.byName(server.store.entities.byName(server.entity)!.id, P)!;
    server.store.runLifecycle.setState(server.store.runs.byName(project.id, name)!.id, state);
  };

  it.each(['killed', 'preempted', 'finished'])('returns once the run is %s (Python never returns for killed/preempted)', async (state) => {
    const name = makeRun({ state: 'running' });
    server.clearRequests();
    const waiting = waitUntilFinished(client, path(name), { pollMs: 50 });
    // Flip the state only after the waiter has polled a few times.
    while (requestsFor(server, 'RunState').length < 3) await new Promise((r) => setTimeout(r, 10));
    setState(name, state);
    expect(await waiting).toBe(state);
  });

  it('returns at once for a run already terminal', async () => {
    const name = makeRun({ state: 'crashed' });
    server.clearRequests();
    expect(await waitUntilFinished(client, path(name), { pollMs: 50 })).toBe('crashed');
    expect(requestsFor(server, 'RunState')).toHaveLength(1);
  });

  it('honours an AbortSignal', async () => {
    const name = makeRun({ state: 'running' });
    const controller = new AbortController();
    const waiting = waitUntilFinished(client, path(name), { pollMs: 50, signal: controller.signal });
    setTimeout(() => controller.abort(), 120);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });

  it('gives up with a TimeoutError after timeoutMs', async () => {
    const name = makeRun({ state: 'running' });
    const error = await waitUntilFinished(client, path(name), { pollMs: 50, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('a missing run is a NotFoundError; bad options are refused before any request', async () => {
    await expect(waitUntilFinished(client, path('missing'), { pollMs: 10 })).rejects.toBeInstanceOf(NotFoundError);
    server.clearRequests();
    await expect(waitUntilFinished(client, path('x'), { pollMs: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(waitUntilFinished(client, path('x'), { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});
