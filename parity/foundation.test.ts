// Parity, Foundation slice: paths, projects, runs (filters, orders, paging), run properties,
// viewer, create_project/create_run. Each test runs one Python scenario (parity/py/<name>.py) with
// the unmodified wandb.Api and the same calls through our Api, against one server, and compares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type Project, Run, type RunFilter, type RunOrder } from 'wandb-api';
import { attempt, normalize, type Parity, startParity } from './harness';
import { runFields } from './fields';

let p: Parity;
let api: Api;
const PAGING_RUNS = 1_001;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  // A project with 1,001 runs, one second apart, for paging and len().
  const base = Date.UTC(2025, 2, 1);
  for (let i = 0; i < PAGING_RUNS; i++) {
    p.server.store.createRun({ entity: 'demo', project: 'paging', name: `run-${String(i).padStart(4, '0')}`, createdAt: base + i * 1000 });
  }
});
afterAll(() => p?.stop());

function projectFields(project: Project) {
  return normalize({
    name: project.name,
    entity: project.entity,
    path: project.path,
    url: project.url,
    id: project.id,
    created_at: project.createdAt,
    is_benchmark: project.isBenchmark,
  });
}

/** Both sides' outcomes agree: equal values, or both failed (the error types differ by language). */
function expectSameOutcome(ours: { ok: unknown } | { error: string }, python: unknown, label: string): void {
  const py = python as { ok?: unknown; error?: string; message?: string };
  if ('error' in ours) expect(py.error, `${label}: ours threw ${ours.error}, Python gave ${JSON.stringify(py.ok)}`).toBeDefined();
  else expect(py, `${label}: ${py.error ?? ''} ${py.message ?? ''}`).toEqual({ ok: ours.ok });
}

async function firstRunId(path: string): Promise<string> {
  const [run] = (await api.runs(path, { lazy: true, perPage: 1 })).items;
  if (!run) throw new Error(`no runs in ${path}`);
  return run.id;
}

describe('paths', () => {
  it('api.run, api.from_path and api.runs accept the same path forms as Python', async () => {
    const id = await firstRunId('demo/mnist-classifier');
    const runPaths = [
      `demo/mnist-classifier/runs/${id}`,
      `demo/mnist-classifier/${id}`,
      `demo/mnist-classifier:${id}`,
      `mnist-classifier/${id}`,
      `/demo/mnist-classifier/runs/${id}/`,
      id,
      'demo/mnist-classifier/runs/nosuchrun',
      'demo/no-such-project/runs/abc',
    ];
    const fromPaths = ['demo/mnist-classifier', 'mnist-classifier', 'vision-team/segmentation', `demo/mnist-classifier/runs/${id}`, `demo/mnist-classifier/${id}`];
    const runsPaths = ['demo/mnist-classifier', 'mnist-classifier', 'vision-team/segmentation', 'demo/empty-project'];
    // The bare-id form needs a default project: both sides read WANDB_PROJECT.
    const env = { WANDB_PROJECT: 'mnist-classifier' };
    const py = (await p.python('paths', { run_id: id, run_paths: runPaths, from_paths: fromPaths, runs_paths: runsPaths }, env)) as Record<
      string,
      Record<string, unknown>
    >;
    const ours = p.api(env);

    for (const path of runPaths) {
      const result = await attempt(async () => {
        const run = await ours.run(path);
        return { path: run.path, id: run.id, display_name: run.displayName };
      });
      expectSameOutcome(result, py.run![path], `run(${path})`);
    }
    for (const path of fromPaths) {
      const result = await attempt(async () => {
        const found = await ours.fromPath(path);
        if (found instanceof Run) return { kind: 'run', path: found.path, id: found.id };
        if ('isBenchmark' in found) return { kind: 'project', path: found.path, id: found.id };
        return { kind: 'other', id: found.id };
      });
      expectSameOutcome(result, py.from_path![path], `fromPath(${path})`);
    }
    for (const path of runsPaths) {
      const result = await attempt(async () => ({ count: await ours.runs(path, { perPage: 10 }).count() }));
      expectSameOutcome(result, py.runs![path], `runs(${path})`);
    }
  });

  it('differs where documented: app URLs work, entity/project/extra is an error', async () => {
    // README "Behaviour worth knowing": Python rejects app URLs and reads `entity/project/extra`
    // as project "project/extra"; we accept the URL and reject the extra segment up front.
    const id = await firstRunId('demo/mnist-classifier');
    const url = `https://wandb.ai/demo/mnist-classifier/runs/${id}`;
    const py = (await p.python('paths', { run_id: id, run_paths: [url], from_paths: [url], runs_paths: ['demo/mnist-classifier/extra'] })) as Record<
      string,
      Record<string, { ok?: unknown; error?: string }>
    >;
    expect(py.run![url]!.error).toBeDefined();
    expect(py.from_path![url]!.error).toBeDefined();
    expect((await api.run(url)).id).toBe(id);
    expect(((await api.fromPath(url)) as Run).id).toBe(id);
    expect(() => api.runs('demo/mnist-classifier/extra')).toThrow(/extra|path/i);
    expect(py.runs!['demo/mnist-classifier/extra']).toBeDefined();
  });
});

