// @wandb-api/runs inside an Edge Runtime VM (vitest project `edge`): listing with a filter, one
// run, sampled and scanned history, file bytes — the browser entry against the real local server.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EDGE_FILE, EDGE_STEPS } from '../../../test/edge/setup.js';
import { type EdgeSandbox, loadEdgeSdk } from '../../../test/edge/sdk.js';

const edge = inject('edge');
let box: EdgeSandbox;
let client: ReturnType<EdgeSandbox['sdk']['createClient']>;
let calls = 0;

beforeAll(() => {
  box = loadEdgeSdk();
  client = box.sdk.createClient({
    baseUrl: edge.url,
    apiKey: edge.apiKey,
    env: {},
    fetch: (input, init) => {
      calls++;
      return box.fetch(input, init);
    },
  });
});

describe('runs in the edge runtime', () => {
  it('lists runs with a filter and an order, and counts them', async () => {
    const runs = box.sdk.listRuns(client, `${edge.entity}/edge`, {
      filters: { 'config.optimizer': 'adam', state: 'finished' },
      order: '-summary_metrics.acc',
    });
    expect(await runs.count()).toBe(2);
    const all = await runs.toArray();
    expect(all.map((r) => [r.id, r.name, r.state])).toEqual([
      ['e1', 'alpha', 'finished'],
      ['e3', 'gamma', 'finished'],
    ]);
    // Pages through the injected fetch too.
    const paged = await box.sdk.listRuns(client, `${edge.entity}/edge`, { perPage: 1 }).toArray();
    expect(paged.map((r) => r.id).sort()).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(calls).toBeGreaterThan(4);
  });

  it('gets one run with decoded config and summary', async () => {
    const run = await box.sdk.getRun(client, `${edge.entity}/edge/e2`);
    expect(run).toMatchObject({ id: 'e2', name: 'beta', state: 'finished', path: [edge.entity, 'edge', 'e2'] });
    expect(run.config).toEqual({ optimizer: 'sgd', lr: 0.01 });
    expect(run.summary).toMatchObject({ acc: 0.9 });
    expect(run.lastHistoryStep).toBe(EDGE_STEPS - 1);
  });

  it('reads sampled history', async () => {
    const rows = await box.sdk.getHistory(client, `${edge.entity}/edge/e1`, { keys: ['loss'], samples: 50 });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(EDGE_STEPS);
    for (const row of rows) expect(row.loss).toBe(1 / ((row._step as number) + 1));
    const full = await box.sdk.getHistory(client, `${edge.entity}/edge/e1`, { samples: 1000 });
    expect(full).toHaveLength(EDGE_STEPS);
  });

  it('scans every history row in step order across windows', async () => {
    const steps: number[] = [];
    for await (const row of box.sdk.scanHistory(client, `${edge.entity}/edge/e3`, { keys: ['val_loss'], pageSize: 64 })) {
      expect(row.val_loss).toBe((row._step as number) / 100);
      steps.push(row._step as number);
    }
    expect(steps).toEqual(Array.from({ length: EDGE_STEPS / 10 }, (_, i) => i * 10));
  });

  it('reads a run file as bytes', async () => {
    const file = await box.sdk.getFile(client, `${edge.entity}/edge/e4`, EDGE_FILE.name);
    const bytes = await box.sdk.fetchFileBytes(client, file);
    expect(new TextDecoder().decode(bytes)).toBe(EDGE_FILE.text);
    expect(bytes.byteLength).toBe(file.size);
  });

  it('a missing run is a NotFoundError and an aborted scan is an AbortError', async () => {
    await expect(box.sdk.getHistory(client, `${edge.entity}/edge/nope`)).rejects.toBeInstanceOf(box.sdk.NotFoundError);
    const controller = new AbortController();
    const rows = box.sdk.scanHistory(client, `${edge.entity}/edge/e1`, { pageSize: 10, signal: controller.signal });
    const read: unknown[] = [];
    const error = await (async () => {
      for await (const row of rows) {
        read.push(row);
        if (read.length === 5) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(box.sdk.AbortError);
    expect(read.length).toBeLessThan(EDGE_STEPS);
  });
});
