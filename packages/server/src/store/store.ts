/**
 * The Store: the server's state behind one object. Nouns live in their own modules (users, entities,
 * projects, runs, history); this facade adds the rules that span them (permissions, upserts) and the
 * synchronous helpers tests and seeds use to build fixtures.
 */
import { randomInt } from 'node:crypto';
import { ForbiddenError, UserInputError } from '../errors';
import { decodeGid, decodeRunGid, entityGid, projectGid, runGid, userGid } from '../ids';
import type { Blobs } from './blobs';
import type { Db } from './db';
import { Entities, type EntityRow } from './entities';
import { History } from './history';
import { type HistoryExportPolicy, HistoryExports } from './historyExports';
import { objectPayload, payloadFromValue, type ObjectPayload } from './json';
import { checkName, Projects, type ProjectRow } from './projects';
import { Runs, type RunFields, type RunRow } from './runs';
import { RunFiles } from './runFiles';
import { Sweeps } from './sweeps';
import { Views } from './views';
import { LogLines, type NewLogLine } from './logLines';
import { checkTransition, RunLifecycle } from './runLifecycle';
import { storeNow, wandbTime } from './time';
import { Users, type NewUser, type UserRow } from './users';

export type { UserRow, EntityRow, ProjectRow, RunRow };

/** A user made by `store.createUser`. */
export interface CreatedUser {
  /** GraphQL id (as `viewer.id`). */
  id: string;
  /** The user's login name (also their personal entity). */
  username: string;
  /** An API key of the user: the only time it is shown (the store keeps its hash). */
  apiKey: string;
}

/** What `store.createTeam` needs. */
export interface CreateTeamInput {
  /** The team entity's name. */
  name: string;
  /** Usernames; the first one becomes the team admin. */
  members: string[];
}

/** What `store.createProject` needs. */
export interface CreateProjectInput {
  /** The owning entity (a user's or a team's). */
  entity: string;
  /** The project name. */
  name: string;
  /** 'PRIVATE' (default: members and admins only) or e.g. 'PUBLIC'. */
  access?: string;
  /** The project's description. */
  description?: string;
  /** Username of the creator (Project.user); defaults to the entity's owner or first member. */
  createdBy?: string;
  /** When the project was created. Default: now. */
  createdAt?: Date | string | number;
}

/** What `store.createRun` needs: a run with its data, as a finished SDK run would leave it. */
export interface CreateRunInput {
  /** The owning entity. */
  entity: string;
  /** Created (with default access) when missing. */
  project: string;
  /** The short run id; 8 random chars of [a-z0-9] when absent. */
  name?: string;
  /** The run's display name. */
  displayName?: string;
  /** Unwrapped config; stored W&B-style as {key: {value, desc: null}}. */
  config?: Record<string, unknown>;
  /** An object (NaN/Infinity allowed) or the exact JSON text to store. */
  summary?: Record<string, unknown> | string;
  /** The run's last system metrics. */
  systemMetrics?: Record<string, unknown>;
  /** The run's tags. */
  tags?: string[];
  /** The run's group. */
  group?: string;
  /** The run's job type. */
  jobType?: string;
  /** Default 'finished'. */
  state?: string;
  /** When the run started. Default: now. */
  createdAt?: Date | string | number;
  /** Default: createdAt. */
  heartbeatAt?: Date | string | number;
  /** The machine the run ran on. */
  host?: string;
  /** Sweep name. */
  sweep?: string;
  /** The git commit. */
  commit?: string;
  /** The run's description. */
  description?: string;
  /** The run's notes. */
  notes?: string;
  /** Author; defaults to the entity's owner or first member. */
  username?: string;
  /** History rows; `_step` defaults to the row index. Sets historyLineCount and historyKeys. */
  history?: Record<string, unknown>[];
  /** System-metrics rows (the "system" stream: `system.*` keys, `_runtime`, `_timestamp`). */
  events?: Record<string, unknown>[];
}

/** A run made by `store.createRun`. */
export interface CreatedRun {
  /** Storage id (GraphQL `Run.id`). */
  id: string;
  /** Short run id (GraphQL `Run.name`). */
  name: string;
  /** The run's row id (what `addLogLines` takes). */
  internalId: number;
}

