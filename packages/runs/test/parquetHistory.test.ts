// scanHistory over parquet history exports (Run.parquetHistory: presigned parquet files + live
// rows) against the local server: the same run read both ways gives the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WandbClient } from '@wandb-api/core';
import { type HistoryRow, type ScanHistoryOptions, scanHistory } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const path = (run: string) => `${server.entity}/pq/${run}`;

const collect = async (rows: AsyncIterable<HistoryRow>): Promise<HistoryRow[]> => {
  const out: HistoryRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

// Steps 0..1199 (no gaps) plus sparse and odd-typed keys:
// loss every step with NaN/±Infinity; val_loss every 50 steps; acc on odd steps; tag (string) every
// 7; done (boolean) every 100; media (object) every 300; maybe: logged null on even steps, a number
// on odd ones (mixed → JSON column); hist: arrays every 400.
const rows = Array.from({ length: 1200 }, (_, step) => ({
  _step: step,
  _runtime: step / 4,
  _timestamp: 1.7e9 + step,
  loss: step === 3 ? NaN : step === 4 ? Infinity : step === 5 ? -Infinity : 1 / (step + 1),
  ...(step % 50 === 0 ? { val_loss: step / 1000 } : {}),
  ...(step % 2 === 1 ? { acc: step / 1200 } : {}),
  ...(step % 7 === 0 ? { tag: `t${step}` } : {}),
  ...(step % 100 === 0 ? { done: step % 200 === 0 } : {}),
  ...(step % 300 === 0 ? { media: { _type: 'image-file', path: `media/${step}.png`, size: step, score: NaN } } : {}),
  ...(step % 10 === 0 ? { maybe: step % 20 === 0 ? null : step } : {}),
  ...(step % 400 === 0 ? { hist: [1, 2, Infinity] } : {}),
}));
const LIVE_FROM = 900;

let tailRun = 0;

beforeAll(async () => {
  server = await startTestServer({ historyExports: 'finished' });
  client = testClient(server);
  server.store.createRun({ entity: server.entity, project: 'pq', name: 'done', history: rows });
  tailRun = server.store.createRun({ entity: server.entity, project: 'pq', name: 'tail', history: rows }).internalId;
  server.store.createRun({ entity: server.entity, project: 'pq', name: 'running', state: 'running', history: rows.slice(0, 50) });
});
afterAll(() => server.stop());

const SCANS: [string, ScanHistoryOptions][] = [
  ['every key', { pageSize: 256 }],
  ['keys, match all', { keys: ['loss', 'acc'], pageSize: 300 }],
  ['keys, match any', { keys: ['val_loss', 'tag', 'media'], match: 'any', pageSize: 500 }],
  ['sparse keys, all, window', { keys: ['val_loss', 'done', 'maybe'], minStep: 100, maxStep: 1001 }],
  ['JSON columns', { keys: ['media', 'hist', 'maybe'], match: 'any' }],
  ['window inside', { minStep: 890, maxStep: 910, pageSize: 7 }],
  ['a key never logged', { keys: ['loss', 'nope'], onWarning: () => {} }],
];

describe('scanHistory over parquet exports', () => {
  it.each(SCANS)('gives the GraphQL rows (%s) for a finished run', async (_, opts) => {
    const viaGraphql = await collect(scanHistory(client, path('done'), { ...opts, parquet: false }));
    server.clearRequests();
    const viaParquet = await collect(scanHistory(client, path('done'), opts));
    expect(viaParquet).toEqual(viaGraphql);
    // Every row came from parquet: no history request, and storage saw no credentials.
    expect(requestsFor(server, 'RunHistory')).toHaveLength(0);
    expect(requestsFor(server, 'RunSampledHistory')).toHaveLength(0);
    const storage = server.requests.filter((r) => r.origin === 'storage');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((r) => !r.hasAuthorization && r.status === 206)).toBe(true);
  });

  it('keeps NaN, ±Infinity, logged nulls, objects and arrays', async () => {
    const got = await collect(scanHistory(client, path('done'), { keys: ['loss', 'media', 'maybe', 'hist'], match: 'any', maxStep: 401 }));
    const byStep = new Map(got.map((r) => [r._step, r]));
    expect(byStep.get(3)?.loss).toBeNaN();
    expect(byStep.get(4)?.loss).toBe(Infinity);
    expect(byStep.get(5)?.loss).toBe(-Infinity);
    expect(byStep.get(20)).toEqual({ _step: 20, loss: 1 / 21, maybe: null });
    expect(byStep.get(30)).toEqual({ _step: 30, loss: 1 / 31, maybe: 30 });
    expect(byStep.get(300)?.media).toEqual({ _type: 'image-file', path: 'media/300.png', size: 300, score: NaN });
    expect(byStep.get(400)?.hist).toEqual([1, 2, Infinity]);
    expect(got).toHaveLength(401);
  });

  it('reads only the live tail through GraphQL', async () => {
    server.store.historyExports.write(tailRun, LIVE_FROM);
    for (const [, opts] of SCANS) {
      const viaGraphql = await collect(scanHistory(client, path('tail'), { ...opts, parquet: false }));
      server.clearRequests();
      const mixed = await collect(scanHistory(client, path('tail'), opts));
      expect(mixed).toEqual(viaGraphql);
      // Live windows start at the export point.
      const live = [...requestsFor(server, 'RunHistory'), ...requestsFor(server, 'RunSampledHistory')];
      const reachesLive = (opts.maxStep ?? Infinity) > LIVE_FROM;
      expect(live.length > 0).toBe(reachesLive);
    }
  });

  it('leaves running runs live, and re-exports a finished run whose history grew', async () => {
    server.clearRequests();
    expect(await collect(scanHistory(client, path('running')))).toEqual(rows.slice(0, 50));
    expect(server.requests.filter((r) => r.origin === 'storage')).toHaveLength(0);

    const extra = { _step: 1200, loss: 0.5, fresh: 'yes' };
    const { internalId } = server.store.createRun({ entity: server.entity, project: 'pq', name: 'grows', history: rows.slice(0, 10) });
    expect(await collect(scanHistory(client, path('grows')))).toEqual(rows.slice(0, 10));
    server.store.history.append(internalId, [extra]);
    server.clearRequests();
    expect(await collect(scanHistory(client, path('grows')))).toEqual([...rows.slice(0, 10), extra]);
    expect(requestsFor(server, 'RunHistory')).toHaveLength(0);
  });

  it('falls back to GraphQL when exports are off', async () => {
    const off = await startTestServer();
    try {
      off.store.createRun({ entity: off.entity, project: 'pq', name: 'done', history: rows.slice(0, 100) });
      const got = await collect(scanHistory(testClient(off), `${off.entity}/pq/done`));
      expect(got).toEqual(rows.slice(0, 100));
      expect(off.requests.filter((r) => r.origin === 'storage')).toHaveLength(0);
    } finally {
      await off.stop();
    }
  });
});

describe('column projection', () => {
  it('fetches only the footer and the byte ranges of _step and the keys', async () => {
    // Wide, incompressible rows make a file of several MB; one key is a small part of it.
    const wide = Array.from({ length: 40_000 }, (_, step) => {
      const row: Record<string, number> = { _step: step };
      for (let k = 0; k < 12; k++) row[`m${k}`] = Math.sin(step * (k + 1.37)) * 1e3 + step / (k + 1);
      return row;
    });
    const { internalId } = server.store.createRun({ entity: server.entity, project: 'pq', name: 'wide', history: wide });
    let storageBytes = 0;
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith(server.storageUrl)) return res;
      const body = await res.arrayBuffer();
      storageBytes += body.byteLength;
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const viaParquet = await collect(scanHistory(testClient(server, { fetch: counting }), path('wide'), { keys: ['m3'] }));
    expect(viaParquet).toEqual(wide.map((r) => ({ _step: r._step, m3: r.m3 })));
    const fileSize = server.store.historyExports.current(internalId)?.blob.size ?? 0;
    expect(fileSize).toBeGreaterThan(3_000_000);
    expect(storageBytes).toBeLessThan(fileSize / 3);
  });
});
