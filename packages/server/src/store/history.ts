/**
 * History rows (one JSON line per step), system-metrics rows (`events`, the "system" stream) and the
 * `historyKeys` summary W&B keeps per run: {keys: {<dotted key>: {typeCounts: [{type, count}],
 * previousValue}}, lastStep}. Rows are stored as W&B writes them (bare NaN/Infinity kept).
 */
import type { Db } from './db';
import { parseLenient, stringifyLenient } from './json';

export interface HistoryKeys {
  keys: Record<string, { typeCounts: { type: string; count: number }[]; previousValue: unknown }>;
  lastStep: number;
}

/** One sampledHistory spec: rows holding every key, each row holding only those keys. */
export interface SampleSpec {
  keys: string[];
  samples: number;
  /** Inclusive bounds, as W&B's sampledHistory takes them. */
  minStep?: number;
  maxStep?: number;
}

type Row = Record<string, unknown>;

function typeName(value: unknown): string {
  if (value === null) return 'nil';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'map';
}

/** Counts one row into `into` (mutated): its dotted keys, their value types, the last step. */
export function countRow(into: HistoryKeys, row: Row): void {
  const visit = (prefix: string, obj: Row): void => {
    for (const k in obj) {
      const v = obj[k];
      const key = prefix + k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        visit(`${key}.`, v as Row);
        continue;
      }
      const entry = (into.keys[key] ??= { typeCounts: [], previousValue: null });
      const type = typeName(v);
      const count = entry.typeCounts.find((t) => t.type === type);
      if (count) count.count++;
      else entry.typeCounts.push({ type, count: 1 });
      // JSON cannot carry NaN/Infinity in the parsed historyKeys object.
      entry.previousValue = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
  };
  visit('', row);
  if (typeof row._step === 'number' && row._step > into.lastStep) into.lastStep = row._step;
}

/**
 * Indices of at most `samples` of `n` items, spread evenly, first and last kept (W&B samples
 * history down the same way: the ends of a curve matter most).
 */
export function sampleIndices(n: number, samples: number): number[] {
  if (n <= samples) return Array.from({ length: n }, (_, i) => i);
  if (samples <= 0) return [];
  if (samples === 1) return [0];
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push(Math.round((i * (n - 1)) / (samples - 1)));
  return out;
}

const pick = <T>(items: readonly T[], samples: number): T[] => sampleIndices(items.length, samples).map((i) => items[i] as T);

// SQLite integers are 64-bit; JS numbers beyond 2^53 lose precision anyway, so clamp window bounds.
const MAX_STEP = Number.MAX_SAFE_INTEGER;

export class History {
  /** Per run, how many times its history changed in this process (parquet exports check it). */
  private readonly generations = new Map<number, number>();

  constructor(private readonly db: Db) {}

  /** Changes whenever the run's history rows change; cached derived data compares it. */
  generation(runId: number): number {
    return this.generations.get(runId) ?? 0;
  }

  /**
   * Adds rows (each with an integer `_step`; a step logged again replaces its row) and keeps the
   * run's `historyKeys` and `historyLineCount` in step. Rows may come from a generator (a big seed
   * streams them); call inside a transaction.
   */
  append(runId: number, rows: Iterable<Row>): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO history (run_id, step, row) VALUES (?, ?, ?)');
    const current = this.db.prepare('SELECT history_keys FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined;
    const keys: HistoryKeys = current ? (JSON.parse(current) as HistoryKeys) : { keys: {}, lastStep: -1 };
    for (const row of rows) {
      if (!Number.isSafeInteger(row._step)) throw new Error(`history row without an integer _step: ${stringifyLenient(row).slice(0, 80)}`);
      insert.run(runId, row._step as number, stringifyLenient(row));
      countRow(keys, row);
    }
    this.generations.set(runId, this.generation(runId) + 1);
    const count = this.db.prepare('SELECT count(*) FROM history WHERE run_id = ?').pluck().get(runId) as number;
    this.db.prepare('UPDATE runs SET history_keys = ?, history_line_count = ? WHERE id = ?').run(JSON.stringify(keys), count, runId);
  }

