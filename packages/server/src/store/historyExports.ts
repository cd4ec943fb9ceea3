/**
 * Parquet exports of run history, as W&B writes them for finished runs and hands out through
 * `Run.parquetHistory`: the rows with `_step` below an export point go into one parquet file (a
 * blob, served by signed storage URL); the rows from that point on stay "live" (GraphQL).
 *
 * Columns: `_step` (INT64, not null), then one column per top-level history key, nullable, null
 * meaning "not logged at this step". Each key's type comes from its values:
 * - all numbers (NaN and ±Infinity included) → DOUBLE;
 * - all booleans → BOOLEAN; all strings → STRING;
 * - anything else (objects, arrays, logged nulls, mixed types) → STRING holding the value's JSON
 *   text in W&B's dialect (bare NaN/Infinity), listed in the file's key-value metadata under
 *   `wandb.json_columns`; a logged `null` is the text `null`, distinct from "not logged". (Parquet's
 *   JSON converted type would be the natural choice, but its writers and readers use strict JSON,
 *   which cannot hold NaN.)
 *
 * Exports are cached per run in memory and dropped when the run's history changes (History.append
 * bumps its generation), so the next request writes a fresh one.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Blobs, StoredBlob } from './blobs';
import type { Db } from './db';
import type { History } from './history';
import { parseLenient, stringifyLenient } from './json';

/** Which runs get exports: finished ones (as W&B), every run, or none (every row stays live). */
export type HistoryExportPolicy = 'finished' | 'all' | 'off';

export interface HistoryExport {
  /** Exclusive: rows with `_step < endStep` are in the file. */
  endStep: number;
  rows: number;
  blob: StoredBlob;
}

interface CachedExport extends HistoryExport {
  generation: number;
}

type ColumnType = 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'JSON';

/** Key-value metadata entry listing the columns that hold JSON text. */
export const JSON_COLUMNS_KEY = 'wandb.json_columns';

// Row groups small enough that a reader skips most of a long run by `_step` statistics.
const ROW_GROUP_SIZE = 10_000;

function columnType(values: readonly unknown[]): ColumnType {
  let type: ColumnType | undefined;
  for (const v of values) {
    if (v === undefined) continue;
    const t: ColumnType =
      typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : typeof v === 'string' ? 'STRING' : 'JSON';
    if (t === 'JSON' || (type && type !== t)) return 'JSON';
    type = t;
  }
  return type ?? 'JSON';
}

/** The parquet bytes for `rows` (each with an integer `_step`, in step order). */
export function historyParquet(rows: readonly Record<string, unknown>[]): Uint8Array {
  const keys: string[] = [];
  const seen = new Set<string>(['_step']);
  for (const row of rows) for (const k in row) if (!seen.has(k)) (seen.add(k), keys.push(k));
  const jsonColumns: string[] = [];
  const columnData = [
    { name: '_step', data: rows.map((r) => BigInt(r._step as number)), type: 'INT64' as const, nullable: false },
    ...keys.map((key) => {
      const values = rows.map((r) => (Object.hasOwn(r, key) ? r[key] : undefined));
      const type = columnType(values);
      if (type === 'JSON') jsonColumns.push(key);
      const data = values.map((v) => (v === undefined ? null : type === 'JSON' ? stringifyLenient(v) : v));
      // Statistics of NaN-holding doubles mean little to readers; only `_step`'s drive skipping.
      return { name: key, data, type: type === 'JSON' ? ('STRING' as const) : type, statistics: false };
    }),
  ];
  return new Uint8Array(
    parquetWriteBuffer({
      columnData,
      rowGroupSize: ROW_GROUP_SIZE,
      createdBy: 'wandb-api local server',
      kvMetadata: [{ key: JSON_COLUMNS_KEY, value: JSON.stringify(jsonColumns) }],
    }),
  );
}

export class HistoryExports {
  private readonly cache = new Map<number, CachedExport>();

  constructor(
    private readonly db: Db,
    private readonly blobs: Blobs,
    private readonly history: History,
  ) {}

  /** The cached export of the run, if its history has not changed since it was written. */
  current(runId: number): HistoryExport | undefined {
    const cached = this.cache.get(runId);
    if (cached && cached.generation === this.history.generation(runId)) return cached;
    this.cache.delete(runId);
    return undefined;
  }

  /**
   * Writes the rows with `_step < endStep` (default: every row) to a parquet blob and caches it as
   * the run's export. Undefined when there is nothing to export.
   */
  write(runId: number, endStep?: number): HistoryExport | undefined {
    const end = endStep ?? Number.MAX_SAFE_INTEGER;
    const texts = this.db.prepare('SELECT row FROM history WHERE run_id = ? AND step < ? ORDER BY step').pluck().all(runId, end) as string[];
    if (texts.length === 0) return undefined;
    const rows = texts.map((t) => parseLenient(t) as Record<string, unknown>);
    const lastStep = rows[rows.length - 1]?._step as number;
    const exported: CachedExport = {
      endStep: endStep ?? lastStep + 1,
      rows: rows.length,
      blob: this.blobs.put(historyParquet(rows)),
      generation: this.history.generation(runId),
    };
    this.cache.set(runId, exported);
    return exported;
  }

  /** The run's export under `policy`: the cached one, else a fresh one when the run qualifies. */
  forRun(run: { id: number; state: string }, policy: HistoryExportPolicy): HistoryExport | undefined {
    if (policy === 'off') return undefined;
    const cached = this.current(run.id);
    if (cached) return cached;
    // W&B exports a run's history once it has ended; a running (or pending) run is all live.
    if (policy === 'finished' && (run.state === 'running' || run.state === 'pending')) return undefined;
    return this.write(run.id);
  }
}
