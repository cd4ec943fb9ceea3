// Output formats for rows: an aligned text table, CSV (RFC 4180), and JSON lines. CSV and JSON
// lines stream when the columns are known up front; a table (and CSV without columns, whose header
// is the union of every row's keys) waits for the last row.
import { stringifyJson } from '@wandb-api/core';
import type { Output } from './output.js';

export type Format = 'table' | 'csv' | 'jsonl';
export type Row = Readonly<Record<string, unknown>>;

/**
 * A value as text for a table or CSV cell: empty for null/missing, numbers as JS prints them
 * (NaN, Infinity), strings as they are, anything else as W&B-dialect JSON.
 * @example cellText(Infinity) // 'Infinity'
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return stringifyJson(value);
}

/**
 * One CSV line (with its CRLF-free `\n` ending): fields quoted when they hold a comma, quote or line break.
 * @example csvLine(['a', 'b,c', 1]) // 'a,"b,c",1\n'
 */
export function csvLine(values: readonly unknown[]): string {
  return `${values
    .map((v) => {
      const text = cellText(v);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\n`;
}

/**
 * The keys of all rows, in the order they first appear.
 * @example columnsOf([{ a: 1 }, { b: 2, a: 3 }]) // ['a', 'b']
 */
export function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

const MAX_CELL = 48;

/**
 * The lines of an aligned text table (header, rule, rows; each ending in `\n`); long cells are cut
 * with an ellipsis. Widths are found with plain loops: a table of 200k rows must not spread them
 * into Math.max (which overflows the call stack).
 * @example [...tableLines(['id', 'loss'], [{ id: 'a', loss: 0.5 }])].join('') // 'id  loss\n--  ----\na    0.5\n'
 */
export function* tableLines(columns: readonly string[], rows: readonly Row[]): Generator<string> {
  const cut = (s: string) => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s.replace(/\s/g, ' '));
  const widths = columns.map((c) => c.length);
  const numeric = columns.map(() => rows.length > 0);
  for (const row of rows) {
    columns.forEach((c, i) => {
      const value = row[c];
      if (!(value === null || value === undefined || typeof value === 'number')) numeric[i] = false;
      widths[i] = Math.max(widths[i]!, cut(cellText(value)).length);
    });
  }
  const line = (values: readonly string[]) =>
    `${values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}\n`;
  yield line(columns);
  yield line(widths.map((w) => '-'.repeat(w)));
  for (const row of rows) yield line(columns.map((c) => cut(cellText(row[c]))));
}

/**
 * An aligned text table as one string (see tableLines).
 * @example renderTable(['id', 'loss'], [{ id: 'a', loss: 0.5 }]) // 'id  loss\n--  ----\na    0.5\n'
 */
export function renderTable(columns: readonly string[], rows: readonly Row[]): string {
  return [...tableLines(columns, rows)].join('');
}

/** Writes rows in one format; call `end()` after the last row. */
export class RowWriter {
  private readonly buffered: Row[] = [];
  private headerDone = false;

  constructor(
    private readonly out: Output,
    private readonly format: Format,
    /** The columns, in order; undefined: each row's own keys (JSON lines) or their union. */
    private readonly columns?: readonly string[],
  ) {}

  private pick(row: Row): Row {
    if (!this.columns) return row;
    return Object.fromEntries(this.columns.map((c) => [c, Object.hasOwn(row, c) ? row[c] : null]));
  }

  async write(row: Row): Promise<void> {
    if (this.format === 'jsonl') return this.out.write(`${stringifyJson(this.pick(row))}\n`);
    if (this.format === 'csv' && this.columns) {
      if (!this.headerDone) {
        this.headerDone = true;
        await this.out.write(csvLine(this.columns));
      }
      return this.out.write(csvLine(this.columns.map((c) => row[c])));
    }
    this.buffered.push(row);
  }

  async end(): Promise<void> {
    if (this.format === 'jsonl') return;
    const columns = this.columns ?? columnsOf(this.buffered);
    if (this.format === 'table') {
      // Written in chunks of lines: no single string of the whole table.
      let chunk = '';
      for (const line of tableLines(columns, this.buffered)) {
        chunk += line;
        if (chunk.length >= 1 << 16) {
          await this.out.write(chunk);
          chunk = '';
        }
      }
      return this.out.write(chunk);
    }
    if (!this.headerDone && columns.length > 0) await this.out.write(csvLine(columns));
    for (const row of this.buffered) await this.out.write(csvLine(columns.map((c) => row[c])));
  }
}