  /** Adds system-metrics rows (the "system" stream), in order after the ones already stored. */
  appendEvents(runId: number, rows: readonly Row[]): void {
    const next = this.db.prepare('SELECT coalesce(max(seq) + 1, 0) FROM events WHERE run_id = ?').pluck().get(runId) as number;
    const stmt = this.db.prepare('INSERT INTO events (run_id, seq, row) VALUES (?, ?, ?)');
    rows.forEach((row, i) => stmt.run(runId, next + i, stringifyLenient(row)));
  }

  /** Row texts with minStep ≤ _step < maxStep in step order, sampled down to `samples` rows. */
  rows(runId: number, opts: { minStep?: number | null; maxStep?: number | null; samples?: number | null }): string[] {
    const min = Math.max(opts.minStep ?? 0, -MAX_STEP);
    const max = Math.min(opts.maxStep ?? MAX_STEP, MAX_STEP);
    const samples = opts.samples ?? 500;
    const where = 'run_id = ? AND step >= ? AND step < ?';
    const count = this.db.prepare(`SELECT count(*) FROM history WHERE ${where}`).pluck().get(runId, min, max) as number;
    if (count <= samples) {
      return this.db.prepare(`SELECT row FROM history WHERE ${where} ORDER BY step`).pluck().all(runId, min, max) as string[];
    }
    // Pick the steps first so only the sampled rows' text is read.
    const steps = this.db.prepare(`SELECT step FROM history WHERE ${where} ORDER BY step`).pluck().all(runId, min, max) as number[];
    const one = this.db.prepare('SELECT row FROM history WHERE run_id = ? AND step = ?').pluck();
    return pick(steps, samples).map((step) => one.get(runId, step) as string);
  }

  /** sampledHistory for one spec: rows holding every key of the spec, with only those keys, sampled. */
  sampled(runId: number, spec: SampleSpec): Row[] {
    const min = Math.max(spec.minStep ?? 0, -MAX_STEP);
    const max = Math.min(spec.maxStep ?? MAX_STEP, MAX_STEP);
    const texts = this.db
      .prepare('SELECT row FROM history WHERE run_id = ? AND step >= ? AND step <= ? ORDER BY step')
      .pluck()
      .all(runId, min, max) as string[];
    const out: Row[] = [];
    for (const text of texts) {
      const row = parseLenient(text) as Row;
      const picked: Row = {};
      let complete = true;
      for (const key of spec.keys) {
        if (!Object.hasOwn(row, key)) {
          complete = false;
          break;
        }
        picked[key] = row[key];
      }
      if (complete) out.push(picked);
    }
    return pick(out, spec.samples);
  }

  /**
   * Rows with `_step ≥ fromStep`, holding only those of `keys` they have (parquetHistory's live
   * rows), in step order.
   */
  live(runId: number, keys: readonly string[], fromStep = 0): Row[] {
    // W&B's clients ask for `_step` alone (to find where live data starts): no row text to parse.
    if (keys.length > 0 && keys.every((k) => k === '_step')) {
      const steps = this.db.prepare('SELECT step FROM history WHERE run_id = ? AND step >= ? ORDER BY step').pluck().all(runId, fromStep) as number[];
      return steps.map((step) => ({ _step: step }));
    }
    const texts = this.db.prepare('SELECT row FROM history WHERE run_id = ? AND step >= ? ORDER BY step').pluck().all(runId, fromStep) as string[];
    return texts.map((text) => {
      const row = parseLenient(text) as Row;
      const picked: Row = {};
      for (const key of keys) if (Object.hasOwn(row, key)) picked[key] = row[key];
      return picked;
    });
  }

  /** System-metrics row texts in logged order, sampled down to `samples`. */
  events(runId: number, samples: number): string[] {
    const texts = this.db.prepare('SELECT row FROM events WHERE run_id = ? ORDER BY seq').pluck().all(runId) as string[];
    return pick(texts, samples);
  }
}
