// The facade: each method delegates to the subpackage functions with Python's names and defaults.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Api, NotFoundError, Run, Sweep, ValidationError } from 'wandb-api';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer } from '../../../test/support.js';

let server: LocalServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api({ baseUrl: server.url, apiKey: server.apiKey, env: { NETRC: '/nonexistent/netrc' } });
});
afterAll(() => server.stop());

describe('Api', () => {
  it('exposes the key, user agent, viewer and default entity', async () => {
    expect(api.apiKey).toBe(server.apiKey);
    expect(api.userAgent).toMatch(/^W&B Public Client/);
    expect((await api.viewer()).username).toBe('demo');
    expect(await api.defaultEntity()).toBe('demo');
  });

  it('takes a client made by the other module format of @wandb-api/core (a second copy, recognised by its brand)', async () => {
    // The CommonJS build is a copy of the package with classes of its own, as in a project that
    // mixes `import` and `require`.
    const cjs = createRequire(import.meta.url)('../../core/dist/node.cjs') as typeof import('@wandb-api/core');
    const client = cjs.createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const wrapped = new Api(client);
    expect(wrapped.client).toBe(client);
    expect((await wrapped.viewer()).username).toBe('demo');
  });

  it('reads WANDB_* from the environment, and Python-style timeout in seconds', () => {
    const fromEnv = new Api({ env: { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_ENTITY: 'demo', WANDB_PROJECT: 'llm-finetune' }, timeout: 3 });
    expect(fromEnv.client.config).toMatchObject({ baseUrl: server.url, entity: 'demo', project: 'llm-finetune', timeoutMs: 3000 });
  });

  it('projects, project, createProject', async () => {
    const names = (await api.projects().toArray()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['mnist-classifier', 'llm-finetune', 'empty-project']));
    expect((await api.project('segmentation', 'vision-team')).entity).toBe('vision-team');
    expect((await api.project('mnist-classifier')).entity).toBe('demo');
    await expect(api.project('missing')).rejects.toBeInstanceOf(NotFoundError);
    expect((await api.createProject('from-facade', 'demo')).name).toBe('from-facade');
  });

  it('runs is lazy until used, pages 50 at a time oldest first, and carries config and summary', async () => {
    server.requests.length = 0;
    const runs = api.runs('demo/mnist-classifier');
    expect(requestsFor(server, 'Runs')).toHaveLength(0);
    const first = await runs;
    expect(first.items).toHaveLength(50);
    const created = first.items.map((r) => r.createdAt);
    expect([...created].sort()).toEqual(created);
    expect(Object.keys(first.items[0]!.config).length).toBeGreaterThan(0);
    expect(await runs.count()).toBeGreaterThanOrEqual(120);
    const lazy = await api.runs('demo/mnist-classifier', { lazy: true, perPage: 5 });
    expect(lazy.items).toHaveLength(5);
    expect(lazy.items[0]).not.toHaveProperty('config');
  });

  it('runs iterates in createdAt windows side by side, giving exactly the sequential listing', async () => {
    const sequential = (await api.runs('demo/mnist-classifier', { perPage: 7, windows: 1 }).toArray()).map((r) => r.id);
    // A few ms a page, so that requests side by side show at the server.
    server.faults.add({ latencyMs: 3, operationName: 'Runs' });
    server.requests.length = 0;
    try {
      const windowed = (await api.runs('demo/mnist-classifier', { perPage: 7, windows: 4 }).toArray()).map((r) => r.id);
      expect(windowed).toEqual(sequential);
    } finally {
      server.faults.clear();
    }
    const atOnce = Math.max(...requestsFor(server, 'Runs').map((r) => r.inFlight));
    expect(atOnce).toBeGreaterThan(1);
    expect(atOnce).toBeLessThanOrEqual(4);
  });

  it('filters and orders like Python: top runs by a summary metric under a config filter', async () => {
    const top = await api
      .runs('demo/mnist-classifier', { filters: { 'config.optimizer.name': 'adam', state: 'finished' }, order: '-summary_metrics.accuracy' })
      .toArray({ limit: 5 });
    expect(top.length).toBe(5);
    for (const run of top) expect((run.config.optimizer as { name: string }).name).toBe('adam');
    const accuracies = top.map((r) => r.summary.accuracy as number);
    expect([...accuracies].sort((a, b) => b - a)).toEqual(accuracies);
  });

  it('run, createRun and fromPath (project and run forms, app URLs)', async () => {
    const created = await api.createRun({ project: 'facade-runs' });
    const run = await api.run(`demo/facade-runs/${created.id}`);
    expect(run.storageId).toBe(created.storageId);
    const viaUrl = await api.fromPath(`${server.url}/demo/facade-runs/runs/${created.id}`);
    expect(viaUrl).toMatchObject({ id: created.id });
    expect(await api.fromPath('demo/facade-runs')).toMatchObject({ name: 'facade-runs', entity: 'demo' });
    expect(await api.fromPath('facade-runs')).toMatchObject({ name: 'facade-runs' });
    await expect(api.fromPath('a/b/c/d/e')).rejects.toBeInstanceOf(ValidationError);
    const sweep = await api.fromPath('demo/mnist-classifier/sweeps/k3x9q2ab');
    expect(sweep).toBeInstanceOf(Sweep);
    expect(sweep).toMatchObject({ id: 'k3x9q2ab', method: 'bayes', runCount: 30 });
    await expect(api.fromPath('demo/mnist-classifier/sweeps/nosuch')).rejects.toBeInstanceOf(NotFoundError);
    const reportId = Buffer.from('View:123456').toString('base64').replace(/=/g, '');
    const report = await api.fromPath(`https://wandb.ai/demo/mnist-classifier/reports/LR-search--${reportId}`);
    expect(report).toMatchObject({ displayName: 'LR search: results & notes', id: `${reportId}=` });
  });

  it('sweeps: sweep(), sweeps(), runs(), bestRun(), agents(), agent().runs(); reports()', async () => {
    const sweep = await api.sweep('demo/mnist-classifier/k3x9q2ab');
    const runs = await sweep.runs().toArray();
    expect(runs).toHaveLength(30);
    expect(runs[0]).toBeInstanceOf(Run);
    expect(runs[0]?.summary).toHaveProperty('loss');
    const best = await sweep.bestRun();
    expect(best).toBeInstanceOf(Run);
    expect(best?.summary.loss).toBe(Math.min(...runs.map((r) => r.summary.loss as number)));
    const agents = await sweep.agents();
    expect(agents.map((a) => a.name)).toEqual(['agent-a1', 'agent-b2']);
    const agent = await sweep.agent('agent-b2');
    expect(agent).toBeInstanceOf(Agent);
    expect(await agent.runs().count()).toBe(agent.totalRuns);
    expect((await agent.runs().toArray()).length).toBe(agent.totalRuns);
    const sweeps = api.sweeps('demo/mnist-classifier');
    expect((await sweeps.toArray()).map((s) => s.id)).toEqual(['p7m2v4cd', 'k3x9q2ab']);
    expect(await sweeps.count()).toBe(2);
    const reports = await api.reports('demo/mnist-classifier', { name: 'grid-summary' }).toArray();
    expect(reports.map((r) => r.displayName)).toEqual(['Grid summary']);
  });

  it('flush forgets cached viewer data so the next read asks again', async () => {
    await api.viewer();
    server.requests.length = 0;
    await api.viewer();
    expect(requestsFor(server, 'Viewer')).toHaveLength(0);
    api.flush();
    await api.viewer();
    expect(requestsFor(server, 'Viewer')).toHaveLength(1);
  });
});
