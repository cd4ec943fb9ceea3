// The soak workloads (issue 12): each runs once fault-free and once under ~10 % mixed faults on the
// paths it uses, and the two results must be identical, with nothing duplicated or missing and no
// write applied twice. Shared by the soak tier (soak/*.soak.test.ts, which asserts) and
// `npm run bench -- soak` (bench/soak.ts, which times several rounds).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateApiKey } from '@wandb-api/admin';
import { downloadArtifact, getArtifact } from '@wandb-api/artifacts';
import { type ClientOptions, type ResponseEvent, WandbError, type WandbClient, WriteMayHaveAppliedError, createClient, pool, systemClock } from '@wandb-api/core';
import { createRunQueue, pushToRunQueue } from '@wandb-api/launch';
import { type RunFile, deleteFile, deleteRun, listFiles, listRuns, scanHistory, updateRun } from '@wandb-api/runs';
import type { FaultRule, LocalServer, StartServerOptions } from '@wandb-api/server';

/** The share of requests on a faulted path that get one of the faults. */
export const FAULT_RATE = 0.1;

/** How long a stalled body is waited for: each stall costs one idle timeout. */
export const IDLE_TIMEOUT_MS = 1000;

/**
 * The fault mix: 503, 429 with Retry-After (1 s, the smallest whole-seconds value servers send),
 * a reset before the request is processed and one after (a write is applied, its answer lost), a
 * body cut short, and a body that stalls half-way.
 */
const FAULT_KINDS: readonly FaultRule[] = [{ status: 503 }, { status: 429, retryAfter: 1 }, { reset: true }, { resetAfter: true }, { truncate: true }, { stall: true }];

/**
 * The rules that hit about `rate` of the requests on each path with one of the mixed faults (each
 * kind equally often). The server draws from a seeded PRNG, so a run sees the same mix each time.
 * @param paths Request paths (a trailing `*` matches a prefix), on either origin.
 */
export function mixedFaults(paths: readonly string[], rate = FAULT_RATE): FaultRule[] {
  // The rules are tried in turn, each with its own draw: together they hit `rate` of the requests.
  const each = 1 - (1 - rate) ** (1 / FAULT_KINDS.length);
  return paths.flatMap((path) => FAULT_KINDS.map((kind) => ({ ...kind, path, rate: each })));
}

/** What one timed pass of a workload saw, besides its result. */
export interface PassStats {
  /** Attempts the client made. */
  attempts: number;
  /** Attempts that failed (a fault, or a final error). */
  failedAttempts: number;
  /** Failed attempts by what failed them (the status and, for a body that failed, the error's code; else the code). */
  failures: Record<string, number>;
  /** Time spent in failed attempts, in ms (a stall costs one idle timeout). */
  failedMs: number;
  /** Time spent waiting between attempts (backoff, Retry-After), in ms. */
  backoffMs: number;
  /** Errors of attempts or calls that were not a WandbError (a raw TypeError …): must stay empty. */
  untyped: unknown[];
}

/** Empty stats for a pass. */
export const newStats = (): PassStats => ({ attempts: 0, failedAttempts: 0, failures: {}, failedMs: 0, backoffMs: 0, untyped: [] });

/** One line on where a pass's time went: `112 attempts, 12 failed (503×2, 200 timeout×1 …) 900 ms, backoff 1200 ms`. */
export function describeStats(stats: PassStats): string {
  const kinds = Object.entries(stats.failures)
    .map(([kind, n]) => `${kind}×${n}`)
    .join(', ');
  return `${stats.attempts} attempts, ${stats.failedAttempts} failed${kinds && ` (${kinds})`} ${Math.round(stats.failedMs)} ms, backoff ${Math.round(stats.backoffMs)} ms`;
}

/** A client for the soak: the default retry policy, a short idle timeout, quiet, counting attempts. */
export function soakClient(server: Pick<LocalServer, 'url' | 'apiKey'>, stats?: PassStats, options: ClientOptions = {}): WandbClient {
  return createClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    env: {},
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    logLevel: 'off',
    ...(stats && {
      hooks: {
        onResponse(event: ResponseEvent) {
          stats.attempts++;
          if (!event.error) return;
          // A 2xx whose body then failed: `200 timeout` (a stall), `200 connection` (cut short).
          const kind = !event.status ? event.error.code : event.status < 300 ? `${event.status} ${event.error.code}` : String(event.status);
          stats.failedAttempts++;
          stats.failures[kind] = (stats.failures[kind] ?? 0) + 1;
          stats.failedMs += event.durationMs;
          if (!(event.error instanceof WandbError)) stats.untyped.push(event.error);
        },
      },
      clock: {
        ...systemClock,
        sleep(ms: number, signal?: AbortSignal) {
          stats.backoffMs += ms;
          return systemClock.sleep(ms, signal);
        },
      },
    }),
    ...options,
  });
}

