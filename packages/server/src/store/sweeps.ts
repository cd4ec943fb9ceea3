/**
 * Sweeps and their agents. A run belongs to a sweep through runs.sweep_name (what upsertBucket's
 * `sweep` sets) and to an agent through agent_runs; a sweep's prior runs (runs from before it that
 * it was created with) through sweep_prior_runs. Sweeps list newest first, keyset-paged.
 */
import { randomInt } from 'node:crypto';
import { UserInputError } from '../errors';
import { decodeCursor, encodeCursor, keysetAfter, pageSize, type Page } from './cursor';
import type { Db } from './db';
import { parseLenient } from './json';
import { compileRegExp } from './regexp';
import type { SqlValue } from './filters';
import { storeNow, wandbTime } from './time';

export interface SweepRow {
  id: number;
  project_id: number;
  name: string;
  display_name: string | null;
  method: string;
  state: string;
  description: string | null;
  best_loss: number | null;
  config: string;
  run_count_expected: number | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
  heartbeat_at: string;
  /** JSON text as upsertSweep gave it. */
  controller: string | null;
  /** JSON text; a launch sweep's launchScheduler. Set: runs can be enqueued (enqueueSweepRun). */
  scheduler: string | null;
}

export interface AgentRow {
  id: number;
  sweep_id: number;
  name: string;
  host: string;
  state: string | null;
  persistent: number;
  user_id: number | null;
  created_at: string;
  heartbeat_at: string | null;
  /** JSON text: what the agent last reported. */
  metrics: string;
}

export interface NewSweep {
  projectId: number;
  /** The short id; 8 random [a-z0-9] when absent. */
  name?: string | undefined;
  displayName?: string | null | undefined;
  method: string;
  /** Default RUNNING. */
  state?: string | undefined;
  description?: string | null | undefined;
  bestLoss?: number | null | undefined;
  /** YAML text. */
  config: string;
  runCountExpected?: number | null | undefined;
  userId?: number | null | undefined;
  createdAt?: Date | string | number | undefined;
  /** JSON text. */
  controller?: string | null | undefined;
  /** JSON text. */
  scheduler?: string | null | undefined;
}

/** What upsertSweep changes; absent or null leaves a field as it is. */
export interface SweepPatch {
  displayName?: string | null | undefined;
  state?: string | null | undefined;
  description?: string | null | undefined;
  config?: string | null | undefined;
  method?: string | null | undefined;
  runCountExpected?: number | null | undefined;
  controller?: string | null | undefined;
  scheduler?: string | null | undefined;
}