/** upsertModel's input, as GraphQL delivers it. */
export interface ProjectUpsert {
  id?: string | null;
  entityName?: string | null;
  name?: string | null;
  description?: string | null;
  access?: string | null;
  views?: string | null;
}

/** upsertBucket's input, as GraphQL delivers it. */
export interface RunUpsert {
  id?: string | null;
  entityName?: string | null;
  modelName?: string | null;
  name?: string | null;
  displayName?: string | null;
  description?: string | null;
  notes?: string | null;
  tags?: (string | null)[] | null;
  config?: string | null;
  summaryMetrics?: string | null;
  groupName?: string | null;
  jobType?: string | null;
  state?: string | null;
  host?: string | null;
  commit?: string | null;
  sweep?: string | null;
}

/** W&B's default project when a run names none. */
const DEFAULT_PROJECT = 'uncategorized';

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomRunName(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += RUN_ID_ALPHABET[randomInt(RUN_ID_ALPHABET.length)];
  return out;
}

/** W&B stores config wrapped: {key: {value, desc}}. */
export function wrapConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value, desc: null }]));
}

const orNull = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/**
 * The server's state: SQLite tables behind one class per noun, plus a blob directory.
 * Tests reach it as `server.store` to add fixtures.
 * @example
 * const server = await startServer();
 * server.store.createRun({ entity: server.entity, project: 'p', history: [{ loss: 1 }] });
 */
export class Store {
  /** Users and API keys. */
  readonly users: Users;
  /** Entities (users' and teams') and memberships. */
  readonly entities: Entities;
  /** Projects. */
  readonly projects: Projects;
  /** Runs. */
  readonly runs: Runs;
  /** History rows of runs. */
  readonly history: History;
  /** Parquet exports of run history (Run.parquetHistory). */
  readonly historyExports: HistoryExports;
  /** Which runs get parquet history exports (StartServerOptions.historyExports); default 'off'. */
  historyExportPolicy: HistoryExportPolicy = 'off';
  /** Run files (contents in `blobs`). */
  readonly runFiles: RunFiles;
  /** Sweeps and agents. */
  readonly sweeps: Sweeps;
  /** Saved views (reports). */
  readonly views: Views;
  /** Console lines of runs. */
  readonly logLines: LogLines;
  /** Run state changes and stop flags. */
  readonly runLifecycle: RunLifecycle;
  /** serverInfo.features overrides (StartServerOptions.features): name → enabled. */
  features: Readonly<Record<string, boolean>> = {};
  /** What serverInfo.latestLocalVersionInfo reports as this server's version (StartServerOptions.version). */
  serverVersion = 'wandb-api-server';
  /** Organization.featureFlags (StartServerOptions.orgFeatureFlags): organization name → ramp key → enabled. */
  orgFeatureFlags: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {};
  /** Checks `Authorization: Bearer` access tokens (granted by POST /oidc/token); unset: none is valid. */
  accessTokens:
    | {
        /** The user a valid, unexpired access token names; undefined otherwise. */
        viewerOf(token: string): UserRow | undefined;
      }
    | undefined;

  /**
   * @param db The open SQLite database (migrated).
   * @param blobs File contents (run files), named by MD5.
   */
  constructor(
    readonly db: Db,
    readonly blobs: Blobs,
  ) {
    this.users = new Users(db);
    this.entities = new Entities(db);
    this.projects = new Projects(db);
    this.runs = new Runs(db);
    this.history = new History(db);
    this.historyExports = new HistoryExports(db, blobs, this.history);
    this.runFiles = new RunFiles(db);
    this.sweeps = new Sweeps(db);
    this.views = new Views(db);
    this.logLines = new LogLines(db);
    this.runLifecycle = new RunLifecycle(db);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }

  // ---- fixtures (tests and seeds)

