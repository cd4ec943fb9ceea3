// Whole sweep workflows driven by the unmodified Python SDK against our server (parity/py/sweep_workflow.py):
// wandb.sweep(config) → wandb.agent(sweep_id, function=train, count=N) whose train() calls wandb.init(),
// reads wandb.config and logs; the server's own grid/random controller answers the agent's heartbeats.
// Then Python's wandb.Api and our Api read the sweep back and must agree. Also a launch sweep:
// `wandb launch-sweep` and Sweep.enqueue_run (parity/py/launch_sweep.py); and the command-line agent,
// `wandb agent --count N` running the sweep's program (parity/py/sweep_cli_agent.py).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunQueue } from '@wandb-api/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from 'wandb-api';
import { runFields } from './fields';
import { attempt, normalize, type Parity, startParity } from './harness';

let p: Parity;
let api: Api;

beforeAll(async () => {
  p = await startParity('empty');
  api = p.api();
});
afterAll(() => p?.stop());

interface Trained {
  id: string;
  config: Record<string, unknown>;
  sweep_id: string;
}

interface Read {
  id: string;
  state: string;
  expected_run_count: number | null;
  runs: { id: string; state: string; config: Record<string, unknown>; loss: number; sweep_name: string }[];
  best_run: unknown;
  prior_runs: string[];
  [key: string]: unknown;
}

interface Workflow {
  sweep_id: string;
  state_before_agent: { ok: string };
  trained: Trained[];
  read: { ok: Read } | { error: string; message: string };
}

/** What our Api reads of the sweep, in the shape sweep_workflow.py's `read` prints. */
async function ours(entity: string, project: string, id: string): Promise<unknown> {
  return attempt(async () => {
    const sweep = await api.sweep(`${entity}/${project}/${id}`);
    const runs = (await sweep.runs().toArray()).sort((a, b) => (a.id < b.id ? -1 : 1));
    const best = await sweep.bestRun();
    return {
      id: sweep.id,
      name: sweep.name,
      state: sweep.state,
      best_loss: sweep.bestLoss,
      method: sweep.config.method,
      expected_run_count: sweep.expectedRunCount,
      order: sweep.order,
      url: sweep.url,
      runs: runs.map((r) => ({ id: r.id, state: r.state, config: r.config, loss: r.summary.loss, sweep_name: r.sweepName })),
      best_run: best && runFields(best),
      prior_runs: (await sweep.priorRuns()).map((r) => r.id).sort(),
    };
  });
}

const read = (w: Workflow): Read => {
  if (!('ok' in w.read)) throw new Error(`Python could not read the sweep: ${w.read.message}`);
  return w.read.ok;
};

describe('sweeps driven by the Python SDK', () => {
  it('grid with nested parameters and a prior run: the agent runs the rest of the grid in order, then the sweep finishes by itself', async () => {
    const entity = p.server.entity;
    const project = 'grid-sweep';
    // A run from before the sweep that already stands on the first grid point.
    p.server.store.createRun({ entity, project, name: 'prior01', config: { lr: 0.1, opt: { beta: 1, eps: 1e-8 } }, summary: { loss: 9 } });
    const config = {
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: {
        lr: { values: [0.1, 0.01] },
        opt: { parameters: { beta: { values: [1, 2] }, eps: { value: 1e-8 } } },
      },
    };
    const py = (await p.python('sweep_workflow', { entity, project, config, count: null, prior_runs: ['prior01'], heartbeat_seconds: 0.5 })) as Workflow;

    expect(py.state_before_agent).toEqual({ ok: 'PENDING' });
    // The grid in W&B's order (keys sorted, the last axis fastest), the prior run's point skipped.
    expect(py.trained.map((t) => t.config)).toEqual([
      { lr: 0.1, opt: { beta: 2, eps: 1e-8 } },
      { lr: 0.01, opt: { beta: 1, eps: 1e-8 } },
      { lr: 0.01, opt: { beta: 2, eps: 1e-8 } },
    ]);
    expect(py.trained.every((t) => t.sweep_id === py.sweep_id)).toBe(true);

    const python = read(py);
    expect(python).toMatchObject({ state: 'FINISHED', expected_run_count: 4, prior_runs: ['prior01'] });
    // The least loss any run of the sweep logged (the prior run's 9 is not the sweep's).
    expect(python.best_loss).toBe(Math.min(...python.runs.map((r) => r.loss)));
    expect(python.runs.map((r) => r.id)).toEqual(py.trained.map((t) => t.id).sort());
    expect(python.runs.every((r) => r.state === 'finished' && r.sweep_name === py.sweep_id)).toBe(true);
    expect(await ours(entity, project, py.sweep_id)).toEqual({ ok: normalize(python) });

    const agents = await (await api.sweep(`${entity}/${project}/${py.sweep_id}`)).agents();
    expect(agents).toHaveLength(1);
    expect(agents[0]!.totalRuns).toBe(3);
  });

  it('random with count=3: the agent stops after three runs, each sampled within its distribution', async () => {
    const entity = p.server.entity;
    const project = 'random-sweep';
    const config = {
      method: 'random',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: {
        lr: { min: 0.001, max: 0.1 },
        opt: { parameters: { beta: { values: [1, 2, 3] } } },
        batch: { distribution: 'int_uniform', min: 16, max: 64 },
      },
    };
    const py = (await p.python('sweep_workflow', { entity, project, config, count: 3, prior_runs: null, heartbeat_seconds: 0.5 })) as Workflow;

    expect(py.trained).toHaveLength(3);
    for (const { config: c } of py.trained) {
      expect(c.lr as number).toBeGreaterThanOrEqual(0.001);
      expect(c.lr as number).toBeLessThanOrEqual(0.1);
      expect([1, 2, 3]).toContain((c.opt as { beta: number }).beta);
      expect(Number.isInteger(c.batch) && (c.batch as number) >= 16 && (c.batch as number) <= 64).toBe(true);
    }
    const python = read(py);
    // A random sweep has no end of its own: the agent stopped, the sweep runs on.
    expect(python).toMatchObject({ state: 'RUNNING', expected_run_count: null, prior_runs: [] });
    expect(python.runs).toHaveLength(3);
    expect(await ours(entity, project, py.sweep_id)).toEqual({ ok: normalize(python) });
  });
});

