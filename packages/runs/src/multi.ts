// Helpers over many runs: their histories with bounded concurrency (Python's `Runs.histories`)
// and one flat row per run for tables and data frames.
import { type PathValue, type Paths, type ProjectPath, ValidationError, type WandbClient, parseRunPath, pool } from '@wandb-api/core';
import { type HistoryRow, getHistory } from './history.js';
import type { RunLocator } from './locate.js';
import type { LightRun, Run, RunState } from './run.js';
import { type ListRunsOptions, listRuns } from './runs.js';

/** Options of `runHistories`. */
export interface RunHistoriesOptions {
  /** About how many rows the server samples each history down to. Default 500. */
  samples?: number;
  /** Only rows holding all these keys, with only these keys (plus `_step`). */
  keys?: readonly string[];
  /** Histories fetched at once. Default 4. */
  concurrency?: number;
  /** Cancels the remaining requests (AbortError). */
  signal?: AbortSignal;
}

/** A history row tagged with the run it came from (Python's `run_id` column). */
export type TaggedHistoryRow = HistoryRow & {
  /** The short id of the run the row came from. */
  readonly runId: string;
};

function checkInteger(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) throw new ValidationError(`${name} must be an integer ≥ ${min}, got ${String(value)}.`);
}

const isIterable = (v: unknown): v is Iterable<unknown> | AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v);

const runIdOf = (run: RunLocator): string => (typeof run === 'string' ? parseRunPath(run).runId : run.id);

/**
 * The sampled histories of many runs as one flat list, each row tagged with `runId` (the short
 * run id), in the order of `runs`; runs without history add nothing. Up to `concurrency` histories
 * are fetched at once (429s are retried by the transport, honouring Retry-After). `runs` may be a
 * list of paths or runs, or a `Paginated` from listRuns (its pages are read as needed).
 * @example
 * const rows = await runHistories(client, listRuns(client, 'acme/mnist'), { keys: ['loss'], samples: 100 });
 */
export async function runHistories(
  client: WandbClient,
  runs: Iterable<RunLocator> | AsyncIterable<RunLocator>,
  options: RunHistoriesOptions = {},
): Promise<TaggedHistoryRow[]> {
  const { samples = 500, keys, concurrency = 4, signal } = options;
  if (!isIterable(runs)) throw new ValidationError('runs must be a list of runs or paths, or a Paginated from listRuns.');
  checkInteger('samples', samples, 1);
  checkInteger('concurrency', concurrency, 1);
  if (keys !== undefined && (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k === ''))) {
    throw new ValidationError('keys must be a list of non-empty strings.');
  }
  if (Array.isArray(runs)) for (const run of runs as RunLocator[]) if (typeof run === 'string') parseRunPath(run);

  // In the order of `runs`; the first failure stops the others and nothing is left running.
  const histories: TaggedHistoryRow[][] = [];
  const tagged = pool(
    runs,
    async (run, poolSignal) => {
      const runId = runIdOf(run);
      return (await getHistory(client, run, { samples, ...(keys ? { keys } : {}), signal: poolSignal })).map((row) => ({ ...row, runId }));
    },
    { concurrency, signal },
  );
  for await (const rows of tagged) histories.push(rows);
  return histories.flat();
}

/** One flat row per run: scalar fields, then `config.*` and `summary.*` with dotted keys. */
export type RunTableRow = Record<string, unknown>;

/** The run fields of a table row, before its `config.*` and `summary.*` columns. */
export interface RunRowFields {
  /** The short run id. */
  readonly id: string;
  /** The display name, else the id. */
  readonly name: string;
  /** The run's entity. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The run state. */
  readonly state: RunState;
  /** When the run started (ISO 8601). */
  readonly createdAt: string;
  /** The last heartbeat (ISO 8601). */
  readonly heartbeatAt: string | null;
  /** The run's tags. */
  readonly tags: readonly string[];
  /** The run's group. */
  readonly group: string | null;
  /** The job type. */
  readonly jobType: string | null;
  /** The sweep's short id. */
  readonly sweepName: string | null;
  /** The machine the run ran on. */
  readonly host: string | null;
  /** The user name (else the user's name) of who logged the run. */
  readonly user: string | null;
  /** The run's page in the W&B app. */
  readonly url: string;
}

/** A column of `runsToRows`: a run field, `config.<path>` of C or `summary.<path>` of S. */
export type RunColumn<C = Record<string, unknown>, S = Record<string, unknown>> = keyof RunRowFields | `config.${Paths<C>}` | `summary.${Paths<S>}`;