  /** A user, their personal entity (named as the user) and an API key. */
  createUser(input: NewUser): CreatedUser {
    return this.db.transaction(() => {
      const user = this.users.insert(input);
      const entity = this.entities.insert({ name: user.username, isTeam: false, ownerId: user.id, createdAt: user.created_at });
      this.entities.addMember(entity.id, user.id, 'admin');
      const apiKey = this.users.addApiKey(user.id, input.apiKey);
      return { id: userGid(user.id), username: user.username, apiKey };
    });
  }

  /** A team entity with the given members; the first becomes its admin. */
  createTeam(input: CreateTeamInput): {
    /** The team entity's GraphQL id. */
    id: string;
    /** The team's name. */
    name: string;
  } {
    return this.db.transaction(() => {
      const users = input.members.map((username) => this.requireUser(username));
      const team = this.entities.insert({ name: input.name, isTeam: true });
      users.forEach((u, i) => this.entities.addMember(team.id, u.id, i === 0 ? 'admin' : 'member'));
      return { id: entityGid(team.id), name: team.name };
    });
  }

  /** A project under an existing entity. */
  createProject(input: CreateProjectInput): {
    /** The project's GraphQL id. */
    id: string;
    /** The project's row id. */
    internalId: string;
    /** The owning entity. */
    entity: string;
    /** The project name. */
    name: string;
  } {
    const entity = this.requireEntity(input.entity);
    const project = this.projects.insert({
      entityId: entity.id,
      name: input.name,
      access: input.access,
      description: input.description,
      createdBy: input.createdBy ? this.requireUser(input.createdBy).id : this.defaultAuthor(entity),
      createdAt: input.createdAt,
    });
    return { id: projectGid(project.id), internalId: String(project.id), entity: entity.name, name: project.name };
  }

  /** A run with its config, summary, history and system metrics. */
  createRun(input: CreateRunInput): CreatedRun {
    return this.db.transaction(() => {
      const entity = this.requireEntity(input.entity);
      const project =
        this.projects.byName(entity.id, input.project) ??
        this.projects.insert({ entityId: entity.id, name: input.project, createdBy: this.defaultAuthor(entity) });
      const name = input.name ?? randomRunName();
      checkName('run', name);
      if (this.runs.byName(project.id, name)) throw new UserInputError(`run ${name} already exists in ${entity.name}/${project.name}`);
      const createdAt = wandbTime(input.createdAt ?? storeNow());
      const history = input.history?.map((row, i) => ({ ...row, _step: row._step ?? i }));
      const summary: ObjectPayload | undefined =
        typeof input.summary === 'string' ? objectPayload(input.summary, 'summary') : input.summary && payloadFromValue(input.summary);
      const run = this.runs.insert(project.id, name, {
        displayName: input.displayName ?? name,
        state: input.state ?? 'finished',
        config: input.config && payloadFromValue(wrapConfig(input.config)),
        summary,
        systemMetrics: input.systemMetrics && payloadFromValue(input.systemMetrics),
        tags: input.tags,
        group: input.group,
        jobType: input.jobType,
        sweep: input.sweep,
        commit: input.commit,
        host: input.host,
        description: input.description,
        notes: input.notes,
        userId: input.username ? this.requireUser(input.username).id : this.defaultAuthor(entity),
        createdAt,
        heartbeatAt: input.heartbeatAt === undefined ? createdAt : wandbTime(input.heartbeatAt),
      });
      if (history) this.history.append(run.id, history);
      if (input.events) this.history.appendEvents(run.id, input.events);
      return { id: runGid(run.name, project.name, entity.name), name: run.name, internalId: run.id };
    });
  }

  /** Appends console lines to a run (by its internal id, `CreatedRun.internalId`); returns the run's line count. */
  addLogLines(runId: number, lines: readonly NewLogLine[]): number {
    return this.logLines.append(runId, lines);
  }

  // ---- the primary user (whose key startServer hands out)

