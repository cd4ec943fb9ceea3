// P2: scan a 1M-row × 5-key history through `scanHistory` against a raw-fetch floor that sends the
// same RunSampledHistory windows one after another with hand-written fetch and JSON.parse.
// Also: how much peak RSS grows from a 100k-row scan to a full scan (should be ~flat: rows stream).
// P6 (`scan-history-latency`): 100k rows with 50 ms added to every request.
import { createClient } from '@wandb-api/core';
import { scanHistory } from '@wandb-api/runs';
import { type FaultRule, startServer } from '@wandb-api/server';
import { RunSampledHistoryDocument } from '../packages/runs/src/generated/graphql.js';
import { compare, report } from './measure.js';

const KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'tokens'];
const PAGE_SIZE = 1000;

interface Setup {
  rows: number;
  faults?: FaultRule[];
}

async function withServer(setup: Setup, body: (ctx: { floor: (maxStep: number) => Promise<number>; ours: (maxStep: number) => Promise<number> }) => Promise<void>): Promise<void> {
  const started = performance.now();
  const server = await startServer({ port: 0, memory: true, seed: { historyRows: setup.rows }, ...(setup.faults ? { faults: setup.faults } : {}) });
  console.log(`seeded ${setup.rows} rows in ${(performance.now() - started).toFixed(0)} ms`);
  try {
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {} });
    const path = `${server.entity}/history-bench/big`;
    const query = RunSampledHistoryDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;

    // The floor knows the last step already (ours asks historyKeys first, as Python does).
    const floor = async (maxStep: number) => {
      let count = 0;
      for (let from = 0; from < maxStep; from += PAGE_SIZE) {
        const to = Math.min(from + PAGE_SIZE, maxStep);
        const spec = JSON.stringify({ keys: ['_step', ...KEYS], minStep: from, maxStep: to - 1, samples: to - from });
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: auth },
          body: JSON.stringify({ query, variables: { entity: server.entity, project: 'history-bench', name: 'big', specs: [spec] } }),
        });
        const data = (await response.json()) as { data: { project: { run: { sampledHistory: unknown[][] } } } };
        count += data.data.project.run.sampledHistory[0]!.length;
      }
      return count;
    };
    const ours = async (maxStep: number) => {
      let count = 0;
      for await (const row of scanHistory(client, path, { keys: KEYS, pageSize: PAGE_SIZE, maxStep })) if (row._step !== undefined) count++;
      return count;
    };
    await body({ floor, ours });
  } finally {
    await server.stop();
  }
}

/** Peak RSS (MB) while `run` works, sampled every 10 ms, after a GC when --expose-gc allows it. */
async function peakRssDuring(run: () => Promise<unknown>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
}

export async function scanHistoryBench(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const small = Math.max(1, Math.floor(rows / 10));
  await withServer({ rows }, async ({ floor, ours }) => {
    // Memory first, before the timed rounds leave garbage behind.
    const rssSmall = await peakRssDuring(() => ours(small));
    const rssFull = await peakRssDuring(() => ours(rows));
    console.log(`peak RSS: ${rssSmall.toFixed(0)} MB scanning ${small} rows, ${rssFull.toFixed(0)} MB scanning ${rows}`);
    const medians = await compare(
      [
        { name: 'floor', run: () => floor(rows) },
        { name: 'scanHistory', run: () => ours(rows) },
      ],
      Number(process.env.BENCH_ROUNDS ?? 3),
    );
    report('scan-history', medians.scanHistory!, medians.floor!, null, {
      rows,
      keys: KEYS.length,
      page_size: PAGE_SIZE,
      rss_growth_mb: Math.round((rssFull - rssSmall) * 10) / 10,
      rss_small_rows: small,
    });
  });
}

export async function scanHistoryLatencyBench(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 100_000);
  const latencyMs = 50;
  await withServer({ rows, faults: [{ latencyMs }] }, async ({ floor, ours }) => {
    const medians = await compare(
      [
        { name: 'floor', run: () => floor(rows) },
        { name: 'scanHistory', run: () => ours(rows) },
      ],
      Number(process.env.BENCH_ROUNDS ?? 3),
    );
    report('scan-history-latency', medians.scanHistory!, medians.floor!, null, { rows, keys: KEYS.length, page_size: PAGE_SIZE, latency_ms: latencyMs });
  });
}