/** What a workload's steps get: the server, a client for the pass and a scratch folder. */
export interface SoakEnv {
  server: LocalServer;
  client: WandbClient;
  /** A fresh folder for this pass's files; removed afterwards. */
  dir: string;
}

/**
 * One soak workload. A pass is: `prepare` (fault-free, untimed), `run` (timed, under faults in
 * the faulty pass), then `check` (fault-free) of what that pass left; the clean and faulty results
 * are compared with `diff`.
 */
export interface Workload<C = unknown, R = unknown> {
  /** Names the workload in output and in the benchmark's `ratios`. */
  readonly name: string;
  /** The server it runs against: its seed and settings. */
  readonly server: StartServerOptions;
  /** The paths its requests go to (faulted in the faulty pass). */
  readonly paths: readonly string[];
  /** Set-up for one pass (`pass` is unique per pass: data created here does not collide). */
  prepare(env: SoakEnv, pass: string): Promise<C>;
  /** The work that is timed (and faulted). */
  run(env: SoakEnv, context: C): Promise<R>;
  /** What is wrong with one pass's result by itself (duplicates, missing items, double effects). */
  check(env: SoakEnv, context: C, result: R): Promise<string[]>;
  /** How a faulty pass's result differs from the clean one's; empty when identical. */
  diff(clean: R, faulty: R): string[];
}

/** One pass of a workload: its result, time and the attempts it took. */
export interface Pass<R = unknown> {
  result: R;
  ms: number;
  stats: PassStats;
  /** What `check` found wrong (empty when nothing). */
  problems: string[];
}

/** Options of {@link runPass}. */
export interface PassOptions {
  /** Added to every request on the workload's paths, clean or faulty (a network's round trip); default 0. */
  latencyMs?: number;
}

/**
 * Runs one pass of `workload` on `server`, under its mixed faults when `faulty`. A failure that is
 * not a WandbError is recorded in `stats.untyped` and thrown.
 */
