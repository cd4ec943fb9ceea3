// Run history through @wandb-api/runs against the local server: sampled (getHistory) and exact (scanHistory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ValidationError, type WandbClient } from '@wandb-api/core';
import { getHistory, getHistoryKeys, scanHistory, type HistoryRow } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
let path: (run: string) => string;

const collect = async (rows: AsyncIterable<HistoryRow>): Promise<HistoryRow[]> => {
  const out: HistoryRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

// `long`: steps 0..2499, loss every step, val_loss every 100 steps, acc on odd steps.
const LONG = Array.from({ length: 2500 }, (_, step) => ({
  _step: step,
  _runtime: step / 10,
  loss: 1 / (step + 1),
  ...(step % 100 === 0 ? { val_loss: step / 1000 } : {}),
  ...(step % 2 === 1 ? { acc: step / 2500 } : {}),
}));
// `late`: steps 5000..7000 only; a few non-finite values.
const LATE = Array.from({ length: 2001 }, (_, i) => {
  const step = 5000 + i;
  const loss = step === 5001 ? NaN : step === 5002 ? Infinity : step === 5003 ? -Infinity : step / 1e4;
  return { _step: step, loss, ...(step % 500 === 0 ? { lr: 0.1 } : {}) };
});
const SYSTEM = Array.from({ length: 30 }, (_, i) => ({ _runtime: i * 2, _timestamp: 1.7e9 + i * 2, 'system.cpu': 10 + i, 'system.gpu.0.gpu': 50 }));

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  path = (run) => `${server.entity}/hist/${run}`;
  server.store.createRun({ entity: server.entity, project: 'hist', name: 'long', history: LONG, events: SYSTEM });
  server.store.createRun({ entity: server.entity, project: 'hist', name: 'late', history: LATE });
  server.store.createRun({ entity: server.entity, project: 'hist', name: 'blank' });
});
afterAll(() => server.stop());

describe('getHistoryKeys', () => {
  it('reports every logged key and the last step', async () => {
    const { keys, lastStep } = await getHistoryKeys(client, path('long'));
    expect(lastStep).toBe(2499);
    expect(Object.keys(keys).sort()).toEqual(['_runtime', '_step', 'acc', 'loss', 'val_loss']);
    expect(await getHistoryKeys(client, path('blank'))).toEqual({ keys: {}, lastStep: -1 });
  });
});

describe('getHistory (sampled)', () => {
  it('without keys: every row when there are fewer than samples, else samples rows keeping first and last', async () => {
    const few = await getHistory(client, path('long'), { samples: 5000 });
    expect(few).toEqual(LONG);
    const sampled = await getHistory(client, path('long'), { samples: 11 });
    expect(sampled).toHaveLength(11);
    expect(sampled[0]).toEqual(LONG[0]);
    expect(sampled[10]).toEqual(LONG[2499]);
    expect(sampled.map((r) => r._step)).toEqual([...sampled.map((r) => r._step as number)].sort((a, b) => a - b));
    expect(await getHistory(client, path('long'))).toHaveLength(500); // Python's default
  });

  it('with keys: only rows holding them, only those keys, x axis prepended', async () => {
    const rows = await getHistory(client, path('long'), { keys: ['val_loss'], samples: 1000 });
    expect(rows).toEqual(LONG.filter((r) => 'val_loss' in r).map((r) => ({ _step: r._step, val_loss: r.val_loss })));
    const [sent] = requestsFor(server, 'RunSampledHistory').slice(-1);
    expect(sent).toBeTruthy();
    const byRuntime = await getHistory(client, path('long'), { keys: ['val_loss'], xAxis: '_runtime', samples: 3 });
    expect(byRuntime).toEqual([
      { _runtime: 0, val_loss: 0 },
      { _runtime: 120, val_loss: 1.2 },
      { _runtime: 240, val_loss: 2.4 },
    ]);
  });

  it('NaN and ±Infinity are numbers on every path: JSON-string lines, JSON rows ("NaN" strings on the wire), scans', async () => {
    const lines = await getHistory(client, path('late'), { samples: 10_000 });
    expect(lines.slice(1, 4).map((r) => r.loss)).toEqual([NaN, Infinity, -Infinity]);
    const parsed = await getHistory(client, path('late'), { keys: ['loss'], samples: 10_000 });
    expect(parsed.slice(1, 4).map((r) => r.loss)).toEqual([NaN, Infinity, -Infinity]);
    const scanned = await collect(scanHistory(client, path('late'), { maxStep: LATE[4]!._step as number }));
    expect(scanned.slice(1, 4).map((r) => r.loss)).toEqual([NaN, Infinity, -Infinity]);
    const scannedKeys = await collect(scanHistory(client, path('late'), { keys: ['loss'], maxStep: LATE[4]!._step as number }));
    expect(scannedKeys.slice(1, 4).map((r) => r.loss)).toEqual([NaN, Infinity, -Infinity]);
  });

  it("stream 'system' reads the system metrics", async () => {
    expect(await getHistory(client, path('long'), { stream: 'system' })).toEqual(SYSTEM);
    const few = await getHistory(client, path('long'), { stream: 'system', samples: 4 });
    expect(few.map((r) => r._runtime)).toEqual([0, 20, 38, 58]);
  });
});

