// Parity of run writes: update (name, tags, a config key, a summary key) then a fresh re-read, and
// delete then both clients see the run missing. Each side changes its own run; the runs start
// identical, so after the same changes they must read the same (ids and storage ids swapped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { runFields } from './fields';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  // Two identical runs (ids aside) for the two clients to update; NaN in the summary must survive.
  for (const name of ['pyupd001', 'tsupd001']) {
    p.server.store.createRun({
      entity: 'demo',
      project: 'parity-update',
      name,
      displayName: 'before',
      config: { lr: 0.01, batch_size: 32, optimizer: { name: 'adam', betas: [0.9, 0.999] } },
      summary: { loss: 0.25, accuracy: 0.91, diverged: Number.NaN },
      tags: ['old'],
      createdAt: Date.UTC(2025, 2, 1),
    });
  }
});
afterAll(() => p?.stop());

/** The same JSON with the Python run's names and storage id replaced by ours. */
function swap(value: unknown, pairs: [string, string][]): unknown {
  let text = JSON.stringify(value);
  for (const [from, to] of pairs) text = text.replaceAll(from, to);
  return JSON.parse(text) as unknown;
}

describe('update', () => {
  it('name, tags, config and summary changes read back the same from both clients', async () => {
    const changes = { name: 'after-update', tags: ['new', 'parity'], lr: 0.5, x: 42 };
    const pyPath = 'demo/parity-update/pyupd001';
    const tsPath = 'demo/parity-update/tsupd001';
    const py = (await p.python('update', { path: pyPath, ...changes })) as { read: unknown };

    // Documented difference: Python assigns fields then calls update() with no arguments; ours takes
    // the changes as an object, and config/summary replace the whole object (as Python sends them).
    const run = await api.run(tsPath);
    await run.update({
      displayName: changes.name,
      tags: changes.tags,
      config: { ...run.config, lr: changes.lr },
      summary: { ...run.summary, x: changes.x },
    });
    const ours = await attempt(async () => runFields(await p.api().run(tsPath)));
    const pyRun = await api.run(pyPath);
    const pairs: [string, string][] = [
      ['pyupd001', 'tsupd001'],
      [pyRun.storageId, run.storageId],
    ];
    expect(ours).toMatchObject({
      ok: { display_name: 'after-update', tags: ['new', 'parity'], config: { lr: 0.5, batch_size: 32 }, summary: { x: 42, loss: 0.25, diverged: 'NaN' } },
    });
    // heartbeat_at moves with each write on the server; everything else must be equal.
    const drop = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/"heartbeat_at":"[^"]*"/g, '"heartbeat_at":"-"')) as unknown;
    expect(drop(swap(py.read, pairs))).toEqual(drop(ours));
    // Each client reads the run the other one changed the same way.
    expect(py.read).toEqual(await attempt(async () => runFields(await api.run(pyPath))));
    const cross = (await p.python('run_props', { path: 'demo/parity-update', ids: ['tsupd001'] })) as { run: Record<string, unknown> };
    expect(cross.run.tsupd001).toEqual(ours);
  });
});

describe('delete', () => {
  it('a run each client created and deleted is missing for both', async () => {
    const entity = 'demo';
    const project = 'parity-delete';
    await api.createRun({ runId: 'tsdel001', project, entity });
    await api.createRun({ runId: 'keep0001', project, entity });
    await (await api.run(`${entity}/${project}/tsdel001`)).delete();
    const check = ['tsdel001', 'pydel001', 'keep0001'];
    const py = (await p.python('delete', { entity, project, run_id: 'pydel001', check })) as {
      missing: Record<string, { ok?: unknown; error?: string }>;
      count: unknown;
    };
    const fresh = p.api();
    for (const id of check) {
      const ours = await attempt(async () => (await fresh.run(`${entity}/${project}/${id}`)).id);
      if (id === 'keep0001') expect(ours).toEqual({ ok: 'keep0001' });
      else expect(ours, id).toHaveProperty('error');
      if ('error' in ours) expect(py.missing[id]?.error, `Python found ${id}`).toBeDefined();
      else expect(py.missing[id]).toEqual(ours);
    }
    expect(py.count).toEqual(normalize({ ok: await fresh.runs(`${entity}/${project}`).count() }));
    expect(py.count).toEqual({ ok: 1 });
  });
});