export async function runPass<C, R>(workload: Workload<C, R>, server: LocalServer, faulty: boolean, pass: string, options: PassOptions = {}): Promise<Pass<R>> {
  const stats = newStats();
  const dir = mkdtempSync(join(tmpdir(), `wandb-soak-${workload.name}-`));
  try {
    server.faults.clear();
    const setup: SoakEnv = { server, client: soakClient(server), dir };
    const context = await workload.prepare(setup, pass);
    const env: SoakEnv = { server, client: soakClient(server, stats), dir };
    // Latency rules have no outcome of their own: they add to whatever fault a request gets.
    if (options.latencyMs) for (const path of workload.paths) server.faults.add({ latencyMs: options.latencyMs, path });
    if (faulty) for (const rule of mixedFaults(workload.paths)) server.faults.add(rule);
    const started = performance.now();
    let result: R;
    try {
      result = await workload.run(env, context);
    } catch (error) {
      if (!(error instanceof WandbError)) stats.untyped.push(error);
      throw error;
    } finally {
      server.faults.clear();
    }
    const ms = performance.now() - started;
    const problems = await workload.check(setup, context, result);
    return { result, ms, stats, problems };
  } finally {
    server.faults.clear();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- reads ----------------------------------------------------------------------------------

/** How many runs the listing workload seeds and lists. */
export const RUNS = 10_000;
/** How many history rows the scans read. */
export const HISTORY_ROWS = 200_000;
/** Files in the downloaded artifact, and their size. */
export const ARTIFACT_FILES = { count: 200, bytes: 64 * 1024 };

const duplicatesOf = (ids: readonly string[]): number => ids.length - new Set(ids).size;

/** Index and values of the first difference of two lists, for messages. */
function firstDifference(a: readonly unknown[], b: readonly unknown[]): string {
  const i = a.findIndex((x, k) => x !== b[k]);
  return i < 0 ? `lengths ${a.length} and ${b.length}` : `at ${i}: ${String(a[i])} vs ${String(b[i])}`;
}

/** 10,000 runs listed page by page (GraphQL): every id once, in the server's order. */
export const listRunsWorkload: Workload<void, string[]> = {
  name: 'list-runs',
  server: { seed: { runs: RUNS } },
  paths: ['/graphql'],
  prepare: async () => {},
  async run({ client, server }) {
    const ids: string[] = [];
    for await (const run of listRuns(client, `${server.entity}/large`, { perPage: 100 })) ids.push(run.id);
    return ids;
  },
  async check(_env, _context, ids) {
    const problems: string[] = [];
    if (duplicatesOf(ids) > 0) problems.push(`${duplicatesOf(ids)} duplicate run ids`);
    if (ids.length !== RUNS) problems.push(`${ids.length} runs listed, ${RUNS} seeded`);
    return problems;
  },
  diff: (clean, faulty) => (clean.length === faulty.length && clean.every((id, i) => faulty[i] === id) ? [] : [`run ids differ ${firstDifference(clean, faulty)}`]),
};

/** A history scan, reduced to what comparing it needs: every row hashed in order, and the steps seen. */
export interface HistoryDigest {
  rows: number;
  /** Steps that came again, or out of order. */
  duplicates: number;
  /** Steps below the last one that never came. */
  missing: number;
  /** MD5 of every row's JSON, in order. */
  md5: string;
}

const HISTORY_KEYS = ['loss', 'acc', 'lr', 'grad_norm', 'tokens'];

function historyWorkload(name: string, parquet: boolean, paths: readonly string[]): Workload<void, HistoryDigest> {
  return {
    name,
    // One run (demo/history-bench/big) whose history the server also exports to parquet.
    server: { seed: { historyRows: HISTORY_ROWS }, historyExports: 'all' },
    paths,
    async prepare({ client, server }) {
      // The server writes the parquet export on the first request for it: not part of the timing.
      if (parquet) await scanHistory(client, `${server.entity}/history-bench/big`, { keys: HISTORY_KEYS }).toArray({ limit: 1 });
    },
    async run({ client, server }) {
      const hash = createHash('md5');
      let rows = 0;
      let duplicates = 0;
      let next = 0; // the step expected next
      let missing = 0;
      for await (const row of scanHistory(client, `${server.entity}/history-bench/big`, { keys: HISTORY_KEYS, parquet })) {
        const step = row._step as number;
        if (step < next) duplicates++;
        else {
          missing += step - next;
          next = step + 1;
        }
        hash.update(JSON.stringify(row));
        rows++;
      }
      return { rows, duplicates, missing, md5: hash.digest('hex') };
    },
    async check(_env, _context, digest) {
      const problems: string[] = [];
      if (digest.duplicates) problems.push(`${digest.duplicates} history rows came twice or out of order`);
      if (digest.missing) problems.push(`${digest.missing} history rows missing`);
      if (digest.rows !== HISTORY_ROWS) problems.push(`${digest.rows} history rows scanned, ${HISTORY_ROWS} seeded`);
      return problems;
    },
    diff: (clean, faulty) => (clean.md5 === faulty.md5 && clean.rows === faulty.rows ? [] : [`history differs: ${JSON.stringify(clean)} vs ${JSON.stringify(faulty)}`]),
  };
}

/** 200,000 history rows through GraphQL windows (`parquet: false`). */
export const scanHistoryGraphqlWorkload = historyWorkload('scan-history-graphql', false, ['/graphql']);

/** The same 200,000 rows from the run's parquet export (signed storage URLs, byte ranges) plus GraphQL. */
export const scanHistoryParquetWorkload = historyWorkload('scan-history-parquet', true, ['/graphql', '/blob/*']);

/** Every file under `dir` by relative path, with its MD5 (hex). */
function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path).split('\\').join('/')] = createHash('md5').update(readFileSync(path)).digest('hex');
  }
  return files;
}