describe('projects', () => {
  it('api.projects lists the same projects with the same fields, and api.project agrees', async () => {
    const entities = ['demo', 'vision-team'];
    const projects: [string, string][] = [
      ['demo', 'mnist-classifier'],
      ['demo', 'empty-project'],
      ['vision-team', 'segmentation'],
    ];
    const py = (await p.python('projects', { entities, projects })) as { projects: Record<string, unknown>; project: Record<string, unknown> };
    for (const entity of entities) {
      const ours = await attempt(async () => (await api.projects(entity, { perPage: 2 }).toArray()).map(projectFields));
      expect(py.projects[entity]).toEqual(ours);
    }
    for (const [entity, name] of projects) {
      expect(py.project[`${entity}/${name}`]).toEqual(await attempt(async () => projectFields(await api.project(name, entity))));
    }
  });
});

describe('runs', () => {
  const FILTERS: RunFilter[] = [
    {},
    { state: 'finished' },
    { 'config.optimizer.value.name': 'adam' },
    { 'summary_metrics.accuracy': { $gt: 0.9 } },
    { tags: { $in: ['baseline'] } },
    { $or: [{ state: 'crashed' }, { state: 'failed' }] },
    { group: 'exp-1', jobType: 'train' },
    { displayName: { $regex: '^brave' } },
    { createdAt: { $gt: '2025-01-20T00:00:00' } },
    { 'config.batch_size.value': { $in: [32, 64] } },
  ];
  const ORDERS: RunOrder[] = ['+created_at', '-created_at', '-summary_metrics.accuracy', '+config.lr.value', '-heartbeat_at', '+display_name'];

  it('10 filters and 6 orders give the same ids in the same order, and len(runs) = count()', async () => {
    const cases: { path: string; filters?: RunFilter; order?: RunOrder }[] = [
      ...FILTERS.map((filters) => ({ path: 'demo/mnist-classifier', filters })),
      ...ORDERS.map((order) => ({ path: 'demo/mnist-classifier', order })),
      { path: 'demo/llm-finetune', filters: { state: 'finished' }, order: '-summary_metrics.loss' },
    ];
    const py = (await p.python('runs_query', { cases })) as unknown[];
    expect(py).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const ours = await attempt(async () => {
        const runs = api.runs(c.path, { lazy: true, ...('filters' in c ? { filters: c.filters } : {}), ...('order' in c ? { order: c.order } : {}) });
        const ids: string[] = [];
        for await (const run of runs) ids.push(run.id);
        return { count: await runs.count(), ids };
      });
      expect(py[i], JSON.stringify(c)).toEqual(ours);
      expect((ours as { ok: { ids: unknown[] } }).ok.ids.length, `${JSON.stringify(c)} should match some runs`).toBeGreaterThan(0);
    }
  });

  it(`pages through ${PAGING_RUNS} runs: same ids, len(runs) equals count()`, async () => {
    const cases: { path: string; per_page?: number; order?: RunOrder }[] = [
      { path: 'demo/paging' },
      { path: 'demo/paging', per_page: 100, order: '-created_at' },
    ];
    const py = (await p.python('runs_query', { cases })) as { ok: { count: number; ids: string[] } }[];
    for (const [i, c] of cases.entries()) {
      const runs = api.runs(c.path, { lazy: true, ...(c.per_page ? { perPage: c.per_page } : {}), ...(c.order ? { order: c.order } : {}) });
      const ids: string[] = [];
      for await (const run of runs) ids.push(run.id);
      expect(ids).toHaveLength(PAGING_RUNS);
      expect(new Set(ids).size).toBe(PAGING_RUNS);
      expect(py[i]).toEqual({ ok: { count: await runs.count(), ids } });
    }
  });

  it('run properties match: id, names, state, tags, group, job type, nested config, summary with NaN/Infinity, times, url, path, user', async () => {
    const path = 'demo/mnist-classifier';
    const all = await api.runs(path).toArray();
    const nonFinite = all.filter((r) => Object.values(r.summary).some((v) => typeof v === 'number' && !Number.isFinite(v)));
    expect(nonFinite.length).toBeGreaterThan(0);
    const picked = [...all.slice(0, 4), ...nonFinite.slice(0, 4), ...all.filter((r) => r.sweepName).slice(0, 1)];
    const ids = [...new Set(picked.map((r) => r.id))];
    const py = (await p.python('run_props', { path, ids })) as { run: Record<string, unknown>; runs: Record<string, unknown> };
    for (const id of ids) {
      const fromRun = await attempt(async () => runFields(await api.run(`${path}/${id}`)));
      expect(py.run[id], id).toEqual(fromRun);
      expect(py.runs[id], id).toEqual(runFields(all.find((r) => r.id === id)!));
    }
  });
});

