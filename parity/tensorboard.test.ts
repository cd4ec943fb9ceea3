// Parity of syncTensorboard: real tfevents files written by tensorboardX (pinned in
// scripts/parity-setup.mjs) in a folder with a train/ sub-folder — scalars at steps 0..N with wall
// times, text, a histogram — are synced by our Api, and the unmodified Python wandb.Api reads the
// run back: every row of scan_history must hold what the writer wrote (mapped as W&B's TensorBoard
// integration maps it, computed on the Python side with the protobuf runtime).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Parity, startParity } from './harness';

let p: Parity;
let dir: string;

const STEPS = 12;
const T0 = 1_700_000_000;

interface Written {
  files: string[];
  rows: Record<string, Record<string, unknown> & { _timestamps: number[] }>;
}

interface ReadBack {
  state: string;
  summary: Record<string, unknown>;
  scan: Record<string, unknown>[];
  files: string[];
}

beforeAll(async () => {
  p = await startParity('empty');
  dir = mkdtempSync(join(tmpdir(), 'wandb-parity-tb-'));
});
afterAll(async () => {
  await p?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tensorboard', () => {
  it("Python's scan_history reads back what tensorboardX wrote, synced by our syncTensorboard", async () => {
    const logdir = join(dir, 'logs');
    const written = (await p.python('tensorboard_write', { logdir, steps: STEPS, t0: T0 })) as Written;
    expect(written.files).toHaveLength(2);

    const result = await p.api().syncTensorboard(logdir, { project: 'tb-parity', runId: 'tbx' });
    expect(result.issues).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.rows).toBe(STEPS);

    const back = (await p.python('tensorboard_read', { path: `${p.server.entity}/tb-parity/tbx` })) as ReadBack;
    expect(back.state).toBe('finished');
    expect(back.files).toEqual([...written.files].sort());
    expect(back.scan).toHaveLength(STEPS);
    for (const [i, row] of back.scan.entries()) {
      const { _timestamps, ...values } = written.rows[String(i)]!;
      expect(row, `step ${i}`).toEqual({
        ...values,
        _step: i,
        global_step: i,
        'train/global_step': i,
        // The last event of the step (events of all files in wall-time order).
        _timestamp: Math.max(..._timestamps),
      });
    }
    const last = back.scan.at(-1)!;
    expect(back.summary).toMatchObject({ loss: last.loss, 'train/acc': last['train/acc'], _step: STEPS - 1, weights: last.weights });
    expect(back.summary['notes/text_summary']).toBe('halfway **there**');
  });
});