/** A 200-file artifact downloaded (manifest, batched URLs, every file checked) into a fresh folder: each file's MD5. */
export const downloadArtifactWorkload: Workload<void, Record<string, string>> = {
  name: 'download-artifact',
  server: { seed: { artifactFiles: ARTIFACT_FILES } },
  paths: ['/graphql', '/manifest/*', '/artifact-blob/*'],
  prepare: async () => {},
  async run({ client, dir }) {
    const artifact = await getArtifact(client, `demo/artifact-bench/files-${ARTIFACT_FILES.count}x${ARTIFACT_FILES.bytes}:v0`);
    const root = join(dir, 'download');
    await downloadArtifact(client, artifact, { root });
    return filesUnder(root);
  },
  async check(_env, _context, files) {
    const count = Object.keys(files).length;
    return count === ARTIFACT_FILES.count ? [] : [`${count} files downloaded, ${ARTIFACT_FILES.count} in the artifact`];
  },
  diff(clean, faulty) {
    const paths = new Set([...Object.keys(clean), ...Object.keys(faulty)]);
    const differing = [...paths].filter((p) => clean[p] !== faulty[p]);
    return differing.length ? [`${differing.length} files differ (${differing.slice(0, 3).join(', ')} …)`] : [];
  },
};

// ---- writes ---------------------------------------------------------------------------------

/** Calls of each kind in the write workload. */
export const WRITES_PER_KIND = 40;

const WRITE_PROJECT = 'soak-writes';
const QUEUE = 'soak';

/** What became of one write call. */
export interface WriteOutcome {
  kind: 'push' | 'key' | 'update' | 'delete-run' | 'delete-file';
  /** Names what the call created or changed (a run spec marker, a key description, a run id, a file). */
  marker: string;
  /** `ok`, `may-have-applied` (WriteMayHaveAppliedError) or the error's code. */
  outcome: string;
}

interface WritesContext {
  pass: string;
  updates: { id: string; storageId: string; entity: string; project: string }[];
  doomedRuns: { id: string; storageId: string; entity: string; project: string }[];
  doomedFiles: RunFile[];
}

