// Parity of Launch: the seeded queues (metadata, config, template variables, items), a claimed
// item's run, creating and upserting queues, listing and loading jobs, and job.call — Python's
// wandb.Api and ours against one server. Where we fix a Python quirk the test asserts both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, RunQueue } from 'wandb-api';
import { attempt, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
}, 120_000);
afterAll(() => p?.stop());

const queueFields = (q: RunQueue) => ({
  name: q.name,
  entity: q.entity,
  type: q.type,
  access: q.access,
  prioritization_mode: q.prioritizationMode,
  default_resource_config: q.defaultResourceConfig,
  template_variables: q.templateVariables,
  // Python shows the stored JSON ({links: [...]}); we show {label: url}.
  external_links: { links: Object.entries(q.externalLinks).map(([label, url]) => ({ label, url })) },
});

/** Python shows null links for a queue that has none (nothing stored); ours `{}`, compared as `{links: []}`. */
const pyQueue = (r: any): unknown => (r?.ok && r.ok.external_links === null ? { ok: { ...r.ok, external_links: { links: [] } } } : r);

describe('launch parity', () => {
  it('queues, items, queued runs, queue writes, jobs and job.call', async () => {
    const items = await (await api.runQueue('demo', 'default')).items().toArray();
    const claimed = items.find((i) => i.project === 'mnist-classifier' && items.indexOf(i) === 3)!;
    const py = (await p.python('launch', { claimed: claimed.id })) as Record<string, any>;

    // Python's lazy RunQueue fails on external_links until other metadata was loaded; ours loads eagerly.
    expect(py.external_links_before_load.error).toBe('AttributeError');
    expect((await api.runQueue('demo', 'gpu-queue')).externalLinks).toEqual({ 'Cluster dashboard': 'https://grafana.example.com/d/gpu' });

    for (const name of ['gpu', 'default'] as const) {
      const ours = await attempt(async () => queueFields(await api.runQueue('demo', name === 'gpu' ? 'gpu-queue' : 'default')));
      expect(ours).toEqual(pyQueue(py[name]));
    }

    // Items: the same ids and states; Python names the queue's project as the run's project.
    expect(py.items.ok.map((i: string[]) => i.slice(0, 2))).toEqual(await Promise.all(items.map(async (i) => [i.id, await i.state()])));
    expect(new Set(py.items.ok.map((i: string[]) => i[2]))).toEqual(new Set(['model-registry']));
    expect(items.map((i) => i.project)).toEqual(Array(5).fill('mnist-classifier'));
    expect(py.missing_queue.error).toBeDefined();
    await expect(api.runQueue('demo', 'nope')).rejects.toThrow(/nope/);

    // A claimed item: the same state and run.
    const qr = api.queuedRun('demo', 'mnist-classifier', 'default', claimed.id);
    expect(py.claimed_state.ok).toBe(await qr.state());
    expect(py.claimed_run.ok).toEqual([(await qr.waitUntilRunning({ pollMs: 10 })).id, qr.project]);
    // Python's api.queued_run without project_queue cannot find its item; ours defaults to model-registry.
    expect(py.queued_run_default_project_queue.error).toBeDefined();

    // Writes: each side creates its own queue; read back they agree.
    const created = await api.createRunQueue('ts-queue', 'kubernetes', {
      entity: 'demo',
      prioritizationMode: 'V0',
      config: { namespace: 'ml' },
      templateVariables: { gpus: { description: 'GPUs', schema: { type: 'integer', minimum: 1, maximum: 4 } } },
    });
    const swapName = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('py-queue', 'ts-queue').replaceAll('py-upsert', 'ts-upsert')) as unknown;
    expect(swapName(pyQueue(py.create_read_back))).toEqual({ ok: queueFields(created) });
    // wandb 0.31's create_run_queue answers the stored (wrapped) config, as ours.
    expect(py.create).toEqual(py.create_read_back);
    expect(py.create_bad_type.error).toBe('ValueError');
    await expect(api.createRunQueue('ts-bad', 'docker' as never, { entity: 'demo' })).rejects.toThrow(/resource_type must be one of/);
    await api.upsertRunQueue('ts-upsert', { cmd: 'run.sh' }, 'local-process', { entity: 'demo', externalLinks: { Docs: 'https://docs.example.com' } });
    expect(swapName(pyQueue(py.upsert_read_back))).toEqual(await attempt(async () => queueFields(await api.runQueue('demo', 'ts-upsert'))));

    // Jobs.
    const jobs = await api.listJobs('demo', 'mnist-classifier');
    expect(py.list_jobs.ok).toEqual(
      jobs
        .map((j) => ({ name: j.name, versions: j.versions.map((v) => [...v.aliases].sort()).sort(), states: j.versions.map((v) => v.state).sort() }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    // Python swallows a missing project as []; ours throws.
    expect(py.list_jobs_missing_project.ok).toEqual([]);
    await expect(api.listJobs('demo', 'no-such-project')).rejects.toThrow(/not found/);
    const job = await api.job('demo/mnist-classifier/job-train:v1');
    expect(py.job.ok).toEqual({ name: job.name, source_type: job.sourceType, entrypoint: job.entrypoint, runtime: job.runtime, partial: job.partial });
    expect(py.job_bad_name.error).toBeDefined();

    // job.call: both push the same launch spec (each to its own queue).
    expect(py.call.ok).toEqual(expect.any(String));
    const pyItem = await api.queuedRun('demo', 'mnist-classifier', 'py-queue', py.call.ok as string).item();
    const ours = await job.call({ lr: 0.02, epochs: 3, optimizer: 'adam' }, { project: 'mnist-classifier', queue: 'ts-queue', resource: 'kubernetes', templateVariables: { gpus: 2 } });
    expect((await ours.item()).runSpec).toEqual(pyItem.runSpec);
    expect(py.call_bad_type.error).toBe('TypeError');
    await expect(job.call({ lr: 'fast' }, { queue: 'ts-queue' })).rejects.toThrow(/lr must be a number.*epochs must be a number/);
  }, 180_000);
});