describe('viewer', () => {
  it('api.viewer and api.default_entity agree', async () => {
    const py = (await p.python('viewer')) as Record<string, unknown>;
    const viewer = await api.viewer();
    expect(py).toEqual(
      normalize({
        default_entity: await api.defaultEntity(),
        viewer: {
          id: viewer.id,
          name: viewer.name,
          username: viewer.username,
          email: viewer.email,
          admin: viewer.admin,
          entity: viewer.entity,
          teams: viewer.teams,
        },
      }),
    );
  });
});

describe('create', () => {
  it('create_project and create_run give the same project and run on both sides', async () => {
    const py = (await p.python('create', { entity: 'demo', project: 'parity-py', run_id: 'pyrun001' })) as Record<string, unknown>;

    const project = await api.createProject('parity-ts', 'demo');
    const reread = await api.project('parity-ts', 'demo');
    const created = await api.createRun({ runId: 'tsrun001', project: 'parity-ts', entity: 'demo' });
    const read = await attempt(async () => runFields(await api.run('demo/parity-ts/tsrun001')));
    expect(project.name).toBe('parity-ts');
    const ours = normalize({
      project: { name: reread.name, entity: reread.entity, path: reread.path },
      created: { id: created.id, state: created.state, path: created.path, entity: created.entity, project: created.project },
      read,
    });
    // The same shape once the names are swapped; storage ids and times differ by nature.
    const swap = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value)
          .replaceAll('parity-py', 'parity-ts')
          .replaceAll('pyrun001', 'tsrun001')
          .replace(/"(storage_id|created_at|heartbeat_at)":"[^"]*"/g, '"$1":"-"'),
      ) as unknown;
    expect(swap(py)).toEqual(swap(ours));
    // And each side reads the other's run the same way.
    const crossPy = (await p.python('run_props', { path: 'demo/parity-ts', ids: ['tsrun001'] })) as { run: Record<string, unknown> };
    expect(crossPy.run.tsrun001).toEqual(read);
    expect((py as { read: unknown }).read).toEqual(await attempt(async () => runFields(await api.run('demo/parity-py/pyrun001'))));
  });
});
