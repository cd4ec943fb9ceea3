/**
 * Opens the SQLite database (a file in WAL mode, or in memory), applies migrations and registers
 * the SQL functions the filters need. Statements are prepared once and cached by their SQL text.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEYS_HASHED_MIGRATION } from './apiKeysSchema';
import { ARTIFACTS_MIGRATION } from './artifactsSchema';
import { ARTIFACT_CONTINUATION_MIGRATION, ARTIFACT_VERSIONS_MIGRATION } from './artifactVersionsSchema';
import { AUTOMATIONS_MIGRATION } from './automationsSchema';
import { LAUNCH_MIGRATION } from './launchSchema';
import { PROJECT_MEMBERS_MIGRATION } from './projectMembersSchema';
import { regexpMatch } from './regexp';
import { SWEEP_CONTROL_MIGRATION } from './sweepControlSchema';
import { hashApiKey } from './users';

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
  // System metrics (Run.events, the "system" stream): rows carry no _step, so they keep logged order.
  `
  CREATE TABLE events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    row TEXT NOT NULL,                        -- one system-metrics line as written
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  `,
  // Run files: each names a blob (content-addressed by MD5) in the blob directory.
  `
  CREATE TABLE run_files (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    md5_hex TEXT NOT NULL,                    -- the blob's name
    md5 TEXT NOT NULL,                        -- base64, as W&B reports File.md5
    size_bytes INTEGER NOT NULL,
    mimetype TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (run_id, name)
  );
  `,
  // Sweeps with their agents (runs join a sweep by runs.sweep_name), and saved views (reports).
  `
  CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,                       -- the short sweep id in paths and runs.sweep_name
    display_name TEXT,
    method TEXT NOT NULL,
    state TEXT NOT NULL,
    description TEXT,
    best_loss REAL,
    config TEXT NOT NULL,                     -- YAML text, as clients send it
    run_count_expected INTEGER,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE INDEX sweeps_project_created ON sweeps(project_id, created_at, id);
  CREATE TABLE sweep_agents (
    id INTEGER PRIMARY KEY,
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    state TEXT,
    persistent INTEGER NOT NULL DEFAULT 0,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    heartbeat_at TEXT,
    UNIQUE (sweep_id, name)
  );
  CREATE TABLE agent_runs (
    agent_id INTEGER NOT NULL REFERENCES sweep_agents(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, run_id)
  ) WITHOUT ROWID;
  CREATE TABLE views (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    type TEXT NOT NULL DEFAULT 'runs',        -- "runs" views are reports
    name TEXT,
    display_name TEXT,
    description TEXT,
    spec TEXT,                                -- JSON text as written (may hold NaN/Infinity)
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX views_project ON views(project_id, type, id);
  `,
  // Console output (Run.logLines) and the stop flag stopRun sets (Run.shouldStop).
  `
  ALTER TABLE runs ADD COLUMN should_stop INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE log_lines (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,                  -- 0-based line number within the run
    timestamp TEXT,                           -- as written, e.g. 2026-01-01T00:00:00.000000
    level TEXT NOT NULL DEFAULT 'info',       -- 'info' (stdout) or 'error' (stderr)
    label TEXT,
    line TEXT NOT NULL,
    PRIMARY KEY (run_id, number)
  ) WITHOUT ROWID;
  `,
  // Artifacts, collections, registries and organizations (see artifactsSchema.ts).
  ARTIFACTS_MIGRATION,
  // Admin: service accounts (users.account_type), API key descriptions and pending team invites.
  `
  ALTER TABLE users ADD COLUMN account_type TEXT NOT NULL DEFAULT 'USER';
  ALTER TABLE api_keys ADD COLUMN description TEXT;
  CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    user_id INTEGER REFERENCES users(id),     -- the invited user, when the invite names one
    email TEXT,
    role TEXT NOT NULL DEFAULT 'member',
    from_user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE INDEX invites_entity ON invites(entity_id, id);
  `,
  // Launch: run queues, their items and default resource configs (see launchSchema.ts).
  LAUNCH_MIGRATION,
  // Artifact logging: aliases pending until commit, uploads per pending version (artifactVersionsSchema.ts).
  ARTIFACT_VERSIONS_MIGRATION,
  // Continuing versions by client id, distributed and incremental versions, run outputs (artifactVersionsSchema.ts).
  ARTIFACT_CONTINUATION_MIGRATION,
  // Registry members (projectMembersSchema.ts).
  PROJECT_MEMBERS_MIGRATION,
  // Sweep workflow: controller/scheduler of a sweep, agent metrics, prior runs (see sweepControlSchema.ts).
  SWEEP_CONTROL_MIGRATION,
  // API keys stored as SHA-256 (see apiKeysSchema.ts).
  API_KEYS_HASHED_MIGRATION,
  // Automations: secrets, integrations, triggers, their executions, custom charts (see automationsSchema.ts).
  AUTOMATIONS_MIGRATION,
];

const STATEMENT_CACHE_LIMIT = 500;
const STATEMENT_CACHE_MAX_TEXT = 8 * 1024;

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
  sql.function('sha256_hex', { deterministic: true }, (key: unknown) => hashApiKey(String(key)));

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
        // Long texts come from big filters, each different: caching them would hold megabytes apiece.
        if (text.length > STATEMENT_CACHE_MAX_TEXT) return sql.prepare(text);
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
