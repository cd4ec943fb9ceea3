/** Console output of runs (Run.logLines): numbered lines, stdout ('info') or stderr ('error'). */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { Page } from './cursor';
import { pageSize } from './cursor';
import { storeNow } from './time';

export interface LogLineRow {
  run_id: number;
  number: number;
  timestamp: string | null;
  level: string;
  label: string | null;
  line: string;
}

/** One line to append; `stream: 'stderr'` stores level 'error'. */
export interface NewLogLine {
  line: string;
  /** Default 'stdout'. */
  stream?: 'stdout' | 'stderr';
  /** ISO time; W&B writes it without a zone (UTC). Default: now. */
  timestamp?: string | null;
  /** E.g. the rank of a distributed worker. */
  label?: string | null;
}

export interface LogLineListOptions {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** A cursor is the base64 of `line:<number>`; clients pass it back opaque. */
export const encodeLogCursor = (n: number): string => Buffer.from(`line:${n}`, 'utf8').toString('base64');

function decodeLogCursor(cursor: string): number {
  const match = /^line:(-?\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new UserInputError(`invalid cursor ${JSON.stringify(cursor)}: pass back a cursor from logLines`);
  return Number(match[1]);
}

export class LogLines {
  constructor(private readonly db: Db) {}

  /** Appends lines after the run's last one; returns how many the run has now. */
  append(runId: number, lines: readonly NewLogLine[]): number {
    return this.db.transaction(() => {
      let next = this.count(runId);
      const insert = this.db.prepare('INSERT INTO log_lines (run_id, number, timestamp, level, label, line) VALUES (?, ?, ?, ?, ?, ?)');
      for (const l of lines) {
        const timestamp = l.timestamp === undefined ? new Date(storeNow()).toISOString().replace('Z', '') : l.timestamp;
        insert.run(runId, next++, timestamp, l.stream === 'stderr' ? 'error' : 'info', l.label ?? null, l.line);
      }
      return next;
    });
  }

  count(runId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM log_lines WHERE run_id = ?').get(runId) as { n: number }).n;
  }

  /**
   * Forward (`first` after a cursor) or backward (`last` before a cursor, or the tail); rows always
   * come in line order. Both without a size: the first 500 lines, as W&B serves by default.
   */
  list(runId: number, opts: LogLineListOptions): Page<LogLineRow> & { hasPreviousPage: boolean } {
    const backward = opts.last !== null && opts.last !== undefined && (opts.first === null || opts.first === undefined);
    const limit = pageSize(backward ? opts.last : opts.first, 500);
    let rows: LogLineRow[];
    let more: boolean;
    if (backward) {
      const before = opts.before ? decodeLogCursor(opts.before) : Number.MAX_SAFE_INTEGER;
      rows = this.db
        .prepare('SELECT * FROM log_lines WHERE run_id = ? AND number < ? ORDER BY number DESC LIMIT ?')
        .all(runId, before, limit + 1) as LogLineRow[];
      more = rows.length > limit;
      rows = rows.slice(0, limit).reverse();
      const last = rows.at(-1);
      const hasNextPage = last !== undefined && last.number < this.count(runId) - 1;
      return { items: rows.map((node) => ({ node, cursor: encodeLogCursor(node.number) })), hasNextPage, hasPreviousPage: more };
    }
    const after = opts.after ? decodeLogCursor(opts.after) : -1;
    rows = this.db
      .prepare('SELECT * FROM log_lines WHERE run_id = ? AND number > ? ORDER BY number LIMIT ?')
      .all(runId, after, limit + 1) as LogLineRow[];
    more = rows.length > limit;
    return {
      items: rows.slice(0, limit).map((node) => ({ node, cursor: encodeLogCursor(node.number) })),
      hasNextPage: more,
      hasPreviousPage: after >= 0,
    };
  }
}
