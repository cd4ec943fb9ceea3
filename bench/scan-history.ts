// P2: scan a 1M-row × 5-key history through `scanHistory` against a raw-fetch floor that sends the
// same RunSampledHistory windows with hand-written fetch and JSON.parse, as many at once as ours
// had in flight at most (a true floor: the same parallelism from the first window, no checks),
// and against Python's `run.scan_history` (wandb-core), on the full run when its rounds fit the
// time budget (BENCH_PY_BUDGET_S, default 180: no round starts past it, and a process still
// running a minute after it is stopped), else on the first 100k rows. Both paths are
// measured: GraphQL windows (the server offers no parquet export) and parquet (the server exports
// every run's history).
// Also: how much peak RSS grows from a 100k-row scan to a full scan (should be ~flat: rows stream).
// P6 (`scan-history-latency`): 100k rows with 50 ms added to every request.
// The server runs in its own process (server.ts), so timings and RSS are the client's.
import { createClient } from '@wandb-api/core';
import { scanHistory } from '@wandb-api/runs';
import type { FaultRule } from '@wandb-api/server';
import { RunSampledHistoryDocument } from '../packages/runs/src/generated/graphql.js';
import { compare, report } from './measure.js';
import { pythonBaseline } from './python.js';
import { type BenchServer, startBenchServer } from './server.js';

const KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'tokens'];
const PAGE_SIZE = 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// Python's rounds: its warm-up (wandb-core start) plus this many timed scans.
const PY_ROUNDS = Number(process.env.BENCH_PY_ROUNDS ?? 3);

interface Setup {
  rows: number;
  faults?: FaultRule[];
}

interface BenchContext {
  server: BenchServer;
  /** The floor with `concurrency` windows in flight. */
  floor: (maxStep: number, concurrency: number) => Promise<number>;
  /** scanHistory while the server offers no parquet export: every row through GraphQL. */
  ours: (maxStep: number) => Promise<number>;
  /** The most windows ours had in flight at once since the last call. */
  peakWindows: () => number;
  /** scanHistory while the server exports every run's history to parquet (as W&B does for finished runs). */
  parquet: (maxStep: number) => Promise<number>;
  /** Python's median ms scanning `maxStep` rows (null without the parity venv, or when its rounds do not fit `budgetMs`). */
  python: (maxStep: number, exports: 'all' | 'off', budgetMs?: number) => Promise<number | null>;
}