/** A row with the columns K, each typed from the run's fields, C and S (null where the run lacks it). */
export type RunRow<C, S, K extends string> = {
  readonly [P in K]: P extends keyof RunRowFields
    ? RunRowFields[P]
    : P extends `config.${infer Q}`
      ? PathValue<C, Q> | null
      : P extends `summary.${infer Q}`
        ? PathValue<S, Q> | null
        : unknown;
};

/** Options of `runsToRows`: `columns` picks and orders them (their types follow C and S). */
export interface RunsToRowsOptions<K extends string = string> {
  /** Which columns, in this order (missing ones are null). Default: each run's own columns, fields first. */
  columns?: readonly K[];
}

/**
 * The rows `runsToRows` gives. When the columns' literal types are known (the config and summary
 * types inferred, e.g. from the runs given), exactly those columns; otherwise (`runsToRows<C, S>(…)`,
 * or no columns) any column, each typed where C and S tell, and possibly missing.
 */
export type RunRows<C, S, K extends string> = [RunColumn<C, S>] extends [K] ? (Partial<RunRow<C, S, K>> & RunTableRow)[] : RunRow<C, S, K>[];

/** Nested plain objects become dotted keys; arrays, empty objects and W&B objects (`_type`) stay values. */
function flatten(prefix: string, value: Readonly<Record<string, unknown>>, out: RunTableRow): void {
  for (const [key, v] of Object.entries(value)) {
    const name = `${prefix}.${key}`;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && !('_type' in v) && Object.keys(v).length > 0) {
      flatten(name, v as Record<string, unknown>, out);
    } else {
      out[name] = v;
    }
  }
}

function toRow(run: LightRun | Run): RunTableRow {
  const row: RunTableRow = {
    id: run.id,
    name: run.name,
    entity: run.entity,
    project: run.project,
    state: run.state,
    createdAt: run.createdAt,
    heartbeatAt: run.heartbeatAt,
    tags: run.tags,
    group: run.group,
    jobType: run.jobType,
    sweepName: run.sweepName,
    host: run.host,
    user: run.user?.username ?? run.user?.name ?? null,
    url: run.url,
  };
  if ('config' in run) flatten('config', run.config, row);
  if ('summary' in run) flatten('summary', run.summary, row);
  return row;
}

function checkColumns(columns: readonly string[] | undefined): void {
  if (columns !== undefined && (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string' || c === ''))) {
    throw new ValidationError('columns must be a list of non-empty strings.');
  }
}

/**
 * One flat row per run from the pages of ONE full runs query (never a query per run): `id`,
 * `name`, `state`, `createdAt`, `tags` … then `config.<key>` and `summary.<key>` with nested
 * objects flattened to dotted keys. `columns` picks and orders them. Pass a `listRuns(…, { full:
 * true })` (a light one has no config or summary columns), or the client and a project path.
 * @example
 * const rows = await runsToRows(client, 'acme/mnist', { columns: ['id', 'config.lr', 'summary.loss'] });
 */
export function runsToRows<C = Record<string, unknown>, S = Record<string, unknown>, K extends RunColumn<C, S> = RunColumn<C, S>>(
  runs: AsyncIterable<LightRun | Run<C, S>> | Iterable<LightRun | Run<C, S>>,
  options?: RunsToRowsOptions<K>,
): Promise<RunRows<C, S, K>>;
export function runsToRows<C = Record<string, unknown>, S = Record<string, unknown>, K extends RunColumn<NoInfer<C>, NoInfer<S>> = RunColumn<C, S>>(
  client: WandbClient,
  path: string | ProjectPath | undefined,
  options?: ListRunsOptions<C, S> & RunsToRowsOptions<K>,
): Promise<RunRows<C, S, K>>;
export async function runsToRows(
  source: WandbClient | AsyncIterable<LightRun | Run> | Iterable<LightRun | Run>,
  pathOrOptions?: string | ProjectPath | RunsToRowsOptions,
  maybeOptions: ListRunsOptions & RunsToRowsOptions = {},
): Promise<RunTableRow[]> {
  let runs: AsyncIterable<LightRun | Run> | Iterable<LightRun | Run>;
  let columns: readonly string[] | undefined;
  if (isIterable(source)) {
    const options = (pathOrOptions ?? {}) as RunsToRowsOptions;
    columns = options.columns;
    checkColumns(columns);
    runs = source;
  } else {
    const { columns: picked, ...listOptions } = maybeOptions;
    columns = picked;
    checkColumns(columns);
    runs = listRuns(source, pathOrOptions as string | ProjectPath | undefined, { ...listOptions, full: true });
  }
  const rows: RunTableRow[] = [];
  for await (const run of runs) rows.push(toRow(run));
  if (!columns) return rows;
  const picked = columns;
  return rows.map((row) => Object.fromEntries(picked.map((c) => [c, Object.hasOwn(row, c) ? row[c] : null])));
}
