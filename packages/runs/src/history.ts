// Run history: the sampled view (`getHistory`) and the exact one (`scanHistory`), which walks the
// run in step windows with several windows in flight while rows come out in step order.
import {
  BadRequestError,
  type CallOptions,
  GraphQLError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
  Paginated,
  type WandbClient,
  parseJson,
  parseRunPath,
  pool,
  type ResponseEvent,
} from '@wandb-api/core';
import {
  RunEventsDocument,
  RunHistoryDocument,
  RunHistoryKeysDocument,
  RunParquetHistoryDocument,
  RunSampledHistoryDocument,
} from './generated/graphql.js';
import { type RunLocator, locateRun } from './locate.js';

/** One history row: the logged keys plus `_step`, `_runtime`, `_timestamp`. NaN and ±Infinity stay numbers. */
export type HistoryRow = Readonly<Record<string, unknown>>;

/** What the server knows of a run's history without reading it. */
export interface HistoryKeys {
  /** Logged keys with the server's per-key info (types, counts, previous value …). */
  readonly keys: Readonly<Record<string, unknown>>;
  /** The last logged step, -1 when nothing was logged. */
  readonly lastStep: number;
}

function checkRun(run: RunLocator): void {
  if (typeof run === 'string') parseRunPath(run);
  else if (!run || typeof run.entity !== 'string' || typeof run.project !== 'string' || typeof run.id !== 'string') {
    throw new ValidationError('run must be a path such as "entity/project/run-id" or a run object.');
  }
}

function checkKeys(keys: readonly string[] | undefined): void {
  if (keys === undefined) return;
  if (!Array.isArray(keys)) throw new ValidationError('keys must be specified in a list');
  if (keys.some((k) => typeof k !== 'string' || k === '')) throw new ValidationError('keys argument must be a list of non-empty strings');
}

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new ValidationError(`${name} must be an integer ≥ ${min}, got ${String(value)}.`);
  }
}

function parseRows(lines: readonly string[]): HistoryRow[] {
  return lines.map(parseJson) as HistoryRow[];
}

const NON_FINITE: Readonly<Record<string, number>> = { NaN, Infinity, '-Infinity': -Infinity };

/** A JSON value with the strings "NaN" / "Infinity" / "-Infinity" turned into numbers, at any depth. */
function reviveValue(value: unknown): unknown {
  // hasOwn, not `in`: a logged string such as "constructor" must stay a string.
  if (typeof value === 'string') return Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value] : value;
  if (value === null || typeof value !== 'object') return value;
  // Copies only what changes: most rows hold no non-finite number.
  if (!Array.isArray(value)) {
    // The common row: flat numbers. A plain loop (no entries arrays) keeps a million-row scan cheap.
    let out: Record<string, unknown> | undefined;
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === 'number' || v === null || typeof v === 'boolean') continue;
      const r = reviveValue(v);
      if (!Object.is(r, v)) (out ??= { ...value })[k] = r;
    }
    return out ?? value;
  }
  let out: unknown[] | undefined;
  value.forEach((v, i) => {
    const r = reviveValue(v);
    if (!Object.is(r, v)) (out ??= [...value])[i] = r;
  });
  return out ?? value;
}

/**
 * sampledHistory rows are JSON values inside a strict-JSON answer, so the server sends non-finite
 * numbers as the strings "NaN" / "Infinity" / "-Infinity" (nested ones too, e.g. inside media
 * objects); they become numbers again here, as the JSON-line history path gives them.
 */
function reviveSampled(rows: readonly HistoryRow[]): HistoryRow[] {
  return rows.map((row) => reviveValue(row) as HistoryRow);
}

const stepOf = (row: HistoryRow): number => (typeof row._step === 'number' ? row._step : Number.NaN);

/**
 * The run's history keys and last step.
 * @example const { keys, lastStep } = await getHistoryKeys(client, 'acme/mnist/abc123');
 */
export async function getHistoryKeys(client: WandbClient, run: RunLocator, options?: CallOptions): Promise<HistoryKeys> {
  checkRun(run);
  const { entity, project, runId } = await locateRun(client, run, options);
  const data = await client.request(RunHistoryKeysDocument, { entity, project, name: runId }, options);
  if (!data.project?.run) throw new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
  const raw = (data.project.run.historyKeys ?? {}) as { keys?: Record<string, unknown>; lastStep?: unknown };
  return { keys: raw.keys ?? {}, lastStep: typeof raw.lastStep === 'number' ? raw.lastStep : -1 };
}

