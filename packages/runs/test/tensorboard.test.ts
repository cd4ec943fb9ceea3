// syncTensorboard against the local server: tfevents files written by the test's own encoder (root
// folder plus a train/ sub-folder, one corrupt record) become a finished run whose history, summary
// and files are read back through the public functions.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type WandbClient } from '@wandb-api/core';
import {
  type SyncTensorboardResult,
  fetchFileBytes,
  getHistory,
  getRun,
  listFiles,
  scanHistory,
  syncTensorboard,
} from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { startTestServer, testClient } from '../../../test/support.js';
import { type EventSpec, png, writeEventsFile } from './tensorboard-support.js';

let server: LocalServer;
let client: WandbClient;
let root: string;
let offsets: number[];
let result: SyncTensorboardResult;

const T0 = 1_700_000_000;
const LOSS = [1, 0.5, 0.25, 0.125, 0.0625];
const IMAGE = png(4, 3, [10, 200, 30]);
const ROOT_FILE = 'events.out.tfevents.1700000000.host.1.0';
const TRAIN_FILE = 'train/events.out.tfevents.1700000000.host.2.0';

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  root = mkdtempSync(join(tmpdir(), 'wandb-api-tb-'));
  const events: EventSpec[] = LOSS.map((loss, step) => ({ wallTime: T0 + step, step, values: [{ tag: 'loss', simple: loss }] }));
  events.push({ wallTime: T0 + 2.5, step: 2, values: [{ tag: 'notes', tensor: { dtype: 7, shape: [1], strings: ['halfway'] }, plugin: 'text' }] });
  events.push({ wallTime: T0 + 3.5, step: 3, values: [{ tag: 'weights', histo: { limits: [0, 1, 2, 3, 1e308], counts: [1, 4, 6, 4, 1] } }] });
  events.push({ wallTime: T0 + 4.5, step: 4, values: [{ tag: 'sample', image: IMAGE, width: 4, height: 3 }] });
  // Events 1 (loss at step 1) is corrupt: its data CRC is wrong.
  offsets = writeEventsFile(join(root, ROOT_FILE), events, { 1: 'data' });
  mkdirSync(join(root, 'train'));
  writeEventsFile(
    join(root, TRAIN_FILE),
    [0, 1, 2, 3, 4].map((step) => ({ wallTime: T0 + step + 0.1, step, values: [{ tag: 'acc', tensor: { dtype: 2, doubles: [step / 10] }, plugin: 'scalars' }] })),
  );
  // Not a tfevents file: ignored.
  writeFileSync(join(root, 'notes.txt'), 'hello');
  result = await syncTensorboard(client, root, { runId: 'tb1', project: 'tensorboard' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('syncTensorboard', () => {
  it('reports the corrupt record with file and offset, and what it synced', () => {
    expect(result).toMatchObject({ entity: server.entity, project: 'tensorboard', runId: 'tb1', eventFiles: [ROOT_FILE, TRAIN_FILE], rows: 5 });
    expect(result.issues).toEqual([{ file: ROOT_FILE, offset: offsets[1], message: 'data CRC mismatch; record skipped' }]);
    expect(result.skipped).toEqual([]);
  });

  it('writes one history row per TensorBoard step with its wall time; the corrupt step keeps the other file', async () => {
    const rows = [];
    for await (const row of scanHistory(client, `${server.entity}/tensorboard/tb1`)) rows.push(row);
    expect(rows.map((r) => r._step)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => r.global_step)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => r.loss)).toEqual([1, undefined, 0.25, 0.125, 0.0625]);
    expect(rows.map((r) => r['train/acc'])).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(rows.map((r) => r['train/global_step'])).toEqual([0, 1, 2, 3, 4]);
    // The last event of each step sets _timestamp.
    expect(rows.map((r) => r._timestamp)).toEqual([T0 + 0.1, T0 + 1.1, T0 + 2.5, T0 + 3.5, T0 + 4.5]);
    expect(rows[2]?.notes).toBe('halfway');
    expect(rows[3]?.weights).toEqual({ _type: 'histogram', values: [1, 4, 6, 4, 1], bins: [-1, 0, 1, 2, 3, 4] });
    expect(rows[4]?.sample).toEqual({
      _type: 'images/separated',
      width: 4,
      height: 3,
      format: 'png',
      count: 1,
      filenames: [expect.stringMatching(/^media\/images\/sample_4_[0-9a-f]{20}\.png$/)],
    });
    const sampled = await getHistory(client, `${server.entity}/tensorboard/tb1`, { keys: ['loss'] });
    expect(sampled.map((r) => [r._step, r.loss])).toEqual([
      [0, 1],
      [2, 0.25],
      [3, 0.125],
      [4, 0.0625],
    ]);
  });

  it('finishes the run with the last value of every key as its summary', async () => {
    const run = await getRun(client, `${server.entity}/tensorboard/tb1`);
    expect(run.state).toBe('finished');
    expect(run.summary).toMatchObject({ _step: 4, global_step: 4, loss: 0.0625, 'train/acc': 0.4, notes: 'halfway', _timestamp: T0 + 4.5 });
    expect(run.summary.weights).toMatchObject({ _type: 'histogram' });
  });

  it('uploads the event files (named by their path under the folder) and the image', async () => {
    const files = await listFiles(client, `${server.entity}/tensorboard/tb1`).toArray();
    const image = files.find((f) => f.name.startsWith('media/images/'));
    expect(files.map((f) => f.name).sort()).toEqual([ROOT_FILE, image?.name, TRAIN_FILE].sort());
    expect(result.files.sort()).toEqual(files.map((f) => f.name).sort());
    const tfevents = files.find((f) => f.name === ROOT_FILE);
    expect(Buffer.from(await fetchFileBytes(client, tfevents!))).toEqual(readFileSync(join(root, ROOT_FILE)));
    expect(await fetchFileBytes(client, image!)).toEqual(IMAGE);
  });

  it('syncs into an existing run id again without duplicating rows', async () => {
    const again = await syncTensorboard(client, join(root, 'train'), { runId: 'tb1', project: 'tensorboard', saveFiles: false });
    expect(again.rows).toBe(5);
    const run = await getRun(client, `${server.entity}/tensorboard/tb1`);
    expect(run.historyLineCount).toBe(5);
    // Rows are placed by _step (as W&B places lines by offset): the new rows replace the old ones.
    const rows = await getHistory(client, `${server.entity}/tensorboard/tb1`);
    expect(rows.map((r) => r.acc)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });

  it('refuses bad input before any request', async () => {
    const before = server.requests.length;
    await expect(syncTensorboard(client, '', {})).rejects.toThrow(ValidationError);
    await expect(syncTensorboard(client, join(root, 'missing'), {})).rejects.toThrow(/is not a folder/);
    const empty = mkdtempSync(join(tmpdir(), 'wandb-api-tb-empty-'));
    await expect(syncTensorboard(client, empty, {})).rejects.toThrow(/No tfevents files/);
    rmSync(empty, { recursive: true });
    await expect(syncTensorboard(client, root, { runId: '' })).rejects.toThrow(ValidationError);
    expect(server.requests.length).toBe(before);
  });
});
