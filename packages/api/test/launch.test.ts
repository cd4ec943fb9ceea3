// The Api's launch methods (runQueue, createRunQueue, upsertRunQueue, queuedRun, job, listJobs) and the
// RunQueue / QueuedRun / Job classes against the local server (demo seed).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, AbortError, Job, LaunchError, NotFoundError, QueuedRun, Run, RunQueue, TimeoutError, ValidationError } from 'wandb-api';
import { LaunchError as LaunchErrorOfLaunch, ackRunQueueItem, popRunQueueItem } from '@wandb-api/launch';
import { LaunchError as LaunchErrorOfCore } from '@wandb-api/core';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  api = new Api(testClient(server));
});
afterAll(() => server.stop());

async function refusedLocally(fn: () => unknown): Promise<void> {
  const before = server.requests.length;
  await expect((async () => fn())()).rejects.toBeInstanceOf(ValidationError);
  expect(server.requests.length).toBe(before);
}

describe('Api launch methods', () => {
  it('runQueue loads eagerly (external links included) and items() pages every item', async () => {
    const queue = await api.runQueue('demo', 'gpu-queue');
    expect(queue).toBeInstanceOf(RunQueue);
    expect(queue).toMatchObject({ name: 'gpu-queue', type: 'kubernetes', prioritizationMode: 'V0', externalLinks: { 'Cluster dashboard': 'https://grafana.example.com/d/gpu' } });
    const items = await (await api.runQueue('demo', 'default')).items({ perPage: 2 }).toArray();
    expect(items).toHaveLength(5);
    expect(items[0]).toBeInstanceOf(QueuedRun);
    // Awaiting the (synchronously returned) list gives its first page, launch's code loaded on demand.
    expect((await (await api.runQueue('demo', 'default')).items({ perPage: 2 })).items.map((i) => i.id)).toEqual(items.slice(0, 2).map((i) => i.id));
    expect(await Promise.all(items.map((i) => i.state()))).toEqual(['pending', 'pending', 'leased', 'claimed', 'failed']);
    const run = await items[3]!.waitUntilRunning({ pollMs: 10 });
    expect(run).toBeInstanceOf(Run);
    expect(run.project).toBe('mnist-classifier');
    await expect(api.runQueue('demo', 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('createRunQueue / upsertRunQueue validate before any request', async () => {
    await refusedLocally(() => api.createRunQueue('q', 'slurm' as never, { entity: 'demo' }));
    await refusedLocally(() => api.createRunQueue('q', 'kubernetes', { entity: 'demo', templateVariables: { x: { schema: { type: 'object' } } } as never }));
    await refusedLocally(() => api.upsertRunQueue('q', {}, 'kubernetes', { entity: 'demo', prioritizationMode: 'high' as never }));
    await refusedLocally(() => api.job('demo/mnist-classifier'));
    await refusedLocally(() => api.listJobs('demo', ''));
  });

  it('a queued run from creation through running and finished to deletion', async () => {
    const queue = await api.createRunQueue('facade-queue', 'local-process', { entity: 'demo', config: { cwd: '/tmp' } });
    expect(queue.defaultResourceConfig).toEqual({ resource_args: { 'local-process': { cwd: '/tmp' } } });
    const updated = await api.upsertRunQueue('facade-queue', { cwd: '/srv' }, 'local-process', { entity: 'demo', externalLinks: { Runbook: 'https://runbook.example.com' } });
    expect(updated).toMatchObject({ id: queue.id, externalLinks: { Runbook: 'https://runbook.example.com' }, defaultResourceConfig: { resource_args: { 'local-process': { cwd: '/srv' } } } });

    const job = await api.job('demo/mnist-classifier/job-train:v0');
    expect(job).toBeInstanceOf(Job);
    const queued = await job.call({ lr: 0.1, epochs: 1, optimizer: 'sgd' }, { queue: 'facade-queue', resource: 'local-process', project: 'facade-runs' });
    expect(queued).toMatchObject({ entity: 'demo', project: 'facade-runs', queueName: 'facade-queue', projectQueue: 'model-registry' });
    expect(await queued.state()).toBe('pending');

    // The same item through api.queuedRun (Python's argument order), without a projectQueue.
    const again = api.queuedRun('demo', 'facade-runs', 'facade-queue', queued.id);
    expect((await again.item()).runSpec).toMatchObject({ job: 'demo/mnist-classifier/job-train:v0', overrides: { run_config: { lr: 0.1, epochs: 1, optimizer: 'sgd' } } });
    await expect(again.waitUntilRunning({ pollMs: 10, timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(await again.run()).toBeNull();

    // An agent picks it up and starts the run; the waits follow it to the end.
    const leased = await popRunQueueItem(api.client, { entity: 'demo', name: 'facade-queue' });
    const run = server.store.createRun({ entity: 'demo', project: 'facade-runs', name: 'facade-run', state: 'running' });
    await ackRunQueueItem(api.client, leased!.id, 'facade-run');
    expect((await again.waitUntilRunning({ pollMs: 10 })).state).toBe('running');
    expect((await again.run())?.id).toBe('facade-run');
    const controller = new AbortController();
    const waiting = again.waitUntilFinished({ pollMs: 10, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    const finishing = again.waitUntilFinished({ pollMs: 10, timeoutMs: 20_000 });
    server.store.runLifecycle.setState(run.internalId, 'finished');
    const finished = await finishing;
    expect(finished).toBeInstanceOf(Run);
    expect(finished).toMatchObject({ id: 'facade-run', state: 'finished' });

    await again.delete();
    await expect(again.state()).rejects.toBeInstanceOf(NotFoundError);
    await queue.delete();
    await expect(api.runQueue('demo', 'facade-queue')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('job(name, path) downloads its files in Node; listJobs lists every job and throws on errors', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wandb-job-'));
    const job = await api.job('demo/mnist-classifier/job-eval:v0', root);
    expect(job.path).toBe(root);
    expect(JSON.parse(readFileSync(join(root, 'wandb-job.json'), 'utf8'))).toMatchObject({ source_type: 'image', source: { image: 'wandb/mnist-eval:1.2' } });
    expect(existsSync(join(root, 'wandb-job.json'))).toBe(true);
    await expect(job.call({ model: 'm', batch_size: 'large' }, {})).rejects.toBeInstanceOf(ValidationError);

    const jobs = await api.listJobs('demo', 'mnist-classifier');
    expect(jobs.map((j) => [j.name, j.versions.length]).sort()).toEqual([
      ['job-eval', 1],
      ['job-train', 2],
    ]);
    await expect(api.listJobs('demo', 'missing-project')).rejects.toBeInstanceOf(NotFoundError);
    // One class, whichever package it is imported from.
    expect(LaunchError).toBe(LaunchErrorOfLaunch);
    expect(LaunchError).toBe(LaunchErrorOfCore);
  });
});