export interface HistoryOptions extends CallOptions {
  /** About how many rows the server samples down to. Default 500. */
  samples?: number;
  /** Only rows holding all these keys, with only these keys (plus the x axis). */
  keys?: readonly string[];
  /** The x-axis key, always included with `keys`. Default `_step`. */
  xAxis?: string;
  /** `default` (logged metrics) or `system` (system metrics). */
  stream?: 'default' | 'system';
}

/**
 * The run's history, **sampled** by the server to about `samples` rows (use `scanHistory` for
 * every row). Unlike Python, bad arguments throw a ValidationError instead of printing and
 * returning `[]`.
 * @example const rows = await getHistory(client, 'acme/mnist/abc123', { keys: ['loss'], samples: 100 });
 */
export async function getHistory(client: WandbClient, run: RunLocator, options: HistoryOptions = {}): Promise<HistoryRow[]> {
  const { samples = 500, keys, xAxis = '_step', stream = 'default' } = options;
  checkRun(run);
  checkKeys(keys);
  checkCount('samples', samples, 1);
  if (stream !== 'default' && stream !== 'system') throw new ValidationError(`stream must be 'default' or 'system', got '${String(stream)}'.`);
  if (keys && stream !== 'default') throw new ValidationError("keys can only be used with stream 'default'.");
  const { entity, project, runId } = await locateRun(client, run, options);
  const where = { entity, project, name: runId };
  const missing = () => new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
  if (keys) {
    const spec = JSON.stringify({ keys: [xAxis, ...keys.filter((k) => k !== xAxis)], samples });
    const data = await client.request(RunSampledHistoryDocument, { ...where, specs: [spec] }, options);
    if (!data.project?.run) throw missing();
    return reviveSampled((data.project.run.sampledHistory[0] ?? []) as HistoryRow[]);
  }
  if (stream === 'system') {
    const data = await client.request(RunEventsDocument, { ...where, samples }, options);
    if (!data.project?.run) throw missing();
    return parseRows(data.project.run.events);
  }
  const data = await client.request(RunHistoryDocument, { ...where, samples }, options);
  if (!data.project?.run) throw missing();
  return parseRows(data.project.run.history);
}

export interface ScanHistoryOptions extends CallOptions {
  /** Only these keys (plus `_step`). Default: every key. */
  keys?: readonly string[];
  /** `all` (Python's semantics): rows holding every key; `any`: rows holding at least one. */
  match?: 'all' | 'any';
  /** Steps per window (and per request). Default 1000. */
  pageSize?: number;
  /** First step, inclusive. Default 0. */
  minStep?: number;
  /** Last step, exclusive. Default: the run's last step + 1. */
  maxStep?: number;
  /**
   * Windows in flight at most. Default 16: a scan starts with 4 and adds windows while round trips
   * are mostly waiting (a remote server), holds when the server starts to queue them, and halves
   * on a 429 or 503 (retries spend the client's retry budget). Windows behind a slow one go on:
   * up to this many windows' rows are held while it ends.
   */
  concurrency?: number;
  /** Told when the scan found nothing although the keys exist (default: the client's logger). */
  onWarning?: (message: string) => void;
  /**
   * Read the run's parquet history exports when the server offers them (W&B does for finished
   * runs), and only the rows not exported yet through GraphQL. Default true; false reads every row
   * through GraphQL. Both give the same rows.
   */
  parquet?: boolean;
}

/**
 * Every history row in step order (not sampled), fetched in step windows of `pageSize` with up to
 * `concurrency` windows in flight, as many as round trips call for (fewer when `toArray({ limit })`
 * needs fewer). Memory stays bounded by those windows (and as many waiting behind a slow one) however long the run. A Paginated list: each page is a window (or a
 * parquet row group); stopping early (break, limit, abort) cancels the windows in flight and
 * requests nothing more; each iteration scans anew.
 * @example
 * for await (const row of scanHistory(client, 'acme/mnist/abc123', { keys: ['loss'] })) console.log(row._step, row.loss);
 */