async function withServer(setup: Setup, body: (ctx: BenchContext) => Promise<void>): Promise<void> {
  const started = performance.now();
  const server = await startBenchServer({ port: 0, memory: true, seed: { historyRows: setup.rows }, ...(setup.faults ? { faults: setup.faults } : {}) });
  console.log(`seeded ${setup.rows} rows in ${(performance.now() - started).toFixed(0)} ms (server in its own process)`);
  try {
    // Ours counts its windows in flight (RunSampledHistory requests), for the floor's parallelism.
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      const window = typeof init?.body === 'string' && init.body.includes('"RunSampledHistory"');
      if (window) peak = Math.max(peak, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (window) inFlight--;
      }
    };
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, env: {}, fetch: counting });
    const path = `${server.entity}/history-bench/big`;
    const query = RunSampledHistoryDocument.toString();
    const auth = `Basic ${btoa(`api:${server.apiKey}`)}`;

    // The floor knows the last step already (ours asks historyKeys first, as Python does).
    const floor = async (maxStep: number, concurrency: number) => {
      let count = 0;
      let next = 0;
      const lane = async () => {
        for (let from = next; from < maxStep; from = next) {
          next += PAGE_SIZE;
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
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      return count;
    };
    const scan = async (maxStep: number) => {
      let count = 0;
      for await (const row of scanHistory(client, path, { keys: KEYS, pageSize: PAGE_SIZE, maxStep })) if (row._step !== undefined) count++;
      return count;
    };
    const withExports = async <T>(policy: 'all' | 'off', run: () => Promise<T>): Promise<T> => {
      await server.setHistoryExports(policy);
      try {
        return await run();
      } finally {
        await server.setHistoryExports('off');
      }
    };
    const python = async (maxStep: number, exports: 'all' | 'off', budgetMs?: number) => {
      const result = await withExports(exports, () =>
        pythonBaseline<{ median_ms: number | null; count: number; rounds: number }>('scan_history', server, {
          path,
          keys: KEYS,
          page_size: PAGE_SIZE,
          max_step: maxStep,
          rounds: PY_ROUNDS,
          ...(budgetMs && { budget_ms: budgetMs }),
        }, budgetMs && budgetMs + 60_000),
      );
      if (result && result.count !== maxStep) throw new Error(`python scanned ${result.count} rows, expected ${maxStep}`);
      if (result?.median_ms != null) {
        console.log(`python (${exports === 'all' ? 'parquet' : 'graphql'}, ${maxStep} rows) median ${result.median_ms.toFixed(1)} ms  (${result.rounds} round(s) after a warm-up)`);
      } else if (result) console.log(`python (${exports === 'all' ? 'parquet' : 'graphql'}, ${maxStep} rows): its warm-up leaves no time for a round in the budget`);
      return result?.median_ms ?? null;
    };
    const peakWindows = () => {
      const value = peak;
      peak = 0;
      return value;
    };
    await body({ server, floor, ours: scan, peakWindows, parquet: (maxStep) => withExports('all', () => scan(maxStep)), python });
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

const ratio = (a: number, b: number | null) => (b === null ? null : Math.round((a / b) * 100) / 100);

export async function scanHistoryBench(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const small = Math.max(1, Math.floor(rows / 10));
  const budgetMs = Number(process.env.BENCH_PY_BUDGET_S ?? 180) * 1000;
  await withServer({ rows }, async ({ floor, ours, peakWindows, parquet, python }) => {
    // Memory first, before the timed rounds leave garbage behind.
    const rssSmall = await peakRssDuring(() => ours(small));
    peakWindows();
    const rssFull = await peakRssDuring(() => ours(rows));
    const windows = peakWindows();
    console.log(`peak RSS (client process): ${rssSmall.toFixed(0)} MB scanning ${small} rows, ${rssFull.toFixed(0)} MB scanning ${rows}; ours had up to ${windows} windows in flight`);
    const exportStarted = performance.now();
    const exported = await parquet(rows);
    console.log(`parquet export of ${exported} rows written and read in ${(performance.now() - exportStarted).toFixed(0)} ms (first read)`);
    const medians = await compare(
      [
        { name: 'floor', run: () => floor(rows, windows) },
        { name: 'scanHistory', run: () => ours(rows) },
        { name: 'scanHistory (parquet)', run: () => parquet(rows) },
      ],
      ROUNDS,
    );
    // Python on the full run when its rounds fit the budget; else on the first 100k rows, compared
    // with ours scanning the same rows (python_rows says which).
    let pyRows = Number(process.env.BENCH_PY_ROWS ?? rows);
    let pythonGraphql = await python(pyRows, 'off', budgetMs);
    if (pythonGraphql === null && pyRows > 100_000) pythonGraphql = await python((pyRows = 100_000), 'off', budgetMs);
    const pythonParquet = await python(pyRows, 'all', budgetMs);
    let oursAtPy = { graphql: medians.scanHistory!, parquet: medians['scanHistory (parquet)']! };
    if (pyRows !== rows) {
      const m = await compare(
        [
          { name: `scanHistory ${pyRows}`, run: () => ours(pyRows) },
          { name: `parquet ${pyRows}`, run: () => parquet(pyRows) },
        ],
        ROUNDS,
      );
      oursAtPy = { graphql: m[`scanHistory ${pyRows}`]!, parquet: m[`parquet ${pyRows}`]! };
    }
    const parquetMs = medians['scanHistory (parquet)']!;
    // python_ms is Python on python_rows; ratio_vs_python compares it with ours on the same rows.
    report('scan-history', medians.scanHistory!, medians.floor!, pythonGraphql, {
      rows,
      keys: KEYS.length,
      page_size: PAGE_SIZE,
      windows,
      rss_growth_mb: Math.round((rssFull - rssSmall) * 10) / 10,
      rss_small_rows: small,
      parquet_ms: Math.round(parquetMs),
      ratio_parquet_vs_floor: ratio(parquetMs, medians.floor!),
      python_rows: pyRows,
      ours_ms_at_python_rows: Math.round(oursAtPy.graphql),
      ratio_vs_python: ratio(oursAtPy.graphql, pythonGraphql),
      parquet_ms_at_python_rows: Math.round(oursAtPy.parquet),
      python_parquet_ms: pythonParquet === null ? null : Math.round(pythonParquet),
      ratio_parquet_vs_python_parquet: ratio(oursAtPy.parquet, pythonParquet),
    });
  });
}

export async function scanHistoryLatencyBench(): Promise<void> {
  const rows = Number(process.env.BENCH_ROWS ?? 100_000);
  const latencyMs = 50;
  await withServer({ rows, faults: [{ latencyMs }] }, async ({ floor, ours, peakWindows, python }) => {
    // One scan of ours first: the floor sends as many windows at once as ours had in flight.
    await ours(rows);
    const windows = peakWindows();
    console.log(`ours had up to ${windows} windows in flight`);
    const medians = await compare(
      [
        { name: 'floor', run: () => floor(rows, windows) },
        { name: 'scanHistory', run: () => ours(rows) },
      ],
      ROUNDS,
    );
    const pythonMs = await python(rows, 'off');
    report('scan-history-latency', medians.scanHistory!, medians.floor!, pythonMs, { rows, keys: KEYS.length, page_size: PAGE_SIZE, latency_ms: latencyMs, windows });
  });
}