describe('scanHistory (every row)', () => {
  it('gives exactly every row in step order across many windows in flight', async () => {
    server.clearRequests();
    const rows = await collect(scanHistory(client, path('long'), { pageSize: 100, concurrency: 6 }));
    expect(rows).toEqual(LONG);
    expect(requestsFor(server, 'RunHistory')).toHaveLength(25);
  });

  it('adds windows while round trips are slow, up to concurrency, halves them on a 429 and not on a 500', async () => {
    const windowsInFlight = () => Math.max(...requestsFor(server, 'RunSampledHistory').map((r) => r.inFlight));
    server.faults.add({ latencyMs: 40, operationName: 'RunSampledHistory' });
    try {
      // 25 windows of 100 steps: a remote server's round trips fill up to 12 slots (from 4).
      server.clearRequests();
      expect(await collect(scanHistory(client, path('long'), { keys: ['loss'], pageSize: 100, concurrency: 12 }))).toHaveLength(2500);
      expect(windowsInFlight()).toBeGreaterThan(8);
      expect(windowsInFlight()).toBeLessThanOrEqual(12);
      // A 429 on every window at first: the scan halves its windows, and grows back a window a round.
      server.clearRequests();
      server.faults.add({ status: 429, retryAfter: 0, count: 8, operationName: 'RunSampledHistory' });
      const rows = await collect(scanHistory(client, path('long'), { keys: ['loss'], pageSize: 100, concurrency: 12 }));
      expect(rows.map((r) => r._step)).toEqual(LONG.map((r) => r._step));
      expect(Math.max(...requestsFor(server, 'RunSampledHistory').slice(0, 12).map((r) => r.inFlight))).toBeLessThanOrEqual(4);
      expect(windowsInFlight()).toBeLessThanOrEqual(8);
      // A 500 is retried without shrinking them: only 429 and 503 say "slow down".
      server.clearRequests();
      server.faults.add({ status: 500, count: 8, operationName: 'RunSampledHistory' });
      expect(await collect(scanHistory(client, path('long'), { keys: ['loss'], pageSize: 100, concurrency: 12 }))).toHaveLength(2500);
      expect(windowsInFlight()).toBeGreaterThan(8);
    } finally {
      server.faults.clear();
    }
  });

  it('windows behind a slow one go on (up to concurrency of them wait for it), rows still in step order', async () => {
    server.clearRequests();
    // The first window's answer takes 400 ms; the others come at once.
    server.faults.add({ latencyMs: 400, count: 1, operationName: 'RunSampledHistory' });
    try {
      const rows = await collect(scanHistory(client, path('long'), { keys: ['loss'], pageSize: 100, concurrency: 4 }));
      expect(rows.map((r) => r._step)).toEqual(LONG.map((r) => r._step));
      const windows = requestsFor(server, 'RunSampledHistory');
      const slowUntil = windows[0]!.at + 400;
      // 4 at work while it waits, and 4 more windows' rows held: 8 requests before it answered (was 4).
      expect(windows.filter((r) => r.at < slowUntil - 50)).toHaveLength(8);
    } finally {
      server.faults.clear();
    }
  });

  it('with keys and steps that do not start at 0', async () => {
    const rows = await collect(scanHistory(client, path('late'), { keys: ['loss'], pageSize: 300 }));
    expect(rows.map((r) => r._step)).toEqual(LATE.map((r) => r._step));
    expect(rows.slice(0, 4).map((r) => r.loss)).toEqual([0.5, NaN, Infinity, -Infinity]);
    expect(Object.keys(rows[10]!)).toEqual(['_step', 'loss']);
  });

  it('minStep is inclusive and maxStep exclusive, with or without keys', async () => {
    const all = await collect(scanHistory(client, path('late'), { minStep: 5990, maxStep: 6010, pageSize: 7 }));
    expect(all.map((r) => r._step)).toEqual(Array.from({ length: 20 }, (_, i) => 5990 + i));
    const keyed = await collect(scanHistory(client, path('late'), { keys: ['lr'], minStep: 5500, maxStep: 6500, pageSize: 64 }));
    expect(keyed).toEqual([
      { _step: 5500, lr: 0.1 },
      { _step: 6000, lr: 0.1 },
    ]);
    // maxStep past the last step is clamped to it.
    expect(await collect(scanHistory(client, path('late'), { minStep: 6999, maxStep: 99_999 }))).toHaveLength(2);
  });

  it("sparse keys: match 'all' needs every key in a row, 'any' merges rows holding one", async () => {
    const both = await collect(scanHistory(client, path('long'), { keys: ['val_loss', 'acc'], pageSize: 500 }));
    expect(both).toEqual([]); // val_loss on even steps, acc on odd ones
    const either = await collect(scanHistory(client, path('long'), { keys: ['val_loss', 'acc'], match: 'any', pageSize: 500 }));
    const expected = LONG.filter((r) => 'val_loss' in r || 'acc' in r).map((r) => ({
      _step: r._step,
      ...('val_loss' in r ? { val_loss: r.val_loss } : {}),
      ...('acc' in r ? { acc: r.acc } : {}),
    }));
    expect(either).toEqual(expected);
    const withLoss = await collect(scanHistory(client, path('long'), { keys: ['loss', 'val_loss'] }));
    expect(withLoss).toHaveLength(25);
  });

  it('warns when nothing matched: keys never together, or a key never logged', async () => {
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    await collect(scanHistory(client, path('long'), { keys: ['val_loss', 'acc'], onWarning }));
    await collect(scanHistory(client, path('long'), { keys: ['loss', 'nope'], onWarning }));
    await collect(scanHistory(client, path('long'), { keys: ['loss'], onWarning }));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("match: 'any'");
    expect(warnings[1]).toContain('nope was never logged');
  });

  it('an empty history or an empty range yields nothing, without a window request', async () => {
    server.clearRequests();
    expect(await collect(scanHistory(client, path('blank')))).toEqual([]);
    expect(await collect(scanHistory(client, path('long'), { minStep: 3000 }))).toEqual([]);
    expect(requestsFor(server, 'RunHistory')).toHaveLength(0);
  });

  it('toArray({ limit }) sends one window request; a break requests nothing more; a scan iterates again', async () => {
    server.clearRequests();
    const scan = scanHistory(client, path('long'), { pageSize: 100, parquet: false });
    expect(await scan.toArray({ limit: 5 })).toEqual(LONG.slice(0, 5));
    expect(requestsFor(server, 'RunHistory')).toHaveLength(1);
    server.clearRequests();
    for await (const row of scanHistory(client, path('long'), { pageSize: 100, concurrency: 1, parquet: false })) {
      expect(row._step).toBe(0);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(requestsFor(server, 'RunHistory')).toHaveLength(1);
    expect(await scan.toArray()).toEqual(LONG);
    expect(await scan.toArray()).toEqual(LONG);
  });

  it('an AbortSignal stops the scan', async () => {
    const controller = new AbortController();
    const seen: HistoryRow[] = [];
    server.clearRequests();
    const scan = async () => {
      for await (const row of scanHistory(client, path('long'), { pageSize: 10, concurrency: 2, signal: controller.signal })) {
        seen.push(row);
        if (seen.length === 15) controller.abort();
      }
    };
    await expect(scan()).rejects.toBeInstanceOf(AbortError);
    expect(seen.length).toBeLessThanOrEqual(20);
    expect(requestsFor(server, 'RunHistory').length).toBeLessThan(10);
  });

  it('bad arguments are a ValidationError before any request', async () => {
    server.clearRequests();
    const p = path('long');
    const bad: (() => unknown)[] = [
      () => scanHistory(client, p, { keys: 'loss' as unknown as string[] }),
      () => scanHistory(client, p, { keys: [''] }),
      () => scanHistory(client, p, { pageSize: 0 }),
      () => scanHistory(client, p, { minStep: -1 }),
      () => scanHistory(client, p, { maxStep: 1.5 }),
      () => scanHistory(client, p, { concurrency: 0 }),
      () => scanHistory(client, p, { match: 'some' as 'all' }),
      () => scanHistory(client, 'a/b/c/d/e'),
    ];
    for (const call of bad) expect(call).toThrow(ValidationError);
    await expect(getHistory(client, p, { samples: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(getHistory(client, p, { keys: ['loss'], stream: 'system' })).rejects.toBeInstanceOf(ValidationError);
    await expect(getHistory(client, p, { keys: [1 as unknown as string] })).rejects.toBeInstanceOf(ValidationError);
    await expect(getHistory(client, p, { stream: 'gpu' as 'system' })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toEqual([]);
  });
});
