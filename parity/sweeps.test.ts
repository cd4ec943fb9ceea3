// Parity of sweeps and reports on the seeded demo project (packages/server/src/seed/sweeps.ts):
// api.sweep fields and best_run, project.sweeps() names and len, api.reports fields and spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, Sweep } from 'wandb-api';
import { runFields } from './fields';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
});
afterAll(() => p?.stop());

const sweepFields = (s: Sweep) =>
  normalize({
    id: s.id,
    name: s.name,
    config: s.config,
    method: s.method,
    state: s.state,
    expected_run_count: s.expectedRunCount,
    order: s.order,
    path: s.path,
    url: s.url,
  });

describe('sweeps', () => {
  it('api.sweep fields and best_run agree for the demo sweeps; project.sweeps() names and len', async () => {
    const paths = ['demo/mnist-classifier/k3x9q2ab', 'demo/mnist-classifier/p7m2v4cd'];
    const py = (await p.python('sweeps', { paths, project: 'demo/mnist-classifier' })) as {
      sweeps: Record<string, { fields: unknown; best_run: unknown }>;
      project_sweeps: unknown;
    };
    for (const path of paths) {
      const sweep = await api.sweep(path);
      // Documented difference: without a metric we return the most recent run, Python the oldest;
      // both demo sweeps have a metric, so the best runs must be equal.
      expect(sweep.order, path).not.toBeNull();
      expect(py.sweeps[path]!.fields, path).toEqual({ ok: sweepFields(sweep) });
      const best = await attempt(async () => {
        const run = await sweep.bestRun();
        return run && runFields(run);
      });
      expect((best as { ok: unknown }).ok, `${path} has a best run`).toBeTruthy();
      expect(py.sweeps[path]!.best_run, path).toEqual(best);
    }
    const listing = api.sweeps('demo/mnist-classifier');
    const all = await listing.toArray();
    expect(all.length).toBe(2);
    expect(py.project_sweeps).toEqual({ ok: { len: await listing.count(), names: all.map((s) => s.name), ids: all.map((s) => s.id) } });
  });
});

describe('reports', () => {
  it('api.reports gives the same ids, names, descriptions and specs (NaN normalized)', async () => {
    const paths = ['demo/mnist-classifier', 'demo/empty-project'];
    const py = (await p.python('reports', { paths })) as Record<string, unknown>;
    for (const path of paths) {
      const ours = await attempt(async () => {
        const reports = api.reports(path);
        const all = await reports.toArray();
        return {
          len: await reports.count(),
          reports: all.map((r) => ({ id: r.id, name: r.name, display_name: r.displayName, description: r.description, spec: r.spec, url: r.url })),
        };
      });
      expect(py[path], path).toEqual(ours);
    }
    const demo = py['demo/mnist-classifier'] as { ok: { len: number; reports: { spec: unknown }[] } };
    expect(demo.ok.len).toBe(2);
    expect(JSON.stringify(demo.ok.reports[0]!.spec)).toContain('"NaN"');
  });
});
