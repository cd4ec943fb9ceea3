// The run lifecycle with the unmodified Python SDK (parity/py/run_lifecycle.py): Run.update_state
// against W&B's transition rules (a refused one is a GraphQL error: Python raises, our updateState
// returns false), and a project named with a space that wandb.init creates, read back by both APIs
// with the same percent-encoded run links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { runFields } from './fields';
import { normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('empty');
  api = p.api();
});
afterAll(() => p?.stop());

interface Result<T> {
  ok?: T;
  error?: string;
  message?: string;
}

interface Py {
  refused: Result<unknown>;
  allowed: Result<{ returned: boolean; local_state: string; server_state: string }>;
  spaced: Result<{ sdk_url: string; run: Record<string, unknown>; runs: string[]; project: { name: string; path: string[]; url: string } }>;
}

describe('run lifecycle', () => {
  it('update_state: the refusal is an "invalid state transition" error; spaces in a project name survive every link', async () => {
    const entity = p.server.entity;
    for (const [name, state] of [
      ['py-finished', 'finished'],
      ['py-failed', 'failed'],
      ['ts-finished', 'finished'],
      ['ts-failed', 'failed'],
    ] as const) {
      p.server.store.createRun({ entity, project: 'states', name, state });
    }
    const project = 'my project';
    const py = (await p.python('run_lifecycle', {
      entity,
      refused: `${entity}/states/py-finished`,
      allowed: `${entity}/states/py-failed`,
      project,
    })) as Py;

    // Python raises on the server's error (normalize_exceptions makes it a CommError).
    expect(py.refused).toMatchObject({ error: 'CommError', message: expect.stringContaining('invalid state transition') });
    expect(py.allowed).toEqual({ ok: { returned: true, local_state: 'pending', server_state: 'pending' } });
    // Ours: the documented boolean, false for the refusal.
    const finished = await api.run(`${entity}/states/ts-finished`);
    expect(await finished.updateState('pending')).toBe(false);
    expect((await api.run(`${entity}/states/ts-finished`)).state).toBe('finished');
    const failed = await api.run(`${entity}/states/ts-failed`);
    expect(await failed.updateState('pending')).toBe(true);
    expect((await api.run(`${entity}/states/ts-failed`)).state).toBe('pending');

    const spaced = py.spaced.ok;
    if (!spaced) throw new Error(`wandb.init(project="${project}") failed: ${py.spaced.message}`);
    const id = spaced.run.id as string;
    expect(spaced.sdk_url).toBe(`${p.server.url}/${entity}/my%20project/runs/${id}`);
    const run = await api.run(`${entity}/${project}/${id}`);
    // Documented difference: Python's Run.path percent-encodes each segment (a path its own Api.run
    // cannot read back); ours keeps the names, as Sweep.path and Project.path do in both.
    expect(spaced.run.path).toEqual([entity, 'my%20project', id]);
    expect(normalize(runFields(run))).toEqual({ ...spaced.run, path: [entity, project, id] });
    expect(run.url).toBe(spaced.sdk_url);
    expect(spaced.runs).toEqual((await api.runs(`${entity}/${project}`).toArray()).map((r) => r.id));
    const ours = await api.project(project, entity);
    expect(ours.path).toEqual(spaced.project.path);
    // Documented difference: Python's Project.url leaves the space in; ours encodes it like the run links.
    expect(spaced.project.url).toBe(`${p.server.url}/${entity}/my project/workspace`);
    expect(ours.url).toBe(`${p.server.url}/${entity}/my%20project/workspace`);
  });
});