export function scanHistory(client: WandbClient, run: RunLocator, options: ScanHistoryOptions = {}): Paginated<HistoryRow> {
  const { keys, match = 'all', pageSize = 1000, minStep = 0, maxStep, concurrency = 16 } = options;
  checkRun(run);
  checkKeys(keys);
  checkCount('pageSize', pageSize, 1);
  checkCount('minStep', minStep, 0);
  checkCount('maxStep', maxStep, 0);
  checkCount('concurrency', concurrency, 1);
  if (match !== 'all' && match !== 'any') throw new ValidationError(`match must be 'all' or 'any', got '${String(match)}'.`);
  const warn = options.onWarning ?? ((m: string) => client.config.logger.warn(m));
  return new Paginated<HistoryRow>({
    signal: options.signal,
    pages: (signal, limit) => scan(client, run, { ...options, keys, match, pageSize, minStep, maxStep, concurrency, signal }, limit, warn),
  });
}

type ScanSettings = ScanHistoryOptions & Required<Pick<ScanHistoryOptions, 'match' | 'pageSize' | 'minStep' | 'concurrency'>>;

async function* scan(client: WandbClient, run: RunLocator, o: ScanSettings, limit: number, warn: (m: string) => void): AsyncGenerator<HistoryRow[], void, undefined> {
  const { entity, project, runId } = await locateRun(client, run, o);
  const where = { entity, project, name: runId };
  // The export check does not wait for the keys: one round trip less before the first row.
  const exports = o.parquet === false ? undefined : historyExports(client, where, o);
  exports?.catch(() => {}); // awaited below, or not needed
  const historyKeys = await getHistoryKeys(client, { entity, project, id: runId }, o);
  const end = Math.min(o.maxStep ?? historyKeys.lastStep + 1, historyKeys.lastStep + 1);

  const inFlight = windowLimit(o.concurrency);
  const fetchWindow = (window: [number, number], signal: AbortSignal): Promise<HistoryRow[]> =>
    fetchRows(window, { ...o, signal, onResponse: inFlight.answered(o.onResponse) });
  const fetchRows = async ([from, to]: [number, number], call: CallOptions): Promise<HistoryRow[]> => {
    const samples = to - from;
    if (!o.keys) {
      const data = await client.request(RunHistoryDocument, { ...where, samples, minStep: from, maxStep: to }, call);
      return parseRows(data.project?.run?.history ?? []).sort((a, b) => stepOf(a) - stepOf(b));
    }
    // sampledHistory's maxStep is inclusive. `all`: one spec with every key; `any`: one spec per key, merged by step.
    const keySets = o.match === 'all' ? [o.keys] : o.keys.map((k) => [k]);
    const specs = keySets.map((ks) => JSON.stringify({ keys: ['_step', ...ks.filter((k) => k !== '_step')], minStep: from, maxStep: to - 1, samples }));
    const data = await client.request(RunSampledHistoryDocument, { ...where, specs }, call);
    const lists = ((data.project?.run?.sampledHistory ?? []) as HistoryRow[][]).map(reviveSampled);
    if (lists.length === 1) return [...(lists[0] ?? [])].sort((a, b) => stepOf(a) - stepOf(b));
    const byStep = new Map<number, Record<string, unknown>>();
    for (const list of lists) for (const row of list) byStep.set(stepOf(row), { ...byStep.get(stepOf(row)), ...row });
    return [...byStep.values()].sort((a, b) => stepOf(a) - stepOf(b));
  };

  let rows = 0;
  // Exported rows first (parquet, no credentials), then GraphQL windows for the live rest.
  let start = o.minStep;
  const exported = end <= o.minStep ? undefined : await exports;
  if (exported && exported.urls.length > 0) {
    const exportEnd = Math.min(end, exported.liveStart);
    const { readParquetHistory } = await import('./parquetHistory.js');
    for await (const page of readParquetHistory(client, exported.urls, { ...o, keys: o.keys, minStep: o.minStep, endStep: exportEnd, pool })) {
      rows += page.length;
      yield page;
    }
    start = Math.max(o.minStep, exportEnd);
  }

  const windows: [number, number][] = [];
  for (let from = start; from < end; from += o.pageSize) windows.push([from, Math.min(from + o.pageSize, end)]);
  // A window holds at most pageSize rows: no more windows in flight than the caller's limit needs.
  // Reading it all, windows behind a slow one (a retry, a stalled body) go on: up to `concurrency`
  // windows' rows wait for it.
  const needed = Math.max(1, Math.ceil((limit - rows) / o.pageSize));
  const runAhead = limit === Infinity ? o.concurrency : 0;
  for await (const page of pool(windows, fetchWindow, { concurrency: () => Math.min(needed, inFlight.current()), runAhead, signal: o.signal })) {
    rows += page.length;
    yield page;
  }
  if (rows === 0 && o.keys && end > o.minStep) {
    const missing = o.keys.filter((k) => !(k in historyKeys.keys));
    warn(
      `scanHistory found no rows in ${entity}/${project}/${runId}: ${
        missing.length ? `${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} never logged.` : `no row holds all of ${o.keys.join(', ')}; try match: 'any'.`
      }`,
    );
  }
}

