/** Saved views of a project; those of type "runs" are reports. Listed oldest first, keyset-paged on the id. */
import { UserInputError } from '../errors';
import { decodeCursor, encodeCursor, keysetAfter, pageSize, type Page } from './cursor';
import type { Db } from './db';
import type { SqlValue } from './filters';
import { storeNow, wandbTime } from './time';

export interface ViewRow {
  id: number;
  project_id: number;
  type: string;
  name: string | null;
  display_name: string | null;
  description: string | null;
  spec: string | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface NewView {
  projectId: number;
  /** A fixed row id (seeds use it for stable report URLs). */
  id?: number | undefined;
  /** Default "runs" (a report). */
  type?: string | undefined;
  name?: string | null | undefined;
  displayName?: string | null | undefined;
  description?: string | null | undefined;
  /** JSON text as written (NaN/Infinity allowed). */
  spec?: string | null | undefined;
  userId?: number | null | undefined;
  createdAt?: Date | string | number | undefined;
  updatedAt?: Date | string | number | undefined;
}

export interface ViewListOptions {
  first?: number | null | undefined;
  after?: string | null | undefined;
  viewType?: string | null | undefined;
  viewName?: string | null | undefined;
}

export class Views {
  constructor(private readonly db: Db) {}

  insert(input: NewView): ViewRow {
    const created = wandbTime(input.createdAt ?? storeNow());
    const { id } = this.db
      .prepare(
        `INSERT INTO views (id, project_id, type, name, display_name, description, spec, user_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        input.id ?? null,
        input.projectId,
        input.type ?? 'runs',
        input.name ?? null,
        input.displayName ?? null,
        input.description ?? null,
        input.spec ?? null,
        input.userId ?? null,
        created,
        wandbTime(input.updatedAt ?? created),
      ) as { id: number };
    return this.byId(id) as ViewRow;
  }

  byId(id: number): ViewRow | undefined {
    return this.db.prepare('SELECT * FROM views WHERE id = ?').get(id) as ViewRow | undefined;
  }

  /** One page of a project's views, optionally of one type and one name. */
  list(projectId: number, opts: ViewListOptions): Page<ViewRow> {
    const limit = pageSize(opts.first);
    const where = ['project_id = ?'];
    const params: SqlValue[] = [projectId];
    if (opts.viewType) {
      where.push('type = ?');
      params.push(opts.viewType);
    }
    if (opts.viewName) {
      where.push('name = ?');
      params.push(opts.viewName);
    }
    if (opts.after) {
      const after = keysetAfter([], false, decodeCursor(opts.after, 0), 'id');
      where.push(after.sql);
      params.push(...after.params);
    }
    params.push(limit + 1);
    const rows = this.db.prepare(`SELECT * FROM views WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...params) as ViewRow[];
    return {
      items: rows.slice(0, limit).map((node) => ({ node, cursor: encodeCursor([], node.id) })),
      hasNextPage: rows.length > limit,
    };
  }

  count(projectId: number, opts: Omit<ViewListOptions, 'first' | 'after'>): number {
    const row = this.db
      .prepare('SELECT count(*) AS n FROM views WHERE project_id = ? AND (? IS NULL OR type = ?) AND (? IS NULL OR name = ?)')
      .get(projectId, opts.viewType ?? null, opts.viewType ?? null, opts.viewName ?? null, opts.viewName ?? null) as { n: number };
    return row.n;
  }
}

/** W&B view ids: base64 of "View:<id>". */
export function viewGid(id: number): string {
  return Buffer.from(`View:${id}`, 'utf8').toString('base64');
}

/** The row id in a view's global id (the `=` padding may be missing, as report URLs strip it). */
export function decodeViewGid(gid: string): number {
  const match = /^View:(\d+)$/.exec(Buffer.from(gid, 'base64').toString('utf8'));
  if (!match) throw new UserInputError(`invalid view id ${JSON.stringify(gid)}`);
  return Number(match[1]);
}
