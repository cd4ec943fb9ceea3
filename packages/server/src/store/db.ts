/**
 * Opens the SQLite database (a file in WAL mode, or in memory), applies migrations and registers
 * the SQL functions the filters need. Statements are prepared once and cached by their SQL text.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { regexpMatch } from './regexp';

type Statement = Database.Statement<unknown[], unknown>;

export interface Db {
  readonly sql: Database.Database;
  /** A prepared statement, cached by its text (filters compile to a handful of distinct shapes). */
  prepare(sql: string): Statement;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Append-only: each entry upgrades `user_version` by one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT,
    name TEXT NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_keys (
    key TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_team INTEGER NOT NULL,
    owner_id INTEGER REFERENCES users(id), -- the user of a personal entity
    created_at TEXT NOT NULL
  );
  CREATE TABLE members (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (entity_id, user_id)
  );
  CREATE INDEX members_user ON members(user_id);
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    description TEXT,
    access TEXT NOT NULL DEFAULT 'PRIVATE',
    views TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (entity_id, name)
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    display_name TEXT,
    state TEXT NOT NULL DEFAULT 'running',
    config TEXT NOT NULL DEFAULT '{}',        -- as the client sent it (may hold NaN/Infinity)
    config_json TEXT NOT NULL DEFAULT '{}',   -- strict copy for SQL: non-finite numbers are null
    summary TEXT NOT NULL DEFAULT '{}',
    summary_json TEXT NOT NULL DEFAULT '{}',
    system_metrics TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    group_name TEXT,
    job_type TEXT,
    sweep_name TEXT,
    commit_sha TEXT,
    host TEXT,
    description TEXT,
    notes TEXT,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    heartbeat_at TEXT,
    updated_at TEXT NOT NULL,
    history_line_count INTEGER NOT NULL DEFAULT 0,
    history_keys TEXT,
    UNIQUE (project_id, name)
  );
  CREATE INDEX runs_project_created ON runs(project_id, created_at, id);
  CREATE TABLE history (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    row TEXT NOT NULL,                        -- one history line as written (may hold NaN/Infinity)
    PRIMARY KEY (run_id, step)
  ) WITHOUT ROWID;
  `,
];

const STATEMENT_CACHE_LIMIT = 500;

export interface OpenedDb {
  db: Db;
  /** True when the database had no schema before this open: the caller seeds it. */
  isNew: boolean;
}

export function openDb(opts: { dataDir?: string | undefined }): OpenedDb {
  let file = ':memory:';
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    file = join(opts.dataDir, 'wandb.sqlite');
  }
  const sql = new Database(file);
  if (opts.dataDir) {
    sql.pragma('journal_mode = WAL');
    sql.pragma('synchronous = NORMAL');
  }
  sql.pragma('foreign_keys = ON');
  sql.pragma('busy_timeout = 5000');
  sql.function('regexp_match', { deterministic: true }, regexpMatch);

  const version = sql.pragma('user_version', { simple: true }) as number;
  const isNew = version === 0;
  sql.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) {
      sql.exec(MIGRATIONS[v] as string);
      sql.pragma(`user_version = ${v + 1}`);
    }
  })();

  const cache = new Map<string, Statement>();
  return {
    isNew,
    db: {
      sql,
      prepare(text) {
        let stmt = cache.get(text);
        if (!stmt) {
          if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
          stmt = sql.prepare(text);
          cache.set(text, stmt);
        }
        return stmt;
      },
      transaction: (fn) => sql.transaction(fn)(),
      close: () => sql.close(),
    },
  };
}
