// Sweeps and agents through @wandb-api/runs against the local server (demo seed: demo/mnist-classifier
// has sweep k3x9q2ab (bayes, minimize loss, 30 runs, agents agent-a1/agent-b2) and p7m2v4cd (grid,
// maximize accuracy, 6 runs, agent-c3)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, BadRequestError, NotFoundError, ServerError, UnsupportedError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  agentRuns,
  bestRun,
  formatOrderKey,
  getAgent,
  getSweep,
  listAgents,
  listSweeps,
  sweepRuns,
} from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'demo/mnist-classifier';

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());

describe('getSweep', () => {
  it('loads a sweep by every path form, with its YAML config decoded', async () => {
    const forms = [
      `${P}/sweeps/k3x9q2ab`,
      `${P}/k3x9q2ab`,
      `${P}:k3x9q2ab`,
      'mnist-classifier/k3x9q2ab', // entity: the viewer's default
      `${server.url}/${P}/sweeps/k3x9q2ab`,
      `https://wandb.ai/${P}/sweeps/k3x9q2ab/overview`,
    ];
    for (const form of forms) {
      const sweep = await getSweep(client, form);
      expect(sweep.id, form).toBe('k3x9q2ab');
      expect(sweep.path).toEqual(['demo', 'mnist-classifier', 'k3x9q2ab']);
    }
    const byProjectDefault = await getSweep(testClient(server, { project: 'mnist-classifier' }), 'k3x9q2ab');
    expect(byProjectDefault.id).toBe('k3x9q2ab');
    const byObject = await getSweep(client, { entity: 'demo', project: 'mnist-classifier', id: 'p7m2v4cd' });
    expect(byObject.id).toBe('p7m2v4cd');

    const sweep = await getSweep(client, `${P}/sweeps/k3x9q2ab`);
    expect(sweep).toMatchObject({
      entity: 'demo',
      project: 'mnist-classifier',
      name: 'mnist-lr-search',
      displayName: 'mnist-lr-search',
      method: 'bayes',
      state: 'RUNNING',
      description: 'Bayesian search over lr, batch size and optimizer',
      bestLoss: 0.05117,
      runCount: 30,
      expectedRunCount: null,
      order: '+summary_metrics.loss',
      createdAt: '2025-01-08T09:00:00',
    });
    expect(sweep.config).toEqual({
      name: 'mnist-lr-search',
      method: 'bayes',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: {
        lr: { distribution: 'log_uniform_values', min: 1e-5, max: 0.01 },
        batch_size: { values: [16, 32, 64, 128] },
        optimizer: { values: ['adam', 'sgd', 'adamw'] },
      },
      early_terminate: { type: 'hyperband', min_iter: 3 },
      program: 'train.py',
    });
    expect(sweep.rawConfig).toContain('method: bayes');
    expect(sweep.url).toBe(`${client.config.appUrl}demo/mnist-classifier/sweeps/k3x9q2ab`);
    expect(sweep.storageId).toBe(Buffer.from('Sweep:1').toString('base64'));
  });

  it('names a sweep without a display name by config.name, else by its id; grid expects a run count', async () => {
    const grid = await getSweep(client, `${P}/p7m2v4cd`);
    expect(grid).toMatchObject({ name: 'p7m2v4cd', displayName: null, method: 'grid', state: 'FINISHED', expectedRunCount: 6, runCount: 6 });
    expect(grid.order).toBe('-summary_metrics.accuracy');
  });

  it('throws NotFoundError for a missing sweep or project', async () => {
    await expect(getSweep(client, `${P}/nosuch`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getSweep(client, 'demo/no-project/k3x9q2ab')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("falls back to the legacy field set only on an older server's schema error", async () => {
    server.clearRequests();
    // What W&B answers a document with a field its schema lacks.
    server.faults.add({ operationName: 'GetSweep', status: 400, count: 1, message: 'Cannot query field "runCountExpected" on type "Sweep".' });
    const sweep = await getSweep(client, `${P}/k3x9q2ab`);
    expect(requestsFor(server, 'GetSweep')).toHaveLength(1);
    expect(requestsFor(server, 'GetSweepLegacy')).toHaveLength(1);
    expect(sweep).toMatchObject({ id: 'k3x9q2ab', state: 'RUNNING', bestLoss: 0.05117, method: null, runCount: null, displayName: null, createdAt: null });
    // Without displayName the name comes from config.name.
    expect(sweep.name).toBe('mnist-lr-search');
    expect(sweep.order).toBe('+summary_metrics.loss');
  });

  it('throws any other failure as it is, without the legacy query: 5xx after retries, a plain 400, an abort', async () => {
    server.clearRequests();
    const oneRetry = testClient(server, { maxRetries: 1 });
    server.faults.add({ operationName: 'GetSweep', status: 500, count: 2 });
    await expect(getSweep(oneRetry, `${P}/k3x9q2ab`)).rejects.toBeInstanceOf(ServerError);
    server.faults.add({ operationName: 'GetSweep', status: 400, count: 1 });
    await expect(getSweep(client, `${P}/k3x9q2ab`)).rejects.toBeInstanceOf(BadRequestError);
    expect(requestsFor(server, 'GetSweep')).toHaveLength(3);
    server.faults.add({ operationName: 'GetSweep', latencyMs: 200, count: 1 });
    await expect(getSweep(client, `${P}/k3x9q2ab`, { signal: AbortSignal.timeout(50) })).rejects.toBeInstanceOf(AbortError);
    server.faults.clear();
    expect(requestsFor(server, 'GetSweepLegacy')).toHaveLength(0);
  });

  it('refuses malformed paths before any request', async () => {
    server.clearRequests();
    await expect(getSweep(client, 'a/b/c/d/e')).rejects.toBeInstanceOf(ValidationError);
    await expect(getSweep(client, 'demo/mnist-classifier/runs/k3x9q2ab')).rejects.toBeInstanceOf(ValidationError);
    await expect(getSweep(testClient(server), 'k3x9q2ab')).rejects.toBeInstanceOf(ValidationError); // no project
    await expect(listAgents(client, '')).rejects.toBeInstanceOf(ValidationError);
    await expect(getAgent(client, `${P}/k3x9q2ab`, ' ')).rejects.toBeInstanceOf(ValidationError);
    expect(() => listSweeps(client, P, { perPage: 0 })).toThrow(ValidationError);
    expect(() => listSweeps(client, P, { filters: [] as unknown as Record<string, unknown> })).toThrow(ValidationError);
    expect(() => listSweeps(client, 'a/b/c')).toThrow(ValidationError);
    expect(() => agentRuns(client, { entity: 'demo', project: 'mnist-classifier', sweepId: 'k3x9q2ab', name: '' })).toThrow(ValidationError);
    await expect(bestRun(client, `${P}/k3x9q2ab`, { order: '' })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
  });
});

describe('listSweeps', () => {
  it('pages newest first from the page nodes alone, and counts totalSweeps', async () => {
    server.clearRequests();
    const list = listSweeps(client, P, { perPage: 1 });
    const sweeps = await list.toArray();
    expect(sweeps.map((s) => s.id)).toEqual(['p7m2v4cd', 'k3x9q2ab']);
    expect(sweeps[1]).toMatchObject({ method: 'bayes', runCount: 30, config: { metric: { name: 'loss', goal: 'minimize' } } });
    expect(requestsFor(server, 'GetSweepsUnfiltered')).toHaveLength(2);
    // No per-sweep refetch (Python sends one GetSweep per sweep) and no feature probe without filters.
    expect(requestsFor(server, 'GetSweep')).toHaveLength(0);
    expect(requestsFor(server, 'ServerFeatures')).toHaveLength(0);
    expect(await list.count()).toBe(2);
    expect(await listSweeps(client, 'demo/empty-project').toArray()).toEqual([]);
    await expect(listSweeps(client, 'demo/no-project').toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('filters on a server with SWEEPS_QUERY_FILTERING; count() stays the project total', async () => {
    server.clearRequests();
    const finished = listSweeps(client, P, { filters: { state: 'FINISHED' } });
    expect((await finished.toArray()).map((s) => s.id)).toEqual(['p7m2v4cd']);
    expect(requestsFor(server, 'GetSweeps')).toHaveLength(1);
    expect(await finished.count()).toBe(2);
    const byName = await listSweeps(client, P, { filters: { $or: [{ name: 'k3x9q2ab' }, { displayName: { $regex: '^grid' } }] } }).toArray();
    expect(byName.map((s) => s.id)).toEqual(['k3x9q2ab']);
  });

  it('throws UnsupportedError for filters on a server without the feature, and lists without them', async () => {
    const old = await startTestServer({ features: { SWEEPS_QUERY_FILTERING: false } });
    try {
      const project = old.store.createProject({ entity: old.entity, name: 'p' });
      old.store.sweeps.insert({ projectId: Number(project.internalId), name: 'old1', method: 'random', config: 'method: random\n' });
      const oldClient = testClient(old);
      await expect(listSweeps(oldClient, `${old.entity}/p`, { filters: { state: 'RUNNING' } }).toArray()).rejects.toBeInstanceOf(UnsupportedError);
      expect(requestsFor(old, 'ServerFeatures')).toHaveLength(1);
      expect(requestsFor(old, 'GetSweeps')).toHaveLength(0);
      expect((await listSweeps(oldClient, `${old.entity}/p`, { filters: {} }).toArray()).map((s) => s.id)).toEqual(['old1']);
    } finally {
      await old.stop();
    }
  });
});

describe('listSweeps and the feature probe', () => {
  it('an abort during the probe is an AbortError (not "unsupported"); a 5xx is a ServerError; neither is cached', async () => {
    const fresh = testClient(server, { maxRetries: 1 });
    const filters = { state: 'FINISHED' };
    server.faults.add({ operationName: 'ServerFeatures', latencyMs: 300, count: 1 });
    await expect(listSweeps(fresh, P, { filters, signal: AbortSignal.timeout(50) }).toArray()).rejects.toBeInstanceOf(AbortError);
    server.faults.add({ operationName: 'ServerFeatures', status: 500, count: 2 });
    await expect(listSweeps(fresh, P, { filters }).toArray()).rejects.toBeInstanceOf(ServerError);
    expect((await listSweeps(fresh, P, { filters }).toArray()).map((s) => s.id)).toEqual(['p7m2v4cd']);
  });
});

describe('sweep runs and bestRun', () => {
  it('lists only the sweep runs', async () => {
    const runs = await sweepRuns(client, `${P}/k3x9q2ab`).toArray();
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((r) => r.sweepName))).toEqual(new Set(['k3x9q2ab']));
    expect(await sweepRuns(client, `${P}/k3x9q2ab`).count()).toBe(30);
    const crashed = await sweepRuns(client, { entity: 'demo', project: 'mnist-classifier', id: 'k3x9q2ab' }, { filters: { state: 'crashed' } }).toArray();
    expect(crashed.every((r) => r.state === 'crashed' && r.sweepName === 'k3x9q2ab')).toBe(true);
  });

  it('ranks by the sweep metric goal: minimize loss, maximize accuracy', async () => {
    const bayes = await getSweep(client, `${P}/k3x9q2ab`);
    const all = await sweepRuns(client, bayes, { full: true }).toArray();
    const minLoss = Math.min(...all.map((r) => r.summary.loss as number));
    const best = await bestRun(client, bayes);
    expect(best?.summary.loss).toBe(minLoss);
    expect(best?.sweepName).toBe('k3x9q2ab');

    const gridRuns = await sweepRuns(client, `${P}/p7m2v4cd`, { full: true }).toArray();
    const maxAcc = Math.max(...gridRuns.map((r) => r.summary.accuracy as number));
    // From a path: the sweep is loaded first to learn its metric.
    expect((await bestRun(client, `${P}/p7m2v4cd`))?.summary.accuracy).toBe(maxAcc);
    // An explicit order goes through formatOrderKey (default sign '-').
    const lowestAcc = Math.min(...gridRuns.map((r) => r.summary.accuracy as number));
    expect((await bestRun(client, `${P}/p7m2v4cd`, { order: '+accuracy' }))?.summary.accuracy).toBe(lowestAcc);
    expect((await bestRun(client, `${P}/p7m2v4cd`, { order: 'accuracy' }))?.summary.accuracy).toBe(maxAcc);
  });

  it('without a metric returns the most recent run (Python prints "most recent" but returns the oldest); null without runs', async () => {
    const project = server.store.createProject({ entity: 'demo', name: 'no-metric' });
    const projectId = Number(project.internalId);
    server.store.sweeps.insert({ projectId, name: 'nometric', method: 'random', config: 'method: random\nparameters:\n  lr:\n    values: [0.1, 0.2]\n' });
    server.store.sweeps.insert({ projectId, name: 'empty', method: 'random', config: 'method: random\n' });
    for (const [name, day] of [['old', 1], ['newest', 3], ['mid', 2]] as const) {
      server.store.createRun({ entity: 'demo', project: 'no-metric', name, sweep: 'nometric', createdAt: `2026-02-0${day}T00:00:00Z` });
    }
    const sweep = await getSweep(client, 'demo/no-metric/nometric');
    expect(sweep.order).toBeNull();
    expect((await bestRun(client, sweep))?.id).toBe('newest');
    expect(await bestRun(client, 'demo/no-metric/empty')).toBeNull();
  });

  it('formatOrderKey follows Python, keeping run fields as they are', () => {
    expect(formatOrderKey('loss')).toBe('-summary_metrics.loss');
    expect(formatOrderKey('+loss')).toBe('+summary_metrics.loss');
    expect(formatOrderKey('-config.lr')).toBe('-config.lr');
    expect(formatOrderKey('val.loss')).toBe('-summary_metrics.val.loss');
    expect(formatOrderKey('+created_at')).toBe('+created_at');
  });
});

describe('agents', () => {
  it('lists the agents of a sweep and gets one by name or id', async () => {
    const agents = await listAgents(client, `${P}/k3x9q2ab`);
    expect(agents.map((a) => [a.name, a.host, a.state])).toEqual([
      ['agent-a1', 'gpu-node-01', 'RUNNING'],
      ['agent-b2', 'gpu-node-02', 'FINISHED'],
    ]);
    expect(agents.reduce((n, a) => n + a.totalRuns, 0)).toBe(30);
    const a1 = await getAgent(client, `${P}/k3x9q2ab`, 'agent-a1');
    expect(a1).toEqual(agents[0]);
    expect(a1).toMatchObject({ entity: 'demo', project: 'mnist-classifier', sweepId: 'k3x9q2ab' });
    expect(await getAgent(client, `${P}/k3x9q2ab`, a1.id)).toEqual(a1);
    await expect(getAgent(client, `${P}/k3x9q2ab`, 'agent-c3')).rejects.toBeInstanceOf(NotFoundError);
    await expect(listAgents(client, `${P}/nosuch`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages an agent's runs on the last edge cursor; count() is totalRuns", async () => {
    const a1 = await getAgent(client, `${P}/k3x9q2ab`, 'agent-a1');
    server.clearRequests();
    const list = agentRuns(client, a1, { perPage: 4 });
    const runs = await list.toArray();
    expect(runs).toHaveLength(a1.totalRuns);
    expect(requestsFor(server, 'GetAgentRuns')).toHaveLength(Math.ceil(a1.totalRuns / 4));
    expect(new Set(runs.map((r) => r.sweepName))).toEqual(new Set(['k3x9q2ab']));
    expect(await list.count()).toBe(a1.totalRuns);
    const c3 = await getAgent(client, `${P}/p7m2v4cd`, 'agent-c3');
    expect((await agentRuns(client, c3).toArray()).map((r) => r.sweepName)).toEqual(Array(6).fill('p7m2v4cd'));
  });
});
