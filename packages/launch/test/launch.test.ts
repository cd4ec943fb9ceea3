// Run queues, queued runs and jobs through @wandb-api/launch against the local server (demo seed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, BadRequestError, NotFoundError, TimeoutError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  LaunchError,
  ackRunQueueItem,
  callJob,
  createRunQueue,
  deleteQueuedRun,
  deleteRunQueue,
  failRunQueueItem,
  getJob,
  getQueuedRun,
  getRunQueue,
  listJobs,
  popRunQueueItem,
  pushToRunQueue,
  queuedRunState,
  runQueueItems,
  upsertRunQueue,
  waitUntilFinished,
  waitUntilRunning,
} from '@wandb-api/launch';
import type { LocalServer } from '@wandb-api/server';
import { createArtifact } from '../../server/src/store/artifactFixtures.js';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;

beforeAll(async () => {
  server = await startTestServer({ seed: 'demo' });
  client = testClient(server);
});
afterAll(() => server.stop());

/** Runs `fn`, expecting a ValidationError and not one request to the server. */
async function refusedLocally(fn: () => unknown): Promise<void> {
  const before = server.requests.length;
  await expect((async () => fn())()).rejects.toBeInstanceOf(ValidationError);
  expect(server.requests.length).toBe(before);
}

describe('seeded queues', () => {
  it('getRunQueue loads type, config, template variables, mode and links', async () => {
    const q = await getRunQueue(client, 'demo', 'default');
    expect(q).toMatchObject({
      name: 'default',
      entity: 'demo',
      project: 'model-registry',
      access: 'PROJECT',
      type: 'local-container',
      defaultResourceConfig: { resource_args: { 'local-container': { env: ['WANDB_DISABLE_CODE=true'] } } },
      templateVariables: [],
      prioritizationMode: 'DISABLED',
      externalLinks: {},
    });
    const gpu = await getRunQueue(client, 'demo', 'gpu-queue');
    expect(gpu.type).toBe('kubernetes');
    expect(gpu.prioritizationMode).toBe('V0');
    expect(gpu.templateVariables).toEqual([{ name: 'gpus', schema: { type: 'integer', minimum: 1, maximum: 8, default: 1 } }]);
    expect(gpu.externalLinks).toEqual({ 'Cluster dashboard': 'https://grafana.example.com/d/gpu' });
  });

  it('items carry every state; the claimed one names its run and the run project from the spec', async () => {
    const items = await runQueueItems(client, { entity: 'demo', name: 'default' }).toArray();
    expect(items.map((i) => i.state)).toEqual(['pending', 'pending', 'leased', 'claimed', 'failed']);
    const claimed = items[3]!;
    expect(claimed.runId).toMatch(/^[a-z0-9]+$/);
    expect(claimed.project).toBe('mnist-classifier');
    expect(claimed.runSpec).toMatchObject({ job: 'demo/mnist-classifier/job-train:v1', overrides: { run_config: { lr: 0.002 } } });
    // Already claimed by a finished run: both waits return at once.
    const run = await waitUntilRunning(client, { entity: 'demo', queueName: 'default', id: claimed.id }, { pollMs: 10 });
    expect(run).toMatchObject({ id: claimed.runId, project: 'mnist-classifier', state: 'finished' });
    expect((await waitUntilFinished(client, { entity: 'demo', queueName: 'default', id: claimed.id }, { pollMs: 10 })).id).toBe(claimed.runId);
  });

  it('missing queues and items are NotFoundError', async () => {
    await expect(getRunQueue(client, 'demo', 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(runQueueItems(client, { entity: 'demo', name: 'nope' }).toArray()).rejects.toBeInstanceOf(NotFoundError);
    await expect(getQueuedRun(client, { entity: 'demo', queueName: 'nope', id: 'x' })).rejects.toThrow(/run queue nope/);
    await expect(deleteQueuedRun(client, { entity: 'demo', queueName: 'default', id: 'UnVuUXVldWVJdGVtOjk5OTk=' })).rejects.toThrow(/QueuedRunItem/);
  });
});

describe('bad input is refused before any request', () => {
  it('queue type, name, mode, config, template variables', async () => {
    await refusedLocally(() => createRunQueue(client, 'q', 'docker' as never, { entity: 'demo' }));
    await refusedLocally(() => createRunQueue(client, '', 'kubernetes', { entity: 'demo' }));
    await refusedLocally(() => createRunQueue(client, 'x'.repeat(65), 'kubernetes', { entity: 'demo' }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', prioritizationMode: 'DISABLED' }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', config: [] as never }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', templateVariables: { gpus: { schema: { type: 'float' } } } as never }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', templateVariables: { gpus: {} } as never }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', templateVariables: { n: { schema: { type: 'integer', minimum: 5, maximum: 1 } } } }));
    await refusedLocally(() => createRunQueue(client, 'q', 'kubernetes', { entity: 'demo', templateVariables: { s: { schema: { type: 'string', enum: [1, 2] } } } }));
    await refusedLocally(() => upsertRunQueue(client, 'q', 'sagemaker', { entity: 'demo', prioritizationMode: 'V2' as never }));
    await refusedLocally(() => upsertRunQueue(client, 'q', 'sagemaker', { entity: 'demo', externalLinks: { a: 1 } as never }));
  });

  it('push, items, waits and jobs', async () => {
    await refusedLocally(() => pushToRunQueue(client, { entity: 'demo', name: 'default' }, {}, { priority: 7 as never }));
    await refusedLocally(() => pushToRunQueue(client, { entity: 'demo', name: 'default' }, [] as never));
    await refusedLocally(() => runQueueItems(client, { entity: 'demo', name: 'default' }, { perPage: 0 }));
    await refusedLocally(() => waitUntilRunning(client, { entity: 'demo', queueName: 'default', id: 'x' }, { timeoutMs: -1 }));
    await refusedLocally(() => getJob(client, 'demo/job-train:v0'));
    await refusedLocally(() => getJob(client, 'demo/mnist-classifier/job-train'));
    await refusedLocally(() => listJobs(client, '', 'mnist-classifier'));
  });
});

describe('a queue from creation to deletion', () => {
  const queue = { entity: 'demo', name: 'life-queue' };

  it('creates, pushes, pages beyond one page, drives states, waits and deletes', async () => {
    const created = await createRunQueue(client, 'life-queue', 'kubernetes', {
      entity: 'demo',
      prioritizationMode: 'v0',
      config: { namespace: 'ml' },
      templateVariables: { gpus: { description: 'GPUs', schema: { type: 'integer', minimum: 1, maximum: 4 } } },
    });
    expect(created).toMatchObject({
      name: 'life-queue',
      type: 'kubernetes',
      prioritizationMode: 'V0',
      defaultResourceConfig: { resource_args: { kubernetes: { namespace: 'ml' } } },
      templateVariables: [{ name: 'gpus', schema: { type: 'integer', minimum: 1, maximum: 4 } }],
    });
    // The server checks template values against the queue's schema.
    await expect(pushToRunQueue(client, queue, { job: 'j' }, { templateVariableValues: { gpus: 9 } })).rejects.toBeInstanceOf(BadRequestError);

    // 205 items: three pages of 100, no silent cap.
    const pushedIds: string[] = [];
    for (let i = 0; i < 205; i++) {
      const item = await pushToRunQueue(client, queue, { job: 'demo/mnist-classifier/job-train:v1', entity: 'demo', project: 'launch-test', overrides: { run_config: { i } } }, { priority: 2, templateVariableValues: { gpus: 2 } });
      pushedIds.push(item.id);
    }
    const pagesBefore = requestsFor(server, 'RunQueueItems').length;
    const items = await runQueueItems(client, queue).toArray();
    expect(requestsFor(server, 'RunQueueItems').length - pagesBefore).toBe(3);
    expect(items.map((i) => i.id)).toEqual(pushedIds);
    expect(items.every((i) => i.state === 'pending' && i.project === 'launch-test')).toBe(true);
    expect(items[204]!.runSpec).toMatchObject({ overrides: { run_config: { i: 204 } } });

    // An agent leases the first item: leased, no run yet — waiting times out, or stops on abort.
    const leased = await popRunQueueItem(client, queue, { agentId: 'agent-7' });
    expect(leased?.id).toBe(pushedIds[0]);
    const first = { entity: 'demo', queueName: 'life-queue', id: pushedIds[0]!, project: 'launch-test' };
    expect(await queuedRunState(client, first)).toBe('leased');
    await expect(waitUntilRunning(client, first, { pollMs: 10, timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const aborted = waitUntilRunning(client, first, { pollMs: 10, signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);

    // The agent starts a run and claims the item: waitUntilRunning returns that run.
    const run = server.store.createRun({ entity: 'demo', project: 'launch-test', name: 'launched-1', state: 'running' });
    await ackRunQueueItem(client, leased!.id, 'launched-1');
    expect(await getQueuedRun(client, first)).toMatchObject({ state: 'claimed', runId: 'launched-1' });
    const running = await waitUntilRunning(client, first, { pollMs: 10, timeoutMs: 20_000 });
    expect(running).toMatchObject({ id: 'launched-1', project: 'launch-test', state: 'running' });

    // waitUntilFinished waits for the run to end (the server moves it), bounded by a timeout.
    await expect(waitUntilFinished(client, first, { pollMs: 10, timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    const finishing = waitUntilFinished(client, first, { pollMs: 10, timeoutMs: 20_000 });
    server.store.runLifecycle.setState(run.internalId, 'finished');
    expect(await finishing).toMatchObject({ id: 'launched-1', state: 'finished' });

    // A failed item ends the wait with a LaunchError (Python polls for ever).
    const second = { entity: 'demo', queueName: 'life-queue', id: pushedIds[1]! };
    await failRunQueueItem(client, second.id, { stage: 'build', message: 'docker build failed' });
    expect(await queuedRunState(client, second)).toBe('failed');
    await expect(waitUntilRunning(client, second, { pollMs: 10 })).rejects.toBeInstanceOf(LaunchError);

    // V0 queues lease by priority: a critical item jumps the line.
    const urgent = await pushToRunQueue(client, queue, { job: 'j' }, { priority: 0 });
    expect((await popRunQueueItem(client, queue))?.id).toBe(urgent.id);

    await deleteQueuedRun(client, second);
    await expect(getQueuedRun(client, second)).rejects.toBeInstanceOf(NotFoundError);
    expect(await runQueueItems(client, queue).toArray()).toHaveLength(205);

    await deleteRunQueue(client, created);
    await expect(getRunQueue(client, 'demo', 'life-queue')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('upsertRunQueue wraps the config, sends links as {links: [...]}, and updates in place', async () => {
    const { queue: q, warnings } = await upsertRunQueue(client, 'upserted', 'local-process', {
      entity: 'demo',
      config: { cmd: '{{script}}' },
      externalLinks: { Docs: 'https://docs.example.com', Logs: 'https://logs.example.com' },
    });
    expect(q).toMatchObject({
      type: 'local-process',
      prioritizationMode: 'DISABLED',
      defaultResourceConfig: { resource_args: { 'local-process': { cmd: '{{script}}' } } },
      externalLinks: { Docs: 'https://docs.example.com', Logs: 'https://logs.example.com' },
    });
    expect(warnings).toEqual(['template variable script is used in the config but not defined']);
    const again = await upsertRunQueue(client, 'upserted', 'local-process', {
      entity: 'demo',
      config: { cmd: '{{script}}' },
      templateVariables: { script: { schema: { type: 'string', enum: ['a.py', 'b.py'] } } },
      prioritizationMode: 'V0',
    });
    expect(again.warnings).toEqual([]);
    expect(again.queue.id).toBe(q.id);
    expect(again.queue.prioritizationMode).toBe('V0');
    expect(again.queue.templateVariables).toEqual([{ name: 'script', schema: { type: 'string', enum: ['a.py', 'b.py'] } }]);
  });
});

describe('jobs', () => {
  it('listJobs gives every job with its versions; errors surface', async () => {
    const jobs = await listJobs(client, 'demo', 'mnist-classifier').toArray();
    expect(jobs.map((j) => j.name).sort()).toEqual(['job-eval', 'job-train']);
    const train = jobs.find((j) => j.name === 'job-train')!;
    expect(train.versions.map((v) => v.version).sort()).toEqual(['v0', 'v1']);
    expect(train.versions.find((v) => v.version === 'v1')?.aliases).toEqual(['latest']);
    expect(await listJobs(client, 'demo', 'empty-project').toArray()).toEqual([]);
    await expect(listJobs(client, 'demo', 'no-such-project').toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('listJobs pages the versions of a job beyond the first 100', async () => {
    for (let i = 0; i < 102; i++) {
      createArtifact(server.store, { entity: 'demo', project: 'many-jobs', type: 'job', name: 'job-many', files: { 'wandb-job.json': JSON.stringify({ i }) } });
    }
    server.clearRequests();
    const [job] = await listJobs(client, 'demo', 'many-jobs').toArray();
    expect(new Set(job!.versions.map((v) => v.version)).size).toBe(102);
    expect(requestsFor(server, 'LaunchJobVersions')).toHaveLength(1);
  });

  it('getJob reads wandb-job.json; callJob checks the config and pushes the launch spec', async () => {
    const job = await getJob(client, 'demo/mnist-classifier/job-train:latest');
    expect(job).toMatchObject({
      name: 'demo/mnist-classifier/job-train:latest',
      entity: 'demo',
      project: 'mnist-classifier',
      sourceType: 'repo',
      entrypoint: ['python', 'examples/mnist/train.py'],
      runtime: '3.11.9',
      partial: false,
    });
    expect(job.source).toMatchObject({ git: { remote: 'https://github.com/wandb/examples.git' } });
    expect(job.artifact.version).toBe('v1');
    const evalJob = await getJob(client, 'demo/mnist-classifier/job-eval:v0');
    expect(evalJob).toMatchObject({ sourceType: 'image', image: 'wandb/mnist-eval:1.2' });
    await expect(getJob(client, 'demo/mnist-classifier/mnist-cnn:v0')).rejects.toBeInstanceOf(ValidationError); // not a job

    await refusedLocally(() => callJob(client, job, { lr: 'fast' }));
    await refusedLocally(() => callJob(client, job, { lr: 0.1, epochs: 1, optimizer: 'adam', learning_rate: 0.1 }));
    await refusedLocally(() => callJob(client, job, { lr: 0.1 })); // every input is required, as Python
    await refusedLocally(() => callJob(client, job, { lr: 0.1 }, { resource: 'docker' as never }));

    const queued = await callJob(client, job, { lr: 0.05, epochs: 2, optimizer: 'adam' }, { resourceArgs: { 'local-container': { gpus: 'all' } } });
    expect(queued).toMatchObject({ entity: 'demo', queueName: 'default', projectQueue: 'model-registry', project: 'mnist-classifier', state: 'pending' });
    const item = await getQueuedRun(client, queued);
    expect(item.runSpec).toEqual({
      job: 'demo/mnist-classifier/job-train:latest',
      entity: 'demo',
      project: 'mnist-classifier',
      resource: 'local-container',
      docker: {},
      git: {},
      overrides: { run_config: { lr: 0.05, epochs: 2, optimizer: 'adam' } },
      resource_args: { 'local-container': { gpus: 'all' } },
    });
  });
});
