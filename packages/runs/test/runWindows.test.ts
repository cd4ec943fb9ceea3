// listRuns in createdAt windows side by side: exactly the sequential listing (order, de-dup, count,
// filters, limit, abort), no more than k requests at the server at once, fewer after a 429, and
// windows that follow the data. Against the local server over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ValidationError, type WandbClient } from '@wandb-api/core';
import { type ListRunsOptions, listRuns } from '@wandb-api/runs';
import type { LocalServer } from '@wandb-api/server';
import { requestsDuring, requestsFor, startTestServer, testClient } from '../../../test/support.js';

let server: LocalServer;
let client: WandbClient;
const P = 'windows';
let path: string;

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);
const STATES = ['finished', 'finished', 'crashed', 'running'];

/** A deterministic shuffle, so rows are inserted out of creation order (ids do not follow time). */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer();
  client = testClient(server);
  path = `${server.entity}/${P}`;
  // 1,500 runs: sparse hourly runs, a burst of two runs a second, 150 runs in one second, a sparse tail.
  const times = [
    ...Array.from({ length: 500 }, (_, i) => START + i * HOUR),
    ...Array.from({ length: 700 }, (_, i) => START + 600 * HOUR + Math.floor(i / 2) * 1000),
    ...Array.from({ length: 150 }, () => START + 700 * HOUR),
    ...Array.from({ length: 150 }, (_, i) => START + 800 * HOUR + i * 24 * HOUR),
  ];
  for (const [i, t] of shuffled(times.map((t, i) => [i, t] as const))) {
    server.store.createRun({
      entity: server.entity,
      project: P,
      name: `w${String(i).padStart(4, '0')}`,
      createdAt: new Date(t).toISOString(),
      state: STATES[i % STATES.length]!,
      config: { i },
      summary: { loss: (i * 37) % 101 },
    });
  }
});
afterAll(() => server.stop());

const ids = async (options: ListRunsOptions) => (await listRuns(client, path, options).toArray()).map((r) => r.id);

/** The Runs requests the server saw from `from` on, in arrival order. */
const runsRequests = (from = 0) => server.requests.slice(from).filter((r) => r.operationName === 'Runs');
/** The most Runs requests the server had at once. */
const mostAtOnce = () => Math.max(...runsRequests().map((r) => r.inFlight));

