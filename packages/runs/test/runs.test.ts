// Projects and runs through @wandb-api/runs against the local server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, WandbClient } from '@wandb-api/core';
import { createProject, createRun, getProject, getRun, listProjects, listRuns } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;

// A small fixture project whose runs are known exactly, for filter and order assertions.
const FIXTURE = [
  { name: 'r1', displayName: 'alpha', config: { lr: 0.1, batch: 32, opt: { name: 'adam' } }, summary: { loss: 0.5, acc: 0.8 }, tags: ['baseline'], group: 'g1', jobType: 'train', state: 'finished', host: 'h1', createdAt: '2026-01-01T00:00:00Z' },
  { name: 'r2', displayName: 'beta', config: { lr: 0.01, batch: 64, opt: { name: 'sgd' } }, summary: { loss: 0.3, acc: 0.9 }, tags: ['baseline', 'best'], group: 'g1', jobType: 'eval', state: 'finished', host: 'h2', createdAt: '2026-01-02T00:00:00Z' },
  { name: 'r3', displayName: 'gamma', config: { lr: 0.001, batch: 32, opt: { name: 'adam' } }, summary: { loss: 0.9 }, tags: [], group: 'g2', jobType: 'train', state: 'crashed', host: 'h1', createdAt: '2026-01-03T00:00:00Z' },
  { name: 'r4', displayName: 'delta', config: { lr: 0.05, batch: 128 }, summary: { loss: 0.7, acc: 0.6 }, tags: ['best'], group: 'g2', jobType: 'train', state: 'running', host: 'h3', createdAt: '2026-01-04T00:00:00Z' },
];

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
  server.store.createProject({ entity: server.entity, name: 'fixture' });
  for (const run of FIXTURE) server.store.createRun({ entity: server.entity, project: 'fixture', ...run });
});
afterAll(() => server.stop());

const ids = async (filters: Record<string, unknown>, order?: string) =>
  (await listRuns(client, `${server.entity}/fixture`, { filters, ...(order ? { order } : {}) }).toArray()).map((r) => r.id);

