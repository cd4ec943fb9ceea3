// Parity of run operations beyond reading: upload_file (then both clients list and download the
// uploaded files, bytes compared), console_logs (all, paged, last N), wait_until_finished on a run
// finished mid-wait through the server, Runs.histories vs api.runHistories, and Api.flush.
// Python 0.31 has no runs → rows/DataFrame method (only `histories(format='pandas')`), so
// api.runsToRows has no Python counterpart to compare with.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api, ConsoleLine } from 'wandb-api';
import { normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;
let dir: string;
const PROJECT = 'demo/mnist-classifier';

beforeAll(async () => {
  p = await startParity('demo');
  api = p.api();
  dir = mkdtempSync(join(tmpdir(), 'parity-runs-'));
});
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Deterministic bytes, all 256 values, so encodings cannot hide a difference. */
const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);

async function collect(lines: AsyncIterable<ConsoleLine>): Promise<ConsoleLine[]> {
  const out: ConsoleLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function firstRun(): Promise<string> {
  const [first] = (await api.runs(PROJECT, { lazy: true, perPage: 1 })).items;
  return `${PROJECT}/${first!.id}`;
}

describe('run files, logs, waiting, histories, flush', () => {
  it('upload_file / uploadFile: each client lists and downloads both uploads, same bytes', async () => {
    p.server.store.createRun({ entity: 'demo', project: 'parity-runs', name: 'uploads', state: 'running' });
    const path = 'demo/parity-runs/uploads';
    const pyBytes = bytesOf(3000, 7);
    const tsBytes = bytesOf(5000, 11);
    const py = await p.python('runfiles_logs', {
      phase: 'upload',
      path,
      dir: join(dir, 'py-src'),
      name: 'nested/py-upload.bin',
      hex: Buffer.from(pyBytes).toString('hex'),
    });
    expect(py).toEqual({ name: 'nested/py-upload.bin', size: 3000 });
    mkdirSync(join(dir, 'ts-src', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'ts-src', 'nested', 'ts-upload.bin'), tsBytes);
    const run = await api.run(path);
    const uploaded = await run.uploadFile(join(dir, 'ts-src', 'nested', 'ts-upload.bin'), join(dir, 'ts-src'));
    expect([uploaded.name, uploaded.size]).toEqual(['nested/ts-upload.bin', 5000]);

    const names = ['nested/py-upload.bin', 'nested/ts-upload.bin'];
    const pyView = await p.python('runfiles_logs', { phase: 'listing', path, names, root: dir });
    const ours: Record<string, unknown> = {};
    for await (const file of run.files()) {
      if (!names.includes(file.name)) continue;
      const local = await file.download({ root: join(dir, 'ts'), replace: true });
      ours[file.name] = { size: file.size, md5: file.md5, sha256: sha256(readFileSync(local)) };
    }
    expect(ours).toEqual(pyView);
    expect(ours).toEqual({
      'nested/py-upload.bin': expect.objectContaining({ size: 3000, sha256: sha256(pyBytes) }),
      'nested/ts-upload.bin': expect.objectContaining({ size: 5000, sha256: sha256(tsBytes) }),
    });
  });

  it('console_logs / consoleLogs: all lines, paged, and the last N', async () => {
    const path = await firstRun();
    const py = await p.python('runfiles_logs', { phase: 'logs', path });
    const run = await api.run(path);
    const ours = {
      all: await collect(run.consoleLogs()),
      paged: await collect(run.consoleLogs({ perPage: 2 })),
      last: await collect(run.consoleLogs({ last: 3 })),
    };
    expect(ours.all.length).toBeGreaterThan(3);
    // Python passes the server's `level` and `label` through (wandb-core proto strings): stdout
    // lines are "info" here and a missing label is "". Ours is documented as level 'error' | ''
    // (its own docstring's promise) and label null when none: compare with those two mapped.
    type PyLine = { level: string; label: string };
    const lines = Object.values(py as Record<string, PyLine[]>).flat();
    expect(new Set(lines.map((l) => l.level))).toEqual(new Set(['info', 'error']));
    expect(new Set(lines.map((l) => l.label))).toEqual(new Set(['']));
    const mapped = Object.fromEntries(
      Object.entries(py as Record<string, PyLine[]>).map(([k, ls]) => [
        k,
        ls.map((l) => ({ ...l, level: l.level === 'error' ? 'error' : '', label: l.label === '' ? null : l.label })),
      ]),
    );
    expect(normalize(ours)).toEqual(mapped);
  });

  it('wait_until_finished: both return once the server marks the run finished', async () => {
    p.server.store.createRun({ entity: 'demo', project: 'parity-runs', name: 'waiting', state: 'running' });
    const path = 'demo/parity-runs/waiting';
    const pyWait = p.python('runfiles_logs', { phase: 'wait', path });
    const run = await api.run(path);
    const ourWait = run.waitUntilFinished({ pollMs: 200 });
    // Python polls every 5 s: let both see `running` at least once before the run finishes.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const viewer = p.server.store.primaryUser()!;
    p.server.store.upsertRun(viewer, { entityName: 'demo', modelName: 'parity-runs', name: 'waiting', state: 'finished' });
    expect(await ourWait).toBe('finished');
    expect(run.state).toBe('finished');
    expect(await pyWait).toEqual({ returned: true, state: 'finished' });
  });

  it('waitUntilFinished also stops on killed and preempted; Python keeps waiting (documented)', async () => {
    for (const state of ['killed', 'preempted']) {
      p.server.store.createRun({ entity: 'demo', project: 'parity-runs', name: `w-${state}`, state });
      const run = await api.run(`demo/parity-runs/w-${state}`);
      expect(await run.waitUntilFinished({ pollMs: 50 })).toBe(state);
    }
    // Python 0.31 stops only on finished/crashed/failed: after two polls (alarm at 7 s) it still waits.
    const py = await p.python('runfiles_logs', { phase: 'wait', path: 'demo/parity-runs/w-killed', alarm: 7 });
    expect(py).toEqual({ returned: false, state: 'killed' });
  });

  it('Runs.histories / runHistories: the same rows, tagged run_id / runId', async () => {
    const args = { path: PROJECT, filters: { state: 'finished' as const }, samples: 20, keys: ['loss'] };
    const py = (await p.python('runfiles_logs', { phase: 'histories', ...args })) as Record<string, { ok?: Record<string, unknown>[] }>;
    const retag = (rows: Record<string, unknown>[]) => rows.map(({ runId, ...row }) => ({ ...row, run_id: runId }));
    const all = await api.runHistories(PROJECT, { filters: args.filters, samples: args.samples });
    const keys = await api.runHistories(PROJECT, { filters: args.filters, samples: args.samples, keys: args.keys });
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(keys.map((row) => row.runId)).size).toBeGreaterThan(1);
    expect(normalize({ all: { ok: retag(all) }, keys: { ok: retag(keys) } })).toEqual(py);
  });

  it('flush: Python caches api.run per path until flush(); ours reads every time, flush forgets the viewer', async () => {
    p.server.store.createRun({ entity: 'demo', project: 'parity-runs', name: 'cached', tags: ['before'] });
    const path = 'demo/parity-runs/cached';
    const py = await p.python('runfiles_logs', { phase: 'flush', path, tags: ['after-py'] });
    expect(py).toEqual([['before'], ['before'], ['after-py']]);
    const seen = [(await api.run(path)).tags];
    await (await api.run(path)).update({ tags: ['after-ts'] });
    seen.push((await api.run(path)).tags);
    api.flush();
    seen.push((await api.run(path)).tags);
    expect(seen).toEqual([['after-py'], ['after-ts'], ['after-ts']]);
  });
});