/**
 * How many windows a scan keeps in flight, up to `max`: from 4, more while the server queues
 * fewer than two of them (Vegas' estimate: in flight × (1 − fastest round trip / this one); round
 * trips spent waiting on a remote server queue nothing), one less when it queues more than four;
 * the round trips are those of answered attempts (a retry's wait says nothing of the queue).
 * The server's own "slow down" (429, 503) halves it, once per burst (retries spend the client's
 * retry budget), and from then on it grows by one window per round of windows instead of one per
 * window. Other failures (a reset, a stalled body, a 500) are retried without shrinking it.
 */
function windowLimit(max: number) {
  let limit = Math.min(4, max);
  let fastest = Infinity;
  let epoch = 0;
  const ended = (ms: number): void => {
    fastest = Math.min(fastest, ms);
    const queued = limit * (1 - fastest / Math.max(ms, 1));
    if (queued < 2) limit = Math.min(max, limit + (epoch ? 1 / limit : 1));
    else if (queued > 4) limit = Math.max(1, limit - 1);
  };
  return {
    current: () => Math.floor(limit),
    /** A per-call hook that times answered attempts and halves the limit on a 429 or 503 (and tells the caller's hook). */
    answered(own?: (event: ResponseEvent) => void): (event: ResponseEvent) => void {
      const started = epoch;
      return (event) => {
        own?.(event);
        if (event.status >= 200 && event.status < 300 && !event.error) ended(event.durationMs);
        else if ((event.status === 429 || event.status === 503) && started === epoch) {
          limit = Math.max(1, Math.floor(limit / 2));
          epoch++;
        }
      };
    },
  };
}

interface HistoryExportsInfo {
  urls: readonly string[];
  /** The first step not exported (the smallest `_step` of liveData); +Infinity when all is exported. */
  liveStart: number;
}

/**
 * The run's parquet exports, asked as W&B's client does (`parquetHistory(liveKeys: ["_step"])`).
 * Undefined when there is none, or from a server that does not know the field: then GraphQL
 * serves every row.
 */
async function historyExports(
  client: WandbClient,
  where: { entity: string; project: string; name: string },
  options: CallOptions,
): Promise<HistoryExportsInfo | undefined> {
  try {
    // First without liveData (for a run with no export it would list every row), then with it.
    const first = await client.request(RunParquetHistoryDocument, { ...where, liveKeys: ['_step'], withLiveData: false }, options);
    if (!first.project?.run?.parquetHistory.parquetUrls.length) return undefined;
    const data = await client.request(RunParquetHistoryDocument, { ...where, liveKeys: ['_step'], withLiveData: true }, options);
    const exported = data.project?.run?.parquetHistory;
    if (!exported) return undefined;
    let liveStart = Number.POSITIVE_INFINITY;
    for (const row of (exported.liveData ?? []) as { _step?: unknown }[]) {
      const step = Number(row?._step);
      if (Number.isFinite(step) && step < liveStart) liveStart = step;
    }
    return { urls: exported.parquetUrls, liveStart };
  } catch (err) {
    // A server without parquet exports (W&B Server of 2023: found before any request) has every row live.
    if (err instanceof UnsupportedError || err instanceof GraphQLError || err instanceof BadRequestError) return undefined;
    throw err;
  }
}