describe('listRuns in createdAt windows', () => {
  const FILTERS = [
    {},
    { state: 'finished' },
    { createdAt: { $gte: new Date(START + 300 * HOUR).toISOString(), $lt: new Date(START + 2000 * HOUR).toISOString() } },
    { $or: [{ state: 'crashed' }, { 'config.i': { $lt: 400 } }] },
  ];
  const ORDERS = ['+created_at', '-created_at', 'created_at', 'createdAt', '-createdAt'];

  it('gives exactly the sequential listing for every creation order and filter', async () => {
    // A few ms a page, so that requests side by side show at the server.
    server.faults.add({ latencyMs: 3, operationName: 'Runs' });
    try {
      for (const filters of FILTERS) {
        for (const order of ORDERS) {
          const sequential = await ids({ filters, order, perPage: 40, windows: 1 });
          expect(sequential.length).toBeGreaterThan(100);
          server.clearRequests();
          expect(await ids({ filters, order, perPage: 40 }), `${JSON.stringify(filters)} ${order}`).toEqual(sequential);
          // It did list in windows, side by side.
          expect(mostAtOnce()).toBeGreaterThan(1);
        }
      }
    } finally {
      server.faults.clear();
    }
  });

  it('gives exactly the sequential listing with small pages, few windows and full runs; count and pages agree', async () => {
    for (const order of ['+created_at', '-created_at']) {
      const sequential = await ids({ order, perPage: 7, windows: 1 });
      expect(sequential).toHaveLength(1500);
      expect(await ids({ order, perPage: 7, windows: 3 })).toEqual(sequential);
      const list = listRuns(client, path, { order, perPage: 97, full: true, windows: 5 });
      const pages: string[] = [];
      for await (const page of list.pages()) pages.push(...page.map((r) => r.id));
      expect(pages).toEqual(sequential);
      expect(await list.count()).toBe(1500);
    }
  });

  it('a listing of one page is one request (the last run\'s createdAt comes with the first page, when asked)', async () => {
    server.clearRequests();
    expect(await ids({ perPage: 2000 })).toHaveLength(1500);
    // Nothing still on its way: a request in flight when the listing ended would land now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map((r) => r.operationName)).toEqual(['Runs']);
  });

  it('orders not by creation page sequentially, as before', async () => {
    for (const order of ['+heartbeat_at', '-summary_metrics.loss', 'state']) {
      server.clearRequests();
      expect(await ids({ order, perPage: 200 })).toEqual(await ids({ order, perPage: 200, windows: 1 }));
      expect(mostAtOnce()).toBe(1);
    }
  });

  it('never has more than k requests at the server at once, and uses them', async () => {
    server.faults.add({ latencyMs: 15, operationName: 'Runs' });
    try {
      for (const windows of [3, 8]) {
        server.clearRequests();
        expect(await ids({ perPage: 25, windows })).toHaveLength(1500);
        const inFlight = Math.max(...runsRequests().map((r) => r.inFlight));
        expect(inFlight).toBeLessThanOrEqual(windows);
        expect(inFlight).toBeGreaterThanOrEqual(windows - 1);
      }
    } finally {
      server.faults.clear();
    }
  });

  it('halves k on a 429 (once per burst), grows it back by one a round, and still gives the sequential listing', async () => {
    const sequential = await ids({ perPage: 20, windows: 1 });
    server.faults.add({ latencyMs: 10, operationName: 'Runs' });
    try {
      server.clearRequests();
      const got: string[] = [];
      for await (const page of listRuns(client, path, { perPage: 20, windows: 8 }).pages()) {
        // The 429s hit the first window requests, while eight are in flight.
        if (got.length === 0) server.faults.add({ status: 429, retryAfter: 0, count: 6, operationName: 'Runs' });
        got.push(...page.map((r) => r.id));
      }
      expect(got).toEqual(sequential);
      expect(server.requests.filter((r) => r.status === 429).length).toBe(6);
      // Requests go in rounds (10 ms each); a round's peak is the most the server had at once.
      const requests = runsRequests();
      const afterBurst = requests.slice(requests.findLastIndex((r) => r.status === 429) + 1);
      const peaks: number[] = [];
      for (const r of afterBurst) r.inFlight === 1 || !peaks.length ? peaks.push(r.inFlight) : (peaks[peaks.length - 1] = Math.max(peaks.at(-1)!, r.inFlight));
      // After the burst's own retries, rounds run at the halved k, then grow back to 8.
      const low = peaks.findIndex((peak) => peak <= 5);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(Math.max(...peaks.slice(low))).toBe(8);
    } finally {
      server.faults.clear();
    }
  });

  it('cuts windows that turn out large: skewed data keeps k requests busy to the end', async () => {
    // 60 runs over a year, then 1,200 in the last hour: the first pages see sparse data.
    server.store.createProject({ entity: server.entity, name: 'skewed' });
    const end = START + 365 * 24 * HOUR;
    const times = [...Array.from({ length: 60 }, (_, i) => START + i * 6 * 24 * HOUR), ...Array.from({ length: 1200 }, (_, i) => end + i * 3000)];
    for (const [i, t] of times.entries()) server.store.createRun({ entity: server.entity, project: 'skewed', name: `s${i}`, createdAt: new Date(t).toISOString() });
    const skewed = `${server.entity}/skewed`;
    const sequential = (await listRuns(client, skewed, { perPage: 20, windows: 1 }).toArray()).map((r) => r.id);
    server.faults.add({ latencyMs: 10, operationName: 'Runs' });
    try {
      server.clearRequests();
      expect((await listRuns(client, skewed, { perPage: 20, windows: 6 }).toArray()).map((r) => r.id)).toEqual(sequential);
      const requests = runsRequests();
      // Sequential takes 63 requests; in the second half of ours, several windows were in flight.
      expect(requests.length).toBeLessThan(63 * 1.5);
      expect(Math.max(...requests.slice(requests.length / 2).map((r) => r.inFlight))).toBeGreaterThanOrEqual(4);
    } finally {
      server.faults.clear();
    }
  });

  it('runs created during the listing come at its end, as in the sequential listing', async () => {
    let round = 0;
    /** Lists a fresh project of 400 runs, creating 25 more when the first page has come. */
    const listWhileCreating = async (options: ListRunsOptions) => {
      const project = `growing-${round++}`;
      server.store.createProject({ entity: server.entity, name: project });
      for (let i = 0; i < 400; i++) {
        server.store.createRun({ entity: server.entity, project, name: `g${String(i).padStart(3, '0')}`, createdAt: new Date(START + i * HOUR).toISOString() });
      }
      const got: string[] = [];
      for await (const page of listRuns(client, `${server.entity}/${project}`, { perPage: 30, ...options }).pages()) {
        // Created now, as W&B creates runs: newer than every run listed so far.
        if (!got.length) for (let i = 0; i < 25; i++) server.store.createRun({ entity: server.entity, project, name: `new${String(i).padStart(2, '0')}` });
        got.push(...page.map((run) => run.id));
      }
      return got;
    };
    for (const order of ['+created_at', '-created_at']) {
      const sequential = await listWhileCreating({ order, windows: 1 });
      const windowed = await listWhileCreating({ order });
      expect(windowed).toEqual(sequential);
      expect(new Set(windowed).size).toBe(windowed.length);
      // Ascending, the new runs come last; descending, they would come first, behind the cursor.
      expect(windowed.filter((id) => id.startsWith('new'))).toHaveLength(order === '+created_at' ? 25 : 0);
    }
  });

  it('toArray({ limit }) requests no more than the limit needs', async () => {
    const sequential = await ids({ perPage: 50, windows: 1 });
    server.clearRequests();
    expect((await listRuns(client, path, { perPage: 50 }).toArray({ limit: 120 })).map((r) => r.id)).toEqual(sequential.slice(0, 120));
    expect(requestsFor(server, 'Runs').length).toBeLessThanOrEqual(3);
    server.clearRequests();
    expect(await listRuns(client, path, { perPage: 50 }).toArray({ limit: 50 })).toHaveLength(50);
    expect(requestsFor(server, 'Runs')).toHaveLength(1);
  });

  it('stopping early or aborting cancels the windows: nothing is requested after', async () => {
    let sent = 0;
    const counting = testClient(server, { fetch: (input, init) => (sent++, fetch(input, init)) });
    server.faults.add({ latencyMs: 30, operationName: 'Runs' });
    try {
      let seen = 0;
      for await (const _ of listRuns(counting, path, { perPage: 20 })) if (++seen === 30) break;
      const after = sent;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sent).toBe(after);

      const controller = new AbortController();
      const list = listRuns(counting, path, { perPage: 20, signal: controller.signal });
      const pages: number[] = [];
      await expect(
        (async () => {
          for await (const page of list.pages()) {
            pages.push(page.length);
            if (pages.length === 2) controller.abort();
          }
        })(),
      ).rejects.toBeInstanceOf(AbortError);
      const stopped = sent;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sent).toBe(stopped);
    } finally {
      server.faults.clear();
    }
  });

  it('refuses a bad window count before any request', async () => {
    for (const windows of [0, 1.5, 65, Number.NaN]) {
      expect(await requestsDuring(server, () => listRuns(client, path, { windows }))).toBe(0);
      expect(() => listRuns(client, path, { windows })).toThrow(ValidationError);
    }
  });
});