interface CliAgent {
  code: number;
  output: string;
  sweep_id: string;
  read: { ok: { state: string; runs: { id: string; state: string; config: Record<string, unknown>; loss: number }[] } };
  paused: { code: number; state: string };
  stopped: { code: number; state: string };
}

describe('the command-line agent', () => {
  it('wandb agent --count 2 runs the sweep program twice with the grid parameters as flags; wandb sweep --pause/--stop', async () => {
    const entity = p.server.entity;
    const project = 'cli-agent';
    const dir = mkdtempSync(join(tmpdir(), 'parity-cli-agent-'));
    try {
      const config = { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { values: [0.1, 0.01, 0.001] } } };
      const py = (await p.python('sweep_cli_agent', { entity, project, dir, config, count: 2 })) as CliAgent;
      expect(py.code, py.output).toBe(0);
      const { state, runs } = py.read.ok;
      expect(state).toBe('RUNNING');
      expect(runs.map((r) => [r.state, r.config.lr, r.loss]).sort()).toEqual([
        ['finished', 0.01, 0.02],
        ['finished', 0.1, 0.2],
      ]);
      const sweep = await api.sweep(`${entity}/${project}/${py.sweep_id}`);
      const ours = (await sweep.runs().toArray()).map((r) => ({ id: r.id, state: r.state, config: r.config, loss: r.summary.loss }));
      expect(normalize(ours.sort((a, b) => (a.id < b.id ? -1 : 1)))).toEqual(runs);
      expect(py.paused).toEqual({ code: 0, state: 'PAUSED' });
      expect(py.stopped).toEqual({ code: 0, state: 'FINISHED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface LaunchSweep {
  cli: { code: number; output: string };
  sweep_id: string;
  first: { ok: string };
  second: { ok: string };
  read: { ok: { state: string; method: string; runs: Record<string, unknown>[]; queue_items: string[] } };
}

describe('a launch sweep driven by the Python CLI', () => {
  it('wandb launch-sweep queues the scheduler; Sweep.enqueue_run puts pending runs in the sweep and on the queue; ours reads the same', async () => {
    const entity = p.server.entity;
    const project = 'launch-sweep';
    createRunQueue(p.server.store, { entity, name: 'sweep-queue', type: 'local-process' });
    const dir = mkdtempSync(join(tmpdir(), 'parity-launch-sweep-'));
    try {
      const config = { method: 'random', image_uri: 'python:3.11', metric: { name: 'loss' }, parameters: { lr: { values: [0.1, 0.01] } } };
      const py = (await p.python('launch_sweep', { entity, project, queue: 'sweep-queue', dir, config })) as LaunchSweep;
      expect(py.cli.code, py.cli.output).toBe(0);
      const { state, runs, queue_items: items } = py.read.ok;
      // launch-sweep creates it PENDING; the scheduler (not run here) would start it.
      expect(state).toBe('PENDING');
      expect(runs).toEqual(
        [
          { id: py.first.ok, state: 'pending', config: { lr: 0.5, epochs: 2 }, display_name: 'by-hand', sweep_name: py.sweep_id },
          { id: py.second.ok, state: 'pending', config: { lr: 0.25 }, display_name: py.second.ok, sweep_name: py.sweep_id },
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
      // The scheduler's launch spec and one item per enqueued run.
      expect(items).toHaveLength(3);

      const sweep = await api.sweep(`${entity}/${project}/${py.sweep_id}`);
      expect(sweep.state).toBe('PENDING');
      const ours = (await sweep.runs().toArray())
        .map((r) => ({ id: r.id, state: r.state, config: r.config, display_name: r.displayName, sweep_name: r.sweepName }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(normalize(ours)).toEqual(runs);
      const queue = await api.runQueue(entity, 'sweep-queue');
      expect((await queue.items().toArray()).map((i) => i.id).sort()).toEqual([...items].sort());
      const specs = await Promise.all((await queue.items().toArray()).map(async (i) => (await i.item()).runSpec as Record<string, unknown>));
      expect(specs.map((s) => s.run_id).sort()).toEqual([py.first.ok, py.second.ok, py.sweep_id].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