describe('projects', () => {
  it('lists the viewer entity projects when none is named, and a named entity otherwise', async () => {
    const mine = (await listProjects(client).toArray()).map((p) => p.name);
    expect(mine).toEqual(expect.arrayContaining(['mnist-classifier', 'llm-finetune', 'empty-project', 'fixture']));
    const team = (await listProjects(client, 'vision-team').toArray()).map((p) => p.name);
    expect(team).toEqual(['segmentation']);
  });

  it('pages with perPage', async () => {
    const list = listProjects(client, server.entity, { perPage: 2 });
    const first = await list;
    expect(first.items).toHaveLength(2);
    expect(first.hasNextPage).toBe(true);
    expect((await list.toArray()).length).toBeGreaterThanOrEqual(4);
  });

  it('gets one project with its fields', async () => {
    const project = await getProject(client, `${server.entity}/mnist-classifier`);
    expect(project).toMatchObject({ name: 'mnist-classifier', entity: server.entity, path: [server.entity, 'mnist-classifier'] });
    expect(project.url).toBe(`${server.url}/${server.entity}/mnist-classifier/workspace`);
  });

  it('a missing project is a NotFoundError', async () => {
    await expect(getProject(client, `${server.entity}/nope`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listRuns(client, `${server.entity}/nope`).toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates a project once and returns the same one again', async () => {
    const created = await createProject(client, { name: 'created-here', description: 'made by a test' });
    expect(created).toMatchObject({ name: 'created-here', entity: server.entity, description: 'made by a test' });
    const again = await createProject(client, { name: 'created-here' });
    expect(again.id).toBe(created.id);
    await expect(createProject(client, { name: 'bad name!' })).rejects.toBeInstanceOf(ValidationError);
  });

  it("another user's private project is invisible", async () => {
    await expect(getProject(client, 'bob/bob-secret')).resolves.toBeTruthy(); // demo is an admin
    const outsider = server.store.createUser({ username: 'erin' });
    const stranger = testClient({ url: server.url, apiKey: outsider.apiKey });
    await expect(getProject(stranger, 'bob/bob-secret')).rejects.toBeInstanceOf(NotFoundError);
    expect((await listProjects(stranger, 'bob').toArray()).map((p) => p.name)).not.toContain('bob-secret');
  });
});

describe('runs: filters and orders', () => {
  it.each([
    [{}, ['r1', 'r2', 'r3', 'r4']],
    [{ 'config.lr': 0.1 }, ['r1']],
    [{ 'config.lr.value': { $lt: 0.02 } }, ['r2', 'r3']],
    [{ 'config.batch': { $in: [64, 128] } }, ['r2', 'r4']],
    [{ 'config.batch': { $nin: [32] } }, ['r2', 'r4']],
    [{ 'config.opt.name': 'adam' }, ['r1', 'r3']],
    [{ 'config.opt': { $exists: false } }, ['r4']],
    [{ 'summary_metrics.acc': { $gte: 0.8 } }, ['r1', 'r2']],
    [{ 'summary_metrics.acc': { $exists: false } }, ['r3']],
    [{ 'summary_metrics.loss': { $gt: 0.4, $lte: 0.7 } }, ['r1', 'r4']],
    [{ tags: 'best' }, ['r2', 'r4']],
    [{ tags: { $in: ['baseline'] } }, ['r1', 'r2']],
    [{ state: { $ne: 'finished' } }, ['r3', 'r4']],
    [{ displayName: { $regex: '^(al|ga)' } }, ['r1', 'r3']],
    [{ display_name: 'delta' }, ['r4']],
    [{ name: { $eq: 'r2' } }, ['r2']],
    [{ group: 'g2', jobType: 'train' }, ['r3', 'r4']],
    [{ host: 'h1' }, ['r1', 'r3']],
    [{ createdAt: { $gte: '2026-01-03T00:00:00Z' } }, ['r3', 'r4']],
    [{ $or: [{ 'config.lr': 0.1 }, { state: 'running' }] }, ['r1', 'r4']],
    [{ $and: [{ jobType: 'train' }, { $nor: [{ state: 'crashed' }] }] }, ['r1', 'r4']],
    [{ username: 'demo' }, ['r1', 'r2', 'r3', 'r4']], // the demo seed's user
  ])('filter %j', async (filters, expected) => {
    expect(await ids(filters)).toEqual(expected);
  });

  it.each([
    ['+created_at', ['r1', 'r2', 'r3', 'r4']],
    ['-created_at', ['r4', 'r3', 'r2', 'r1']],
    ['-createdAt', ['r4', 'r3', 'r2', 'r1']],
    ['+name', ['r1', 'r2', 'r3', 'r4']],
    ['+config.lr.value', ['r3', 'r2', 'r4', 'r1']],
    ['-summary_metrics.loss', ['r3', 'r4', 'r1', 'r2']],
    ['-summary_metrics.acc', ['r2', 'r1', 'r4', 'r3']],
  ])('order %s', async (order, expected) => {
    expect(await ids({}, order)).toEqual(expected);
  });

  it('orders and filters by metric names holding "/" (val/loss)', async () => {
    for (const [name, value] of [['s1', 0.3], ['s2', 0.1], ['s3', 0.2]] as const) {
      server.store.createRun({ entity: server.entity, project: 'slashes', name, summary: { 'val/loss': value } });
    }
    const path = `${server.entity}/slashes`;
    expect((await listRuns(client, path, { order: '+summary_metrics.val/loss' }).toArray()).map((r) => r.id)).toEqual(['s2', 's3', 's1']);
    expect((await listRuns(client, path, { filters: { 'summary_metrics.val/loss': { $lt: 0.25 } } }).toArray()).map((r) => r.id)).toEqual(['s2', 's3']);
  });

  it('counts with the filters, without loading pages', async () => {
    server.requests.length = 0;
    const runs = listRuns(client, `${server.entity}/fixture`, { filters: { tags: 'best' } });
    expect(await runs.count()).toBe(2);
    expect(requestsFor(server, 'Runs')).toHaveLength(0);
    expect(requestsFor(server, 'RunCount')).toHaveLength(1);
  });

  it('rejects bad arguments before any request', () => {
    expect(() => listRuns(client, 'a/b/c')).toThrow(ValidationError);
    expect(() => listRuns(client, 'e/p', { perPage: 0 })).toThrow(ValidationError);
    expect(() => listRuns(client, 'e/p', { order: 'name; drop table runs' })).toThrow(ValidationError);
    expect(() => listRuns(client, 'e/p', { filters: [] as unknown as Record<string, unknown> })).toThrow(ValidationError);
  });
});

describe('runs: decoding', () => {
  it('light runs carry no config; full runs carry decoded config and summary', async () => {
    const [light] = await listRuns(client, `${server.entity}/fixture`, { filters: { name: 'r1' } }).toArray();
    expect(light).toMatchObject({ id: 'r1', name: 'alpha', displayName: 'alpha', state: 'finished', tags: ['baseline'], group: 'g1', jobType: 'train', host: 'h1' });
    expect(light).not.toHaveProperty('config');
    const [full] = await listRuns(client, `${server.entity}/fixture`, { filters: { name: 'r1' }, full: true }).toArray();
    expect(full?.config).toEqual({ lr: 0.1, batch: 32, opt: { name: 'adam' } });
    expect(full?.summary).toMatchObject({ loss: 0.5, acc: 0.8 });
    expect(full?.storageId).toBeTruthy();
    expect(full?.path).toEqual([server.entity, 'fixture', 'r1']);
    expect(full?.url).toBe(`${server.url}/${server.entity}/fixture/runs/r1`);
    expect(full?.user?.username).toBe(server.username);
  });

  it('gets one run by every path form', async () => {
    for (const path of [`${server.entity}/fixture/runs/r2`, `${server.entity}/fixture/r2`, `${server.entity}/fixture:r2`, `${server.url}/${server.entity}/fixture/runs/r2`]) {
      const run = await getRun(client, path);
      expect(run).toMatchObject({ id: 'r2', name: 'beta', config: { lr: 0.01, batch: 64, opt: { name: 'sgd' } } });
    }
    const scoped = testClient(server, { entity: server.entity, project: 'fixture' });
    expect((await getRun(scoped, 'r3')).name).toBe('gamma');
    await expect(getRun(client, `${server.entity}/fixture/nope`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getRun(client, 'a/b/c/d/e')).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps NaN and Infinity in summaries as numbers, and hides _wandb from config', async () => {
    server.store.createRun({ entity: server.entity, project: 'fixture-nan', name: 'nan1', config: { lr: 1, _wandb: { cli_version: 'x' } }, summary: { loss: Number.NaN, best: Number.POSITIVE_INFINITY } });
    const run = await getRun(client, `${server.entity}/fixture-nan/nan1`);
    expect(run.summary.loss).toBeNaN();
    expect(run.summary.best).toBe(Number.POSITIVE_INFINITY);
    expect(run.config).toEqual({ lr: 1 });
    expect(run.rawConfig._wandb).toEqual({ cli_version: 'x' });
  });

  it('creates a run', async () => {
    const run = await createRun(client, { project: 'created-runs' });
    expect(run.id).toMatch(/^[a-z0-9]{8}$/);
    expect(run.state).toBe('running');
    expect(run.project).toBe('created-runs');
    expect((await getRun(client, `${server.entity}/created-runs/${run.id}`)).storageId).toBe(run.storageId);
    const named = await createRun(client, { project: 'created-runs', runId: 'my-run', state: 'pending' });
    expect(named).toMatchObject({ id: 'my-run', state: 'pending' });
    await expect(createRun(client, { runId: 'bad id!' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('runs: paging', () => {
  it('pages 1,000 runs at 50 a page while runs are inserted: every original run exactly once', async () => {
    const project = 'paging';
    for (let i = 0; i < 1000; i++) {
      server.store.createRun({ entity: server.entity, project, name: `p${String(i).padStart(4, '0')}`, createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
    }
    for (const order of ['+created_at', '-created_at']) {
      const seen: string[] = [];
      let inserted = 0;
      for await (const page of listRuns(client, `${server.entity}/${project}`, { perPage: 50, order }).pages()) {
        seen.push(...page.map((r) => r.id));
        // New runs land before and after the cursor, in both orders.
        server.store.createRun({ entity: server.entity, project, name: `new-${order}-${inserted++}`, createdAt: new Date(Date.UTC(2025, 0, 1) + inserted).toISOString() });
        server.store.createRun({ entity: server.entity, project, name: `late-${order}-${inserted++}`, createdAt: new Date(Date.UTC(2027, 0, 1) + inserted).toISOString() });
      }
      const originals = seen.filter((id) => id.startsWith('p'));
      expect(originals).toHaveLength(1000);
      expect(new Set(originals).size).toBe(1000);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('maps after de-duplication: runs that share a name all stay', async () => {
    for (const name of ['t1', 't2']) server.store.createRun({ entity: server.entity, project: 'twins', name, displayName: 'same' });
    expect(await listRuns(client, `${server.entity}/twins`).map((run) => run.name).toArray()).toEqual(['same', 'same']);
  });

  it('toArray({ limit }) asks for no page beyond the limit; every iteration is a fresh listing', async () => {
    for (let i = 0; i < 12; i++) server.store.createRun({ entity: server.entity, project: 'limits', name: `l${i}` });
    server.clearRequests();
    const list = listRuns(client, `${server.entity}/limits`, { perPage: 5 });
    expect(await list.toArray({ limit: 5 })).toHaveLength(5);
    expect(requestsFor(server, 'Runs')).toHaveLength(1);
    expect(await list.toArray()).toHaveLength(12);
    expect(await list.toArray()).toHaveLength(12);
    expect(requestsFor(server, 'Runs')).toHaveLength(7);
  });

  it('restarting the server on the same data directory keeps the data and the key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wandb-api-data-'));
    const first = await startTestServer({ memory: false, dataDir, seed: 'empty' });
    const firstClient = testClient(first);
    await createProject(firstClient, { name: 'kept' });
    const run = await createRun(firstClient, { project: 'kept', runId: 'survivor' });
    await first.stop();
    const second = await startTestServer({ memory: false, dataDir, seed: 'empty' });
    try {
      expect(second.apiKey).toBe(first.apiKey);
      const again = await getRun(testClient(second), `${second.entity}/kept/survivor`);
      expect(again.storageId).toBe(run.storageId);
    } finally {
      await second.stop();
    }
  });
});
