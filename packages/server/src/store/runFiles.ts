/**
 * Run files: one row per (run, name) pointing at a blob by MD5. Listing pages by name (keyset), with
 * W&B's two filters: exact `names`, or a SQL LIKE `pattern`.
 */
import type { Blobs } from './blobs';
import { decodeCursor, encodeCursor, keysetAfter, pageSize, type Page } from './cursor';
import type { Db } from './db';
import type { SqlValue } from './filters';
import { wandbTime } from './time';

export interface RunFileRow {
  id: number;
  run_id: number;
  name: string;
  /** Hex MD5 of the content (the blob's name). */
  md5_hex: string;
  /** Base64 MD5, as W&B reports it. */
  md5: string;
  size_bytes: number;
  mimetype: string;
  created_at: string;
  updated_at: string;
}

export interface RunFileListOptions {
  names?: readonly (string | null)[] | null | undefined;
  pattern?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

const MIMETYPES: Record<string, string> = {
  json: 'application/json',
  log: 'text/plain',
  txt: 'text/plain',
  md: 'text/markdown',
  yaml: 'application/x-yaml',
  yml: 'application/x-yaml',
  csv: 'text/csv',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  py: 'text/x-python',
};

/** The content type W&B would report for a file name (by extension; binary by default). */
export function mimetypeOf(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && MIMETYPES[ext]) || 'application/octet-stream';
}

export class RunFiles {
  constructor(private readonly db: Db) {}

  /** Registers (or replaces) a run's file with content already in the blob store. */
  put(runId: number, name: string, blob: { md5Hex: string; md5: string; size: number }): RunFileRow {
    const now = wandbTime();
    this.db
      .prepare(
        `INSERT INTO run_files (run_id, name, md5_hex, md5, size_bytes, mimetype, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, name) DO UPDATE SET md5_hex = excluded.md5_hex, md5 = excluded.md5,
           size_bytes = excluded.size_bytes, mimetype = excluded.mimetype, updated_at = excluded.updated_at`,
      )
      .run(runId, name, blob.md5Hex, blob.md5, blob.size, mimetypeOf(name), now, now);
    return this.byName(runId, name) as RunFileRow;
  }

  byId(id: number): RunFileRow | undefined {
    return this.db.prepare('SELECT * FROM run_files WHERE id = ?').get(id) as RunFileRow | undefined;
  }

  byName(runId: number, name: string): RunFileRow | undefined {
    return this.db.prepare('SELECT * FROM run_files WHERE run_id = ? AND name = ?').get(runId, name) as RunFileRow | undefined;
  }

  /** Every file of the run, whatever a listing filters (W&B's `fileCount`). */
  count(runId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM run_files WHERE run_id = ?').get(runId) as { n: number }).n;
  }

  /** One page in name order. An empty `names` list means no name filter, as W&B reads `[]`. */
  list(runId: number, opts: RunFileListOptions): Page<RunFileRow> {
    const limit = pageSize(opts.first);
    const where = ['run_id = ?'];
    const params: SqlValue[] = [runId];
    const names = (opts.names ?? []).filter((n): n is string => typeof n === 'string');
    if (names.length > 0) {
      where.push(`name IN (${names.map(() => '?').join(', ')})`);
      params.push(...names);
    }
    if (opts.pattern) {
      where.push("name LIKE ? ESCAPE '\\'");
      params.push(opts.pattern);
    }
    if (opts.after) {
      const after = keysetAfter(['name'], false, decodeCursor(opts.after, 1), 'id');
      where.push(after.sql);
      params.push(...after.params);
    }
    params.push(limit + 1);
    const rows = this.db
      .prepare(`SELECT * FROM run_files WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT ?`)
      .all(...params) as RunFileRow[];
    return {
      items: rows.slice(0, limit).map((node) => ({ node, cursor: encodeCursor([node.name], node.id) })),
      hasNextPage: rows.length > limit,
    };
  }

  /** Deletes rows by id; the blobs stay (other files may share the content). */
  delete(ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    return this.db.prepare(`DELETE FROM run_files WHERE id IN (${ids.map(() => '?').join(', ')})`).run(...ids).changes;
  }
}

/** Stores content and registers it as a run file: the one path for uploads, seeds and fixtures. */
export function addRunFile(files: RunFiles, blobs: Blobs, runId: number, name: string, data: Uint8Array | string): RunFileRow {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return files.put(runId, name, blobs.put(bytes));
}