  /** The user `startServer` hands out the API key of. */
  primaryUser(): UserRow | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'primary_user'").get() as { value: string } | undefined;
    return row ? this.users.byId(Number(row.value)) : undefined;
  }

  /** Makes an existing user the primary user. */
  setPrimaryUser(username: string): void {
    const user = this.requireUser(username);
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('primary_user', ?)").run(String(user.id));
  }

  // ---- auth and permissions

  /** The user an API key belongs to, if any. */
  authenticate(apiKey: string): UserRow | undefined {
    return this.users.byApiKey(apiKey);
  }

  /** Whether a user may read a project (members of its entity or of the project, admins, or a public project). */
  canRead(viewer: UserRow, project: ProjectRow): boolean {
    return this.projects.isVisible(project, viewer);
  }

  /** Only members of an entity write to it. */
  canWrite(viewer: UserRow, entityId: number): boolean {
    return this.entities.isMember(entityId, viewer.id);
  }

  /** The entity named as the user. */
  personalEntity(user: UserRow): EntityRow {
    // Service accounts have no personal entity: they act in their team.
    const entity = this.entities.personalOf(user.id) ?? (user.account_type === 'SERVICE' ? this.entities.teamsOf(user.id)[0] : undefined);
    if (!entity) throw new Error(`user ${user.username} has no personal entity`);
    return entity;
  }

  // ---- mutations

  /** upsertModel: update by id, else create or update by entity + name. */
  upsertProject(
    viewer: UserRow,
    input: ProjectUpsert,
  ): {
    /** The project's row after the write. */
    project: ProjectRow;
    /** Whether the project was created. */
    inserted: boolean;
  } {
    return this.db.transaction(() => {
      const patch = { description: input.description, access: input.access, views: input.views };
      let existing: ProjectRow | undefined;
      if (input.id) {
        const id = decodeGid('Project', input.id);
        existing = id === undefined ? undefined : this.projects.byId(id);
        if (!existing) throw new UserInputError(`no project with id ${JSON.stringify(input.id)}`);
      } else {
        if (!input.name) throw new UserInputError('upsertModel needs a name (or the id of an existing project)');
        const entity = input.entityName ? this.entities.byName(input.entityName) : this.personalEntity(viewer);
        if (!entity) throw new UserInputError(`entity ${JSON.stringify(input.entityName)} does not exist`);
        this.assertWriter(viewer, entity);
        existing = this.projects.byName(entity.id, input.name);
        if (!existing) {
          return {
            project: this.projects.insert({ entityId: entity.id, name: input.name, createdBy: viewer.id, ...patch }),
            inserted: true,
          };
        }
      }
      this.assertWriter(viewer, this.entities.byId(existing.entity_id) as EntityRow);
      return { project: this.projects.update(existing.id, patch), inserted: false };
    });
  }

  /** upsertBucket: update by storage id, else create or update by entity + project + name. */
  upsertRun(
    viewer: UserRow,
    input: RunUpsert,
  ): {
    /** The run's row after the write. */
    run: RunRow;
    /** Whether the run was created. */
    inserted: boolean;
    /** The run's state before the write; null for a new run. */
    previousState: string | null;
  } {
    return this.db.transaction(() => {
      const fields = runFieldsOf(input);
      if (input.id) {
        const ref = decodeRunGid(input.id);
        const entity = ref && this.entities.byName(ref.entity);
        const project = ref && entity && this.projects.byName(entity.id, ref.project);
        const run = ref && project && this.runs.byName(project.id, ref.name);
        if (!run || !project || !entity || !this.canRead(viewer, project)) {
          throw new UserInputError(`no run with id ${JSON.stringify(input.id)}`);
        }
        this.assertWriter(viewer, entity);
        return { run: this.runs.update(run.id, { heartbeatAt: wandbTime(), ...fields }), inserted: false, previousState: run.state };
      }
      const entity = input.entityName ? this.entities.byName(input.entityName) : this.personalEntity(viewer);
      if (!entity) throw new UserInputError(`entity ${JSON.stringify(input.entityName)} does not exist`);
      this.assertWriter(viewer, entity);
      const projectName = input.modelName || DEFAULT_PROJECT;
      const project =
        this.projects.byName(entity.id, projectName) ??
        this.projects.insert({ entityId: entity.id, name: projectName, createdBy: viewer.id });
      const name = input.name || this.unusedRunName(project.id);
      const existing = this.runs.byName(project.id, name);
      if (existing) {
        // A process (wandb.init) taking over a pending run (a sweep agent's, an enqueued one) starts it.
        const started = existing.state === 'pending' && fields.state === undefined ? { state: 'running' } : {};
        return { run: this.runs.update(existing.id, { heartbeatAt: wandbTime(), ...started, ...fields }), inserted: false, previousState: existing.state };
      }
      checkName('run', name);
      return {
        run: this.runs.insert(project.id, name, { displayName: name, state: 'running', userId: viewer.id, ...fields }),
        inserted: true,
        previousState: null,
      };
    });
  }

  /** deleteRun. `deleteArtifacts` is accepted; this server keeps no artifacts tied to runs here. */
  deleteRun(viewer: UserRow, storageId: string): void {
    const run = this.writableRun(viewer, storageId);
    this.db.transaction(() => this.runLifecycle.delete(run.id));
  }

  /** updateRunState: a UserInputError ("invalid state transition") unless W&B allows it (see checkTransition). Returns the run before. */
  updateRunState(viewer: UserRow, storageId: string, state: string): RunRow {
    const run = this.writableRun(viewer, storageId);
    checkTransition(run, state);
    this.runLifecycle.setState(run.id, state);
    return run;
  }

  /** stopRun: sets the flag the run's process polls (Run.shouldStop); the state is left to that process. */
  stopRun(viewer: UserRow, storageId: string): void {
    this.runLifecycle.requestStop(this.writableRun(viewer, storageId).id);
  }

  // ---- helpers

  /** The run a mutation names by storage id, if the viewer may write to it. */
  private writableRun(viewer: UserRow, storageId: string): RunRow {
    const ref = decodeRunGid(storageId);
    const entity = ref && this.entities.byName(ref.entity);
    const project = ref && entity && this.projects.byName(entity.id, ref.project);
    const run = ref && project && this.runs.byName(project.id, ref.name);
    if (!run || !project || !entity || !this.canRead(viewer, project)) throw new UserInputError(`no run with id ${JSON.stringify(storageId)}`);
    this.assertWriter(viewer, entity);
    return run;
  }

  private assertWriter(viewer: UserRow, entity: EntityRow): void {
    if (!this.canWrite(viewer, entity.id)) {
      throw new ForbiddenError(`permission denied: ${viewer.username} is not a member of entity ${entity.name}`);
    }
  }

  private unusedRunName(projectId: number): string {
    for (;;) {
      const name = randomRunName();
      if (!this.runs.byName(projectId, name)) return name;
    }
  }

  private requireUser(username: string): UserRow {
    const user = this.users.byName(username);
    if (!user) throw new UserInputError(`user ${JSON.stringify(username)} does not exist`);
    return user;
  }

  private requireEntity(name: string): EntityRow {
    const entity = this.entities.byName(name);
    if (!entity) throw new UserInputError(`entity ${JSON.stringify(name)} does not exist`);
    return entity;
  }

  private defaultAuthor(entity: EntityRow): number | null {
    return entity.owner_id ?? this.entities.firstMember(entity.id) ?? null;
  }
}

/** The fields an upsertBucket sets; null and absent both mean "leave as is". */
function runFieldsOf(input: RunUpsert): RunFields {
  const fields: RunFields = {};
  const set = <K extends keyof RunFields>(key: K, value: RunFields[K] | null | undefined): void => {
    const v = orNull(value);
    if (v !== undefined) fields[key] = v;
  };
  set('displayName', input.displayName);
  set('description', input.description);
  set('notes', input.notes);
  set('group', input.groupName);
  set('jobType', input.jobType);
  set('state', input.state);
  set('host', input.host);
  set('commit', input.commit);
  set('sweep', input.sweep);
  if (input.tags) fields.tags = input.tags.filter((t): t is string => typeof t === 'string');
  // Stored as given (W&B clients send config wrapped); summaryMetrics replaces the whole summary.
  if (input.config) fields.config = objectPayload(input.config, 'config');
  if (input.summaryMetrics) fields.summary = objectPayload(input.summaryMetrics, 'summaryMetrics');
  return fields;
}
