/**
 * History rows (one JSON line per step) and the `historyKeys` summary W&B keeps per run:
 * {keys: {<dotted key>: {typeCounts: [{type, count}], previousValue}}, lastStep}.
 */
import type { Db } from './db';
import { stringifyLenient } from './json';

export interface HistoryKeys {
  keys: Record<string, { typeCounts: { type: string; count: number }[]; previousValue: unknown }>;
  lastStep: number;
}

function typeName(value: unknown): string {
  if (value === null) return 'nil';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'map';
}

/** Computes historyKeys for rows whose `_step` is set. */
export function historyKeysOf(rows: readonly Record<string, unknown>[]): HistoryKeys {
  const keys: HistoryKeys['keys'] = {};
  let lastStep = -1;
  const visit = (prefix: string, obj: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        visit(`${key}.`, v as Record<string, unknown>);
        continue;
      }
      const entry = (keys[key] ??= { typeCounts: [], previousValue: null });
      const type = typeName(v);
      const count = entry.typeCounts.find((t) => t.type === type);
      if (count) count.count++;
      else entry.typeCounts.push({ type, count: 1 });
      // JSON cannot carry NaN/Infinity in the parsed historyKeys object.
      entry.previousValue = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
  };
  for (const row of rows) {
    visit('', row);
    if (typeof row._step === 'number' && row._step > lastStep) lastStep = row._step;
  }
  return { keys, lastStep };
}

export class History {
  constructor(private readonly db: Db) {}

  /** Stores rows as W&B writes them (bare NaN/Infinity kept); each row must carry an integer `_step`. */
  insert(runId: number, rows: readonly Record<string, unknown>[]): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO history (run_id, step, row) VALUES (?, ?, ?)');
    for (const row of rows) stmt.run(runId, row._step as number, stringifyLenient(row));
  }
}