/** A stored value with no SQL types: what the soak reads from the server's store. */
interface Db {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

/** The server's database (`server.store`, kept out of the published types: the soak reads it as tests do). */
const dbOf = (server: LocalServer): Db => (server as unknown as { store: { db: Db } }).store.db;

/**
 * Queue pushes and API keys (unsafe: they create something), run updates (idempotent), run and
 * run-file deletes, four calls in flight. Afterwards, on the server's store: each push and key that
 * succeeded left exactly one item (one per marker), one that threw WriteMayHaveAppliedError zero or
 * one, never two; every update is there; every delete reported success and the object is gone.
 */
export const writesWorkload: Workload<WritesContext, WriteOutcome[]> = {
  name: 'writes',
  server: { seed: 'empty' },
  paths: ['/graphql'],
  async prepare({ client, server }, pass) {
    if (!dbOf(server).prepare("SELECT id FROM run_queues WHERE name = ?").all(QUEUE).length) {
      await createRunQueue(client, QUEUE, 'local-container', { entity: server.entity });
    }
    const seeded = async (prefix: string, files?: Record<string, string>) =>
      Promise.all(Array.from({ length: WRITES_PER_KIND }, (_, i) => server.seed.run({ project: WRITE_PROJECT, id: `${pass}-${prefix}${i}`, ...(files && { files }) })));
    await seeded('u');
    await seeded('d');
    const withFiles = await seeded('f', { 'doomed.txt': 'soak' });
    const runs = await listRuns(client, `${server.entity}/${WRITE_PROJECT}`, { perPage: 500 }).toArray();
    const byPrefix = (prefix: string) => runs.filter((r) => r.id.startsWith(`${pass}-${prefix}`)).map((r) => ({ id: r.id, storageId: r.storageId, entity: r.entity, project: r.project }));
    const doomedFiles: RunFile[] = [];
    for (const run of withFiles) doomedFiles.push(...(await listFiles(client, run.path).toArray()));
    return { pass, updates: byPrefix('u'), doomedRuns: byPrefix('d'), doomedFiles };
  },
  async run({ client, server }, { pass, updates, doomedRuns, doomedFiles }) {
    const calls: [WriteOutcome['kind'], string, () => Promise<unknown>][] = [];
    for (let i = 0; i < WRITES_PER_KIND; i++) {
      const marker = `${pass}-${i}`;
      calls.push(['push', marker, () => pushToRunQueue(client, { entity: server.entity, name: QUEUE }, { job: 'soak', marker })]);
      calls.push(['key', marker, () => generateApiKey(client, { description: marker })]);
      calls.push(['update', updates[i]!.id, () => updateRun(client, updates[i]!, { notes: `notes of ${updates[i]!.id}`, tags: ['soaked'] })]);
      calls.push(['delete-run', doomedRuns[i]!.id, () => deleteRun(client, doomedRuns[i]!)]);
      calls.push(['delete-file', doomedFiles[i]!.id, () => deleteFile(client, doomedFiles[i]!)]);
    }
    const settle = async (i: number): Promise<[number, WriteOutcome]> => {
      const [kind, marker, call] = calls[i]!;
      try {
        await call();
        return [i, { kind, marker, outcome: 'ok' }];
      } catch (error) {
        if (!(error instanceof WandbError)) throw error; // a raw TypeError fails the pass
        return [i, { kind, marker, outcome: error instanceof WriteMayHaveAppliedError ? 'may-have-applied' : error.code }];
      }
    };
    // Independent calls: a slow one (a Retry-After) holds up only its own lane. Outcomes in call order.
    const outcomes: WriteOutcome[] = [];
    for await (const [i, outcome] of pool(calls.keys(), settle, { concurrency: 4, ordered: false })) outcomes[i] = outcome;
    return outcomes;
  },
  async check({ server }, { pass }, outcomes) {
    const db = dbOf(server);
    const problems: string[] = [];
    const count = (values: unknown[]) => {
      const counts = new Map<string, number>();
      for (const v of values) if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
      return counts;
    };
    const items = count(db.prepare('SELECT run_spec FROM run_queue_items').all().map((r) => (JSON.parse((r as { run_spec: string }).run_spec) as { marker?: string }).marker));
    const keys = count(db.prepare('SELECT description FROM api_keys').all().map((r) => (r as { description: string | null }).description));
    const runs = new Map(
      (db.prepare('SELECT r.name, r.notes FROM runs r JOIN projects p ON p.id = r.project_id WHERE p.name = ?').all(WRITE_PROJECT) as { name: string; notes: string | null }[]).map((r) => [r.name, r.notes]),
    );
    // Runs of this pass whose file survived a delete (each doomed file lives in a run of its own).
    const keptFiles = (db.prepare("SELECT r.name FROM run_files f JOIN runs r ON r.id = f.run_id WHERE f.name = 'doomed.txt' AND r.name LIKE ?").all(`${pass}-f%`) as { name: string }[]).map((r) => r.name);
    for (const { kind, marker, outcome } of outcomes) {
      const applied = outcome === 'ok' || (outcome === 'may-have-applied' && (kind === 'push' || kind === 'key'));
      if (!applied) problems.push(`${kind} ${marker}: ${outcome}`);
      if (kind === 'push' || kind === 'key') {
        const effects = (kind === 'push' ? items : keys).get(marker) ?? 0;
        if (effects > 1) problems.push(`${kind} ${marker} applied ${effects} times`);
        if (outcome === 'ok' && effects !== 1) problems.push(`${kind} ${marker} succeeded but applied ${effects} times`);
      }
      if (kind === 'update' && runs.get(marker) !== `notes of ${marker}`) problems.push(`update of ${marker} not applied (notes: ${runs.get(marker)})`);
      if (kind === 'delete-run' && runs.has(marker)) problems.push(`deleted run ${marker} is still there`);
    }
    if (keptFiles.length) problems.push(`${keptFiles.length} deleted files are still there (in ${keptFiles.slice(0, 3).join(', ')} …)`);
    if (outcomes.length !== 5 * WRITES_PER_KIND) problems.push(`${outcomes.length} write calls settled, ${5 * WRITES_PER_KIND} made`);
    return problems;
  },
  diff(clean, faulty) {
    // Only unsafe writes may differ: one that threw WriteMayHaveAppliedError (check() counted its effects).
    const shape = (outcomes: WriteOutcome[]) => outcomes.map((o) => `${o.kind}:${o.outcome === 'may-have-applied' && (o.kind === 'push' || o.kind === 'key') ? 'ok' : o.outcome}`);
    const a = shape(clean);
    const b = shape(faulty);
    return a.length === b.length && a.every((x, i) => x === b[i]) ? [] : [`write outcomes differ ${firstDifference(a, b)}`];
  },
};

/** Every workload of the soak, in the order they run. */
export const WORKLOADS: readonly Workload[] = [
  listRunsWorkload,
  scanHistoryGraphqlWorkload,
  scanHistoryParquetWorkload,
  downloadArtifactWorkload,
  writesWorkload,
] as Workload[];
