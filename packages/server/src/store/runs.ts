/** Runs: insert/update, lookups, filtered keyset-paged listing and counts. */
import type { Db } from './db';
import { decodeCursor, encodeCursor, keysetAfter, pageSize, type Page } from './cursor';
import { compileRunFilter, type SqlValue } from './filters';
import type { ObjectPayload } from './json';
import { parseRunOrder } from './order';
import { wandbTime } from './time';

export interface RunRow {
  id: number;
  project_id: number;
  name: string;
  display_name: string | null;
  state: string;
  config: string;
  summary: string;
  system_metrics: string;
  tags: string;
  group_name: string | null;
  job_type: string | null;
  sweep_name: string | null;
  commit_sha: string | null;
  host: string | null;
  description: string | null;
  notes: string | null;
  user_id: number | null;
  created_at: string;
  heartbeat_at: string | null;
  updated_at: string;
  history_line_count: number;
  history_keys: string | null;
  /** 1 once stopRun asked the run to stop. */
  should_stop: number;
}

/** Everything but the strict JSON copies, which exist only for SQL. */
const COLUMNS =
  'r.id, r.project_id, r.name, r.display_name, r.state, r.config, r.summary, r.system_metrics, r.tags, r.group_name, ' +
  'r.job_type, r.sweep_name, r.commit_sha, r.host, r.description, r.notes, r.user_id, r.created_at, r.heartbeat_at, ' +
  'r.updated_at, r.history_line_count, r.history_keys, r.should_stop';

/** Settable run fields, already validated and normalised (times in W&B format, payloads parsed). */
export interface RunFields {
  displayName?: string | null;
  state?: string;
  config?: ObjectPayload;
  summary?: ObjectPayload;
  systemMetrics?: ObjectPayload;
  tags?: string[];
  group?: string | null;
  jobType?: string | null;
  sweep?: string | null;
  commit?: string | null;
  host?: string | null;
  description?: string | null;
  notes?: string | null;
  userId?: number | null;
  createdAt?: string;
  heartbeatAt?: string | null;
  historyLineCount?: number;
  historyKeys?: string | null;
}

/** The columns a RunFields sets; payloads set both the raw text and the strict copy. */
function columnsOf(f: RunFields): [string, SqlValue][] {
  const out: [string, SqlValue][] = [];
  const set = (column: string, value: SqlValue | undefined): void => {
    if (value !== undefined) out.push([column, value]);
  };
  set('display_name', f.displayName);
  set('state', f.state);
  set('config', f.config?.raw);
  set('config_json', f.config?.strict);
  set('summary', f.summary?.raw);
  set('summary_json', f.summary?.strict);
  set('system_metrics', f.systemMetrics?.raw);
  set('tags', f.tags && JSON.stringify(f.tags));
  set('group_name', f.group);
  set('job_type', f.jobType);
  set('sweep_name', f.sweep);
  set('commit_sha', f.commit);
  set('host', f.host);
  set('description', f.description);
  set('notes', f.notes);
  set('user_id', f.userId);
  set('created_at', f.createdAt);
  set('heartbeat_at', f.heartbeatAt);
  set('history_line_count', f.historyLineCount);
  set('history_keys', f.historyKeys);
  return out;
}

export interface RunListOptions {
  filters?: string | null | undefined;
  order?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export class Runs {
  constructor(private readonly db: Db) {}

  insert(projectId: number, name: string, fields: RunFields): RunRow {
    const now = wandbTime();
    const cols = columnsOf({ createdAt: now, heartbeatAt: now, ...fields });
    const names = ['project_id', 'name', 'updated_at', ...cols.map(([c]) => c)];
    const values: SqlValue[] = [projectId, name, now, ...cols.map(([, v]) => v)];
    const { id } = this.db
      .prepare(`INSERT INTO runs (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) RETURNING id`)
      .get(...values) as { id: number };
    return this.byId(id) as RunRow;
  }

  update(id: number, fields: RunFields): RunRow {
    const cols = columnsOf(fields);
    cols.push(['updated_at', wandbTime()]);
    this.db
      .prepare(`UPDATE runs SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`)
      .run(...cols.map(([, v]) => v), id);
    return this.byId(id) as RunRow;
  }

  byId(id: number): RunRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM runs r WHERE r.id = ?`).get(id) as RunRow | undefined;
  }

  byName(projectId: number, name: string): RunRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM runs r WHERE r.project_id = ? AND r.name = ?`).get(projectId, name) as
      | RunRow
      | undefined;
  }

  count(projectId: number, filters?: string | null): number {
    const filter = compileRunFilter(filters);
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM runs r WHERE r.project_id = ? AND (${filter.sql})`)
      .get(projectId, ...filter.params) as { n: number };
    return row.n;
  }

  /** One page: ORDER BY the sort key then the row id, resuming strictly after the `after` cursor. */
  list(projectId: number, opts: RunListOptions): Page<RunRow> {
    const filter = compileRunFilter(opts.filters);
    const order = parseRunOrder(opts.order);
    const limit = pageSize(opts.first);
    const dir = order.desc ? 'DESC' : 'ASC';
    const params: SqlValue[] = [...(order.key.params as SqlValue[]), projectId, ...filter.params];
    let keyset = '';
    if (opts.after) {
      const after = keysetAfter(['k0'], order.desc, decodeCursor(opts.after, 1), 'id');
      keyset = `WHERE ${after.sql}`;
      params.push(...after.params);
    }
    params.push(limit + 1);
    // The sort key is computed once as k0 in the inner query; the outer query pages over (k0, id).
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT ${COLUMNS}, ${order.key.sql} AS k0 FROM runs r WHERE r.project_id = ? AND (${filter.sql}))
         ${keyset} ORDER BY k0 ${dir}, id ${dir} LIMIT ?`,
      )
      .all(...params) as (RunRow & { k0: SqlValue })[];
    const hasNextPage = rows.length > limit;
    return {
      items: rows.slice(0, limit).map(({ k0, ...node }) => ({ node, cursor: encodeCursor([k0], node.id) })),
      hasNextPage,
    };
  }
}