export interface NewAgent {
  sweepId: number;
  name: string;
  host: string;
  state?: string | undefined;
  userId?: number | null | undefined;
  createdAt?: Date | string | number | undefined;
  heartbeatAt?: Date | string | number | undefined;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SWEEP_STATES = new Set(['RUNNING', 'PAUSED', 'FINISHED', 'CANCELED', 'CRASHED', 'PENDING', 'STOPPED']);

function randomName(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

function checkState(state: string): string {
  const upper = state.toUpperCase();
  if (!SWEEP_STATES.has(upper)) throw new UserInputError(`invalid sweep state ${JSON.stringify(state)}: one of ${[...SWEEP_STATES].join(', ')}`);
  return upper;
}

export class Sweeps {
  constructor(private readonly db: Db) {}

  insert(input: NewSweep): SweepRow {
    const name = input.name ?? this.unusedName(input.projectId);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new UserInputError(`invalid sweep name ${JSON.stringify(name)}`);
    if (this.byName(input.projectId, name)) throw new UserInputError(`sweep ${name} already exists`);
    const now = wandbTime(input.createdAt ?? storeNow());
    const { id } = this.db
      .prepare(
        `INSERT INTO sweeps (project_id, name, display_name, method, state, description, best_loss, config, run_count_expected,
           user_id, created_at, updated_at, heartbeat_at, controller, scheduler) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        input.projectId,
        name,
        input.displayName ?? null,
        input.method,
        checkState(input.state ?? 'RUNNING'),
        input.description ?? null,
        input.bestLoss ?? null,
        input.config,
        input.runCountExpected ?? null,
        input.userId ?? null,
        now,
        now,
        now,
        input.controller ?? null,
        input.scheduler ?? null,
      ) as { id: number };
    return this.byId(id) as SweepRow;
  }

  update(id: number, patch: SweepPatch): SweepRow {
    const current = this.byId(id);
    if (!current) throw new UserInputError(`no sweep with id ${id}`);
    this.db
      .prepare(
        `UPDATE sweeps SET display_name = ?, state = ?, description = ?, config = ?, method = ?, run_count_expected = ?,
           controller = ?, scheduler = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        patch.displayName ?? current.display_name,
        patch.state ? checkState(patch.state) : current.state,
        patch.description ?? current.description,
        patch.config ?? current.config,
        patch.method ?? current.method,
        patch.runCountExpected === undefined ? current.run_count_expected : patch.runCountExpected,
        patch.controller ?? current.controller,
        patch.scheduler ?? current.scheduler,
        wandbTime(),
        id,
      );
    return this.byId(id) as SweepRow;
  }

  /** Moves a sweep to `state` (the controller's own transitions: PENDING → RUNNING → FINISHED). */
  setState(id: number, state: string): void {
    this.db.prepare('UPDATE sweeps SET state = ?, updated_at = ? WHERE id = ?').run(checkState(state), wandbTime(), id);
  }

  byId(id: number): SweepRow | undefined {
    return this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined;
  }

  byName(projectId: number, name: string): SweepRow | undefined {
    return this.db.prepare('SELECT * FROM sweeps WHERE project_id = ? AND name = ?').get(projectId, name) as SweepRow | undefined;
  }

  /** The entity's sweeps named `name` (one per project at most), oldest project first. */
  byNameInEntity(entityId: number, name: string): SweepRow[] {
    return this.db
      .prepare('SELECT s.* FROM sweeps s JOIN projects p ON p.id = s.project_id WHERE p.entity_id = ? AND s.name = ? ORDER BY p.id')
      .all(entityId, name) as SweepRow[];
  }

  count(projectId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sweeps WHERE project_id = ?').get(projectId) as { n: number }).n;
  }

  /** One page, newest first; `filters` is a Mongo-style JSON document over the sweep's own fields. */
  list(projectId: number, opts: { first?: number | null; after?: string | null; filters?: string | null }): Page<SweepRow> {
    const limit = pageSize(opts.first);
    const filter = compileSweepFilter(opts.filters);
    const params: SqlValue[] = [projectId, ...filter.params];
    let keyset = '';
    if (opts.after) {
      const after = keysetAfter(['created_at'], true, decodeCursor(opts.after, 1), 'id');
      keyset = `AND ${after.sql}`;
      params.push(...after.params);
    }
    params.push(limit + 1);
    const rows = this.db
      .prepare(`SELECT * FROM sweeps WHERE project_id = ? AND (${filter.sql}) ${keyset} ORDER BY created_at DESC, id DESC LIMIT ?`)
      .all(...params) as SweepRow[];
    return {
      items: rows.slice(0, limit).map((node) => ({ node, cursor: encodeCursor([node.created_at], node.id) })),
      hasNextPage: rows.length > limit,
    };
  }

  /** The number of runs that name this sweep. */
  runCount(sweep: SweepRow): number {
    return (this.db.prepare('SELECT count(*) AS n FROM runs WHERE project_id = ? AND sweep_name = ?').get(sweep.project_id, sweep.name) as { n: number }).n;
  }

  /**
   * The best value of a summary metric over the sweep's runs: the least, or the greatest when
   * maximizing; null while no run has a number there. `field` is what runField gives for it.
   */
  bestMetric(sweep: SweepRow, field: { column: string; path: string }, maximize: boolean): number | null {
    const row = this.db
      .prepare(
        `SELECT ${maximize ? 'max' : 'min'}(json_extract(${field.column}, ?)) AS best FROM runs r
         WHERE r.project_id = ? AND r.sweep_name = ? AND json_type(${field.column}, ?) IN ('integer', 'real')`,
      )
      .get(field.path, sweep.project_id, sweep.name, field.path) as { best: number | null };
    return row.best;
  }

  /** The configs (JSON text, wrapped W&B-style) of the sweep's runs and prior runs: what it has already tried. */
  triedConfigs(sweep: SweepRow): string[] {
    return (
      this.db
        .prepare(
          `SELECT config FROM runs WHERE project_id = ? AND sweep_name = ?
           UNION ALL SELECT r.config FROM sweep_prior_runs p JOIN runs r ON r.id = p.run_id WHERE p.sweep_id = ?`,
        )
        .all(sweep.project_id, sweep.name, sweep.id) as { config: string }[]
    ).map((r) => r.config);
  }

  /** Runs enqueued into the sweep (pending, in the sweep, started by no agent yet), oldest first. */
  enqueuedRuns(sweep: SweepRow): { id: number; name: string; config: string }[] {
    return this.db
      .prepare(
        `SELECT r.id, r.name, r.config FROM runs r WHERE r.project_id = ? AND r.sweep_name = ? AND r.state = 'pending'
           AND NOT EXISTS (SELECT 1 FROM agent_runs a WHERE a.run_id = r.id) ORDER BY r.created_at, r.id`,
      )
      .all(sweep.project_id, sweep.name) as { id: number; name: string; config: string }[];
  }

  // ---- prior runs

  /** Adds runs to the sweep's prior runs; returns how many were new. */
  addPriorRuns(sweepId: number, runIds: readonly number[]): number {
    const put = this.db.prepare('INSERT OR IGNORE INTO sweep_prior_runs (sweep_id, run_id) VALUES (?, ?)');
    return runIds.reduce((n, runId) => n + put.run(sweepId, runId).changes, 0);
  }

  /** The names of the sweep's prior runs. */
  priorRunNames(sweepId: number): string[] {
    return (
      this.db.prepare('SELECT r.name FROM sweep_prior_runs p JOIN runs r ON r.id = p.run_id WHERE p.sweep_id = ? ORDER BY r.id').all(sweepId) as {
        name: string;
      }[]
    ).map((r) => r.name);
  }

  // ---- agents

  insertAgent(input: NewAgent): AgentRow {
    const created = wandbTime(input.createdAt ?? storeNow());
    const { id } = this.db
      .prepare(
        'INSERT INTO sweep_agents (sweep_id, name, host, state, user_id, created_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(input.sweepId, input.name, input.host, input.state ?? 'RUNNING', input.userId ?? null, created, wandbTime(input.heartbeatAt ?? created)) as {
      id: number;
    };
    return this.db.prepare('SELECT * FROM sweep_agents WHERE id = ?').get(id) as AgentRow;
  }

  agentById(id: number): AgentRow | undefined {
    return this.db.prepare('SELECT * FROM sweep_agents WHERE id = ?').get(id) as AgentRow | undefined;
  }

  /** An agent's heartbeat (also its sweep's): when, and the metrics it reported (JSON text). */
  heartbeat(agent: AgentRow, metrics: string | undefined): void {
    const now = wandbTime();
    this.db.prepare('UPDATE sweep_agents SET heartbeat_at = ?, metrics = coalesce(?, metrics) WHERE id = ?').run(now, metrics ?? null, agent.id);
    this.db.prepare('UPDATE sweeps SET heartbeat_at = ? WHERE id = ?').run(now, agent.sweep_id);
  }

  setAgentState(agentId: number, state: string): void {
    this.db.prepare('UPDATE sweep_agents SET state = ? WHERE id = ?').run(state, agentId);
  }

  /** Records that an agent started a run (the run should also name the sweep). */
  addAgentRun(agentId: number, runId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO agent_runs (agent_id, run_id) VALUES (?, ?)').run(agentId, runId);
  }

  agents(sweepId: number): AgentRow[] {
    return this.db.prepare('SELECT * FROM sweep_agents WHERE sweep_id = ? ORDER BY created_at, id').all(sweepId) as AgentRow[];
  }

  /** By name, or by the agent's global id (W&B accepts both as agentName). */
  agent(sweepId: number, nameOrId: string): AgentRow | undefined {
    const byName = this.db.prepare('SELECT * FROM sweep_agents WHERE sweep_id = ? AND name = ?').get(sweepId, nameOrId) as AgentRow | undefined;
    if (byName) return byName;
    const match = /^Agent:(\d+)$/.exec(Buffer.from(nameOrId, 'base64').toString('utf8'));
    if (!match) return undefined;
    return this.db.prepare('SELECT * FROM sweep_agents WHERE sweep_id = ? AND id = ?').get(sweepId, Number(match[1])) as AgentRow | undefined;
  }

  /** The names of the runs an agent started. */
  agentRunNames(agentId: number): string[] {
    return (
      this.db.prepare('SELECT r.name FROM agent_runs a JOIN runs r ON r.id = a.run_id WHERE a.agent_id = ? ORDER BY r.id').all(agentId) as {
        name: string;
      }[]
    ).map((r) => r.name);
  }

  private unusedName(projectId: number): string {
    for (;;) {
      const name = randomName();
      if (!this.byName(projectId, name)) return name;
    }
  }
}

const SWEEP_COLUMNS: Readonly<Record<string, string>> = {
  name: 'name',
  id: 'name',
  displayName: 'display_name',
  state: 'state',
  method: 'method',
  description: 'description',
  createdAt: 'created_at',
  created_at: 'created_at',
  updatedAt: 'updated_at',
  updated_at: 'updated_at',
  bestLoss: 'best_loss',
};
const COMPARE: Readonly<Record<string, string>> = { $eq: '=', $ne: '!=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** Mongo-style sweep filters: `$and`/`$or` over the sweep's own fields with $eq $ne $gt $gte $lt $lte $in $nin $regex. */
export function compileSweepFilter(text: string | null | undefined): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  if (!text) return { sql: '1', params };
  let doc: unknown;
  try {
    doc = parseLenient(text);
  } catch {
    throw new UserInputError(`sweep filters must be a JSON object, got ${JSON.stringify(text)}`);
  }
  const scalar = (key: string, v: unknown): SqlValue => {
    if (v === null || typeof v === 'string' || typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new UserInputError(`sweep filter on ${key} needs a string or a number`);
  };
  const document = (d: unknown): string => {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new UserInputError('sweep filters must be JSON objects');
    const parts = Object.entries(d).map(([key, cond]) => {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(cond) || cond.length === 0) throw new UserInputError(`${key} must be a non-empty array`);
        return cond.map((c) => `(${document(c)})`).join(key === '$and' ? ' AND ' : ' OR ');
      }
      const column = SWEEP_COLUMNS[key];
      if (!column) throw new UserInputError(`unknown sweep filter field ${JSON.stringify(key)}: use ${Object.keys(SWEEP_COLUMNS).join(', ')}`);
      const ops = typeof cond === 'object' && cond !== null && !Array.isArray(cond) ? Object.entries(cond) : [['$eq', cond] as const];
      return ops
        .map(([op, v]) => {
          if (op === '$in' || op === '$nin') {
            if (!Array.isArray(v)) throw new UserInputError(`${op} on ${key} needs an array`);
            if (v.length === 0) return op === '$in' ? '0' : '1';
            params.push(...v.map((x) => scalar(key, x)));
            return `${column} ${op === '$in' ? 'IN' : 'NOT IN'} (${v.map(() => '?').join(', ')})`;
          }
          if (op === '$regex') {
            if (typeof v !== 'string') throw new UserInputError(`$regex on ${key} needs a string`);
            compileRegExp(v); // a bad pattern is a 400 now, not an error inside SQLite
            params.push(v, '');
            return `regexp_match(?, ?, ${column})`;
          }
          const sqlOp = COMPARE[op];
          if (!sqlOp) throw new UserInputError(`unknown operator ${op} on ${key}`);
          if (v === null) return op === '$ne' ? `${column} IS NOT NULL` : `${column} IS NULL`;
          params.push(scalar(key, v));
          return `${column} ${sqlOp} ?`;
        })
        .join(' AND ');
    });
    return parts.length === 0 ? '1' : parts.map((p) => `(${p})`).join(' AND ');
  };
  return { sql: document(doc), params };
}
