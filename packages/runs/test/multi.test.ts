// Many-run helpers: runHistories (bounded concurrency, tagging) and runsToRows (one paged query).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type WandbClient } from '@wandb-api/core';
import { listRuns, runHistories, runsToRows } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'multi';
let project: string;

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  project = `${server.entity}/${P}`;
  for (let i = 0; i < 6; i++) {
    server.store.createRun({
      entity: server.entity,
      project: P,
      name: `h${i}`,
      createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      state: i === 5 ? 'running' : 'finished',
      tags: i % 2 ? ['odd'] : [],
      config: { lr: 0.1 * (i + 1), model: { layers: i + 1, act: 'relu' } },
      summary: { loss: 1 / (i + 1), img: { _type: 'image-file', path: 'x.png' } },
      // h2 logs nothing: its history is skipped.
      history: i === 2 ? [] : Array.from({ length: 3 }, (_, s) => ({ loss: i + s / 10 })),
    });
  }
});
afterAll(() => server.stop());

/** A client whose fetch counts GraphQL requests of one operation in flight at once (real requests, counted). */
function countingClient(operation: string): { client: WandbClient; maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const counting: typeof fetch = async (input, init) => {
    const mine = typeof init?.body === 'string' && init.body.includes(`"operationName":"${operation}"`);
    if (mine) max = Math.max(max, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      if (mine) inFlight--;
    }
  };
  return { client: testClient(server, { fetch: counting }), maxInFlight: () => max };
}

describe('runHistories', () => {
  it('tags every row with its runId, keeps run order and skips empty histories', async () => {
    const rows = await runHistories(client, listRuns(client, project), { samples: 100 });
    expect(rows).toHaveLength(15);
    expect([...new Set(rows.map((r) => r.runId))]).toEqual(['h0', 'h1', 'h3', 'h4', 'h5']);
    expect(rows.filter((r) => r.runId === 'h4').map((r) => r.loss)).toEqual([4, 4.1, 4.2]);
  });

  it('takes paths and `keys`', async () => {
    const rows = await runHistories(client, [`${project}/h1`, `${project}/h0`], { keys: ['loss'] });
    expect(rows.map((r) => [r.runId, r._step, r.loss])).toEqual([
      ['h1', 0, 1],
      ['h1', 1, 1.1],
      ['h1', 2, 1.2],
      ['h0', 0, 0],
      ['h0', 1, 0.1],
      ['h0', 2, 0.2],
    ]);
  });

  it('never has more than `concurrency` histories in flight', async () => {
    server.faults.add({ operationName: 'RunHistory', latencyMs: 60 });
    try {
      const counted = countingClient('RunHistory');
      const runs = await listRuns(client, project).toArray();
      const rows = await runHistories(counted.client, runs, { concurrency: 2 });
      expect(rows).toHaveLength(15);
      expect(counted.maxInFlight()).toBe(2);
      const wide = countingClient('RunHistory');
      await runHistories(wide.client, runs, { concurrency: 6 });
      expect(wide.maxInFlight()).toBeGreaterThan(2);
    } finally {
      server.faults.clear();
    }
  });

  it('gets through 429s (the transport retries them)', async () => {
    server.faults.add({ operationName: 'RunHistory', status: 429, retryAfter: 0, count: 3 });
    try {
      expect(await runHistories(client, listRuns(client, project))).toHaveLength(15);
      expect(requestsFor(server, 'RunHistory').filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(3);
    } finally {
      server.faults.clear();
    }
  });

  it('refuses bad options before any request', async () => {
    server.clearRequests();
    await expect(runHistories(client, [`${project}/h0`], { concurrency: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(runHistories(client, [`${project}/h0`], { samples: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(runHistories(client, [`${project}/h0`], { keys: [''] })).rejects.toBeInstanceOf(ValidationError);
    await expect(runHistories(client, ['a/b/c/d'])).rejects.toBeInstanceOf(ValidationError);
    await expect(runHistories(client, 42 as never)).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('runsToRows', () => {
  it('makes one flat row per run from one paged query, never a query per run', async () => {
    server.clearRequests();
    const rows = await runsToRows(client, project, { perPage: 2 });
    // 3 pages; createdAt windows side by side may ask for one more.
    expect(requestsFor(server, 'Runs').length).toBeGreaterThanOrEqual(3);
    expect(requestsFor(server, 'Runs').length).toBeLessThanOrEqual(4);
    expect(requestsFor(server, 'Run')).toHaveLength(0);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatchObject({
      id: 'h1',
      name: 'h1',
      state: 'finished',
      tags: ['odd'],
      'config.lr': 0.2,
      'config.model.layers': 2,
      'config.model.act': 'relu',
      'summary.loss': 0.5,
      // W&B objects (`_type`) stay whole.
      'summary.img': { _type: 'image-file', path: 'x.png' },
    });
    expect(rows[1]!.createdAt).toBe('2026-01-02T00:00:00');
  });

  it('`columns` picks and orders; missing ones are null', async () => {
    const rows = await runsToRows(client, project, { columns: ['summary.loss', 'id', 'config.model.layers', 'nope'], filters: { state: 'running' } });
    expect(rows).toEqual([{ 'summary.loss': 1 / 6, id: 'h5', 'config.model.layers': 6, nope: null }]);
    expect(Object.keys(rows[0]!)).toEqual(['summary.loss', 'id', 'config.model.layers', 'nope']);
  });

  it('takes a full Paginated from listRuns', async () => {
    server.clearRequests();
    const rows = await runsToRows(listRuns(client, project, { full: true, perPage: 4 }), { columns: ['id', 'config.lr'] });
    expect(rows.map((r) => r.id)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'h5']);
    expect(rows[0]!['config.lr']).toBe(0.1);
    expect(requestsFor(server, 'Runs')).toHaveLength(2);
  });

  it('refuses bad columns before any request', async () => {
    server.clearRequests();
    await expect(runsToRows(client, project, { columns: 'id' as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(runsToRows(client, project, { perPage: 0 })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});
