import {
  type CallOptions,
  type FieldFilter,
  type MongoFilter,
  type OrderSign,
  type Paths,
  NotFoundError,
  Paginated,
  type ProjectPath,
  UnsupportedError,
  ValidationError,
  type WandbClient,
  hasServerFeature,
  isSchemaError,
  parseProjectPath,
  parseSweepPath,
  resolveEntity,
  resolveProjectPath,
  checkPerPage,
  endCursorOf,
} from '@wandb-api/core';
import {
  type AgentFieldsFragment,
  GetAgentRunsDocument,
  GetSweepDocument,
  GetSweepLegacyDocument,
  GetSweepPriorRunsDocument,
  GetSweepsDocument,
  GetSweepsUnfilteredDocument,
  type LegacySweepFieldsFragment,
  SweepAgentDocument,
  SweepAgentsDocument,
  SweepCountDocument,
  type SweepFieldsFragment,
} from './generated/graphql.js';
import { type LightRun, type Run, type RunValidators, toLightRun } from './run.js';
import { type ListRunsOptions, listRuns } from './runs.js';
import type { RunFilter, RunOrder } from './runQuery.js';
import { appUrl } from './url.js';

/** A hyperparameter sweep. */
export interface Sweep {
  /** The short sweep id shown in URLs (the server's `name`), as Python's `sweep.id`. */
  readonly id: string;
  /** The server's global id. */
  readonly storageId: string;
  /** The entity of the sweep's project. */
  readonly entity: string;
  /** The sweep's project. */
  readonly project: string;
  /** `displayName`, else `config.name`, else the id. */
  readonly name: string;
  /** The display name as the server keeps it. */
  readonly displayName: string | null;
  /** The sweep config, parsed from the YAML text the server keeps. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The YAML text as the server sent it. */
  readonly rawConfig: string;
  /** `grid`, `random` or `bayes`; null from servers that only answer the legacy fields. */
  readonly method: string | null;
  /** e.g. `RUNNING`, `FINISHED`. */
  readonly state: string;
  /** The sweep's description. */
  readonly description: string | null;
  /** The best value of the sweep's metric so far, as the server tracks it. */
  readonly bestLoss: number | null;
  /** When the sweep was created (ISO 8601). */
  readonly createdAt: string | null;
  /** When the sweep last changed (ISO 8601). */
  readonly updatedAt: string | null;
  /** How many runs the sweep has. */
  readonly runCount: number | null;
  /** How many runs the sweep expects (grid search); null means unlimited. */
  readonly expectedRunCount: number | null;
  /** The runs order that ranks by the sweep's metric (`+summary_metrics.loss` to minimize), or null without a metric. */
  readonly order: string | null;
  /** `[entity, project, sweepId]`, as Python's `sweep.path`. */
  readonly path: readonly [entity: string, project: string, sweepId: string];
  /** The sweep's page in the W&B app. */
  readonly url: string;
}

/** A sweep named by a path (`entity/project/sweeps/id`, `entity/project/id`, `project/id`, `id`, an app URL) or already placed. */
export type SweepLocator =
  | string
  | {
      /** The entity (user or team). */
      readonly entity: string;
      /** The project name. */
      readonly project: string;
      /** The short id shown in URLs. */
      readonly id: string;
    };

/** An agent of a sweep (a process that runs the sweep's trials). */
export interface Agent {
  /** The server's global id. */
  readonly id: string;
  /** The agent's name. */
  readonly name: string;
  /** The machine the agent runs on. */
  readonly host: string;
  /** The agent's state, e.g. `RUNNING`. */
  readonly state: string | null;
  /** How many runs the agent has started. */
  readonly totalRuns: number;
  /** When the agent started (ISO 8601). */
  readonly createdAt: string;
  /** The agent's last heartbeat (ISO 8601). */
  readonly heartbeatAt: string | null;
  /** The entity of the sweep's project. */
  readonly entity: string;
  /** The sweep's project. */
  readonly project: string;
  /** The short id of the agent's sweep. */
  readonly sweepId: string;
}

interface PlacedSweep {
  readonly entity: string;
  readonly project: string;
  readonly id: string;
}

/** Where a sweep lives; a path string may need the default entity (one cached request). */
async function locateSweep(client: WandbClient, sweep: SweepLocator, options?: CallOptions): Promise<PlacedSweep> {
  if (typeof sweep !== 'string') return sweep;
  const parsed = parseSweepPath(sweep);
  const project = parsed.project ?? client.config.project;
  if (!project) throw new ValidationError(`Invalid path: '${sweep}' (missing project)`);
  return { entity: await resolveEntity(client, parsed.entity, options), project, id: parsed.sweepId };
}

/** Checks a locator before any request (a bad path string throws ValidationError). */
function checkLocator(sweep: SweepLocator): void {
  if (typeof sweep === 'string') parseSweepPath(sweep);
  else if (!sweep || typeof sweep.id !== 'string' || !sweep.id || !sweep.entity || !sweep.project) {
    throw new ValidationError('A sweep must be a path string or { entity, project, id }.');
  }
}

/** Run fields `formatOrderKey` keeps as they are (Python returns null for some of them, a bug). */
const RUN_ORDER_FIELDS = new Set(['createdAt', 'updatedAt', 'heartbeatAt', 'created_at', 'updated_at', 'heartbeat_at', 'name', 'sweep']);
const ORDER_SECTIONS = new Set(['config', 'summary_metrics', 'tags']);

/**
 * Turns a metric or key into a runs order, as Python's `format_order_key`: the sign defaults to `-`;
 * a bare metric name or an unknown section becomes `summary_metrics.<key>`.
 * @example formatOrderKey('+loss') // '+summary_metrics.loss'
 */
export function formatOrderKey(key: string): string {
  const sign = key.startsWith('+') || key.startsWith('-') ? key[0] : '-';
  const body = key.replace(/^[+-]/, '');
  if (!body) throw new ValidationError(`Invalid order '${key}'.`);
  const first = body.split('.')[0] ?? '';
  if (!body.includes('.')) return RUN_ORDER_FIELDS.has(body) ? sign + body : `${sign}summary_metrics.${body}`;
  return ORDER_SECTIONS.has(first) ? sign + body : `${sign}summary_metrics.${body}`;
}

/** `+summary_metrics.<name>` to minimize (the default goal), `-…` otherwise; null without `metric.name`. */
function orderOf(config: Record<string, unknown>): string | null {
  const metric = config.metric;
  if (typeof metric !== 'object' || metric === null) return null;
  const { name, goal } = metric as { name?: unknown; goal?: unknown };
  if (typeof name !== 'string' || !name) return null;
  return formatOrderKey(`${goal === undefined || goal === 'minimize' ? '+' : '-'}${name}`);
}

type ParseConfig = (text: string | null | undefined) => Record<string, unknown>;

/** The YAML parser, loaded on first use: js-yaml is most of a sweep's bytes and only sweeps need it. */
async function yamlParser(): Promise<ParseConfig> {
  return (await import('./yaml.js')).parseSweepConfig;
}

function toSweep(
  client: WandbClient,
  node: SweepFieldsFragment | LegacySweepFieldsFragment,
  entity: string,
  project: string,
  parseConfig: ParseConfig,
): Sweep {
  const full: Partial<SweepFieldsFragment> = node;
  const config = parseConfig(node.config);
  const configName = typeof config.name === 'string' && config.name ? config.name : null;
  return {
    id: node.name,
    storageId: node.id,
    entity,
    project,
    name: full.displayName || configName || node.name,
    displayName: full.displayName ?? null,
    config,
    rawConfig: node.config,
    method: full.method ?? null,
    state: node.state,
    description: full.description ?? null,
    bestLoss: node.bestLoss,
    createdAt: full.createdAt ?? null,
    updatedAt: full.updatedAt ?? null,
    runCount: full.runCount ?? null,
    expectedRunCount: full.runCountExpected ?? null,
    order: orderOf(config),
    path: [entity, project, node.name],
    url: appUrl(client, entity, project, 'sweeps', node.name),
  };
}

/**
 * One sweep by path. A server too old for GetSweep's fields (it answers with a GraphQL validation
 * error naming an unknown field or argument) is asked again with the legacy field set; any other
 * failure (network, 5xx after retries, auth, abort) is thrown as it is (Python falls back on any
 * error and then returns a sweep with its newer fields null).
 * @example const sweep = await getSweep(client, 'acme/mnist/sweeps/k3x9q2ab'); console.log(sweep.config.method);
 */
export async function getSweep(client: WandbClient, path: SweepLocator, options?: CallOptions): Promise<Sweep> {
  checkLocator(path);
  const { entity, project, id } = await locateSweep(client, path, options);
  const variables = { entity, project, name: id };
  let node: SweepFieldsFragment | LegacySweepFieldsFragment | null | undefined;
  try {
    node = (await client.request(GetSweepDocument, variables, options)).project?.sweep;
  } catch (error) {
    if (!isSchemaError(error)) throw error;
    node = (await client.request(GetSweepLegacyDocument, variables, options)).project?.sweep;
  }
  if (!node) throw new NotFoundError(`Could not find sweep ${entity}/${project}/${id}.`, { status: 404 });
  return toSweep(client, node, entity, project, await yamlParser());
}

/** The sweep states W&B reports. */
export type SweepStateName = 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELED' | 'CRASHED' | 'PENDING' | 'STOPPED';

/** The sweep fields W&B filters sweeps on. Dates are ISO 8601 strings. */
export interface SweepFieldFilters {
  /** The short sweep id. */
  readonly name: FieldFilter<string>;
  /** The short sweep id (alias of `name`). */
  readonly id: FieldFilter<string>;
  /** The display name. */
  readonly displayName: FieldFilter<string>;
  /** The sweep state. */
  readonly state: FieldFilter<SweepStateName>;
  /** The search method. */
  readonly method: FieldFilter<'grid' | 'random' | 'bayes'>;
  /** The description. */
  readonly description: FieldFilter<string>;
  /** When the sweep was created. */
  readonly createdAt: FieldFilter<string>;
  /** When the sweep was created (snake_case). */
  readonly created_at: FieldFilter<string>;
  /** When the sweep last changed. */
  readonly updatedAt: FieldFilter<string>;
  /** When the sweep last changed (snake_case). */
  readonly updated_at: FieldFilter<string>;
  /** The best value of the sweep's metric. */
  readonly bestLoss: FieldFilter<number>;
}

/**
 * A sweep filter (MongoDB-style, as runs filters): the sweep's fields with typed operands.
 * @example const f: SweepFilter = { state: { $in: ['RUNNING', 'PAUSED'] }, method: 'bayes' };
 */
export type SweepFilter = MongoFilter<SweepFieldFilters>;

export interface ListSweepsOptions extends CallOptions {
  /** A Mongo-style filter on sweep fields (`state`, `name`, `displayName`, `createdAt` …); needs a server with SWEEPS_QUERY_FILTERING. */
  filters?: SweepFilter;
  /** Sweeps per request. Default 50. */
  perPage?: number;
}

/**
 * The sweeps of a project, newest first, built from the page itself (Python loads each sweep again:
 * one extra request per sweep). `.count()` is the project's `totalSweeps`, which ignores the filters,
 * as Python's `len`. Filters on a server without SWEEPS_QUERY_FILTERING throw UnsupportedError before
 * any sweeps request; without filters the feature is not probed.
 * @example for await (const s of listSweeps(client, 'acme/mnist')) console.log(s.id, s.state, s.bestLoss);
 */
export function listSweeps(client: WandbClient, path?: string | ProjectPath, options: ListSweepsOptions = {}): Paginated<Sweep> {
  const perPage = checkPerPage(options.perPage, 50);
  const { filters } = options;
  if (filters !== undefined && (typeof filters !== 'object' || filters === null || Array.isArray(filters))) {
    throw new ValidationError('filters must be an object such as { state: "RUNNING" }.');
  }
  const filterText = filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
  const parsed = typeof path === 'string' ? parseProjectPath(path) : path;
  const where = (signal: AbortSignal | undefined) => resolveProjectPath(client, parsed, { ...options, signal });
  return new Paginated<Sweep>({
    signal: options.signal,
    idOf: (sweep) => sweep.storageId,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const { entity, project } = await where(signal);
      let data;
      if (filterText === undefined) {
        data = await client.request(GetSweepsUnfilteredDocument, { entity, project, cursor, perPage }, call);
      } else {
        if (!(await hasServerFeature(client, 'SWEEPS_QUERY_FILTERING', call))) {
          throw new UnsupportedError(
            'Filtering sweeps is not supported on this W&B server version. Please upgrade your server to release 0.81.4 or later, or query sweeps on https://wandb.ai.',
            { missing: ['SWEEPS_QUERY_FILTERING'] },
          );
        }
        data = await client.request(GetSweepsDocument, { entity, project, cursor, perPage, filters: filterText }, call);
      }
      const sweeps = data.project?.sweeps;
      if (!data.project || !sweeps) throw new NotFoundError(`Could not find project ${entity}/${project}.`, { status: 404 });
      const parseConfig = await yamlParser();
      return {
        items: sweeps.edges.map((e) => toSweep(client, e.node, entity, project, parseConfig)),
        // Sweeps page on pageInfo.endCursor (relay), unlike runs.
        cursor: endCursorOf(sweeps),
        hasNextPage: sweeps.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(SweepCountDocument, { entity, project }, { ...options, signal });
      if (!data.project) throw new NotFoundError(`Could not find project ${entity}/${project}.`, { status: 404 });
      return data.project.totalSweeps;
    },
  });
}

/** The filter that selects a sweep's runs, with the caller's filter (if any) as a second clause. */
function sweepFilter(id: string, filters?: RunFilter): RunFilter {
  return { $and: [{ sweep: id }, ...(filters && Object.keys(filters).length > 0 ? [filters] : [])] };
}

/**
 * The runs of a sweep (`listRuns` with `{ $and: [{ sweep: id }] }`), light by default; `{ full: true }` adds config and summary.
 * `sweepRuns<Config, Summary>` types them as `listRuns` does.
 * @example const runs = await sweepRuns(client, 'acme/mnist/sweeps/k3x9q2ab').toArray();
 */
export function sweepRuns<C = Record<string, unknown>, S = Record<string, unknown>>(
  client: WandbClient,
  sweep: SweepLocator,
  options: ListRunsOptions<C, S> & { full: true },
): Paginated<Run<C, S>>;
export function sweepRuns<C = Record<string, unknown>, S = Record<string, unknown>>(client: WandbClient, sweep: SweepLocator, options?: ListRunsOptions<C, S>): Paginated<LightRun>;
export function sweepRuns(client: WandbClient, sweep: SweepLocator, options: ListRunsOptions = {}): Paginated<LightRun | Run> {
  checkLocator(sweep);
  if (typeof sweep !== 'string') return listRuns(client, sweep, { ...options, filters: sweepFilter(sweep.id, options.filters) });
  // A path string may need the default entity: resolve it on the first page, not now.
  const parsed = parseSweepPath(sweep);
  const project = parsed.project ?? client.config.project;
  if (!project) throw new ValidationError(`Invalid path: '${sweep}' (missing project)`);
  const where = parsed.entity ? { entity: parsed.entity, project } : { project };
  return listRuns(client, where, { ...options, filters: sweepFilter(parsed.sweepId, options.filters) });
}

/** Options of `bestRun`; C and S type the run's config and summary. */
export interface BestRunOptions<C = Record<string, unknown>, S = Record<string, unknown>> extends CallOptions {
  /** A metric or key (`loss`, `-summary_metrics.accuracy`, `+config.lr`); passed through `formatOrderKey`. Default: the sweep's metric goal. */
  order?: RunOrder<NoInfer<C>, NoInfer<S>> | `${OrderSign}${Paths<NoInfer<S>>}`;
  /** Checks (and types) the run's config and summary, e.g. `{ summary: Summary.parse }`. */
  validate?: RunValidators<C, S>;
}

/**
 * The sweep's best run by its metric (or by `order`), with config and summary; null when the sweep has no runs.
 * Without an order and without a metric it returns the MOST RECENT run (`-created_at`): Python says so but
 * returns the oldest.
 * @example const best = await bestRun(client, sweep); console.log(best?.summary.loss);
 */
export async function bestRun<C = Record<string, unknown>, S = Record<string, unknown>>(
  client: WandbClient,
  sweep: Sweep | SweepLocator,
  options: BestRunOptions<C, S> = {},
): Promise<Run<C, S> | null> {
  const { order: given, ...call } = options;
  if (given !== undefined && typeof given !== 'string') throw new ValidationError('order must be a string such as "-summary_metrics.accuracy".');
  const explicit = given === undefined ? undefined : formatOrderKey(given);
  const loaded = explicit === undefined && !isSweep(sweep) ? await getSweep(client, sweep, call) : sweep;
  const order = explicit ?? (isSweep(loaded) ? loaded.order : null) ?? '-created_at';
  const page = await sweepRuns<C, S>(client, loaded, { ...call, order: order as RunOrder<C, S>, perPage: 1, full: true });
  return page.items[0] ?? null;
}

function isSweep(value: Sweep | SweepLocator): value is Sweep {
  return typeof value === 'object' && value !== null && 'storageId' in value && 'order' in value;
}

/**
 * The runs a sweep was created with (`wandb.sweep(config, prior_runs=[...])`, the server's
 * `priorRuns`), light fields; they count as tried but are not the sweep's own runs. Python's
 * `Sweep` does not read them. NotFoundError when the sweep is missing.
 * @example const prior = await sweepPriorRuns(client, 'acme/mnist/sweeps/k3x9q2ab');
 */
export async function sweepPriorRuns(client: WandbClient, sweep: SweepLocator, options?: CallOptions): Promise<LightRun[]> {
  checkLocator(sweep);
  const placed = await locateSweep(client, sweep, options);
  const data = await client.request(GetSweepPriorRunsDocument, { entity: placed.entity, project: placed.project, name: placed.id }, options);
  const found = data.project?.sweep;
  if (!found) throw new NotFoundError(`Could not find sweep ${placed.entity}/${placed.project}/${placed.id}.`, { status: 404 });
  return found.priorRuns.edges.map((e) => toLightRun(client, e.node, placed.entity, placed.project));
}

function toAgent(node: AgentFieldsFragment, sweep: PlacedSweep): Agent {
  return {
    id: node.id,
    name: node.name,
    host: node.host,
    state: node.state,
    totalRuns: node.totalRuns,
    createdAt: node.createdAt,
    heartbeatAt: node.heartbeatAt,
    entity: sweep.entity,
    project: sweep.project,
    sweepId: sweep.id,
  };
}

/**
 * The agents of a sweep. NotFoundError when the sweep is missing (Python returns an empty list).
 * @example for (const agent of await listAgents(client, 'acme/mnist/sweeps/k3x9q2ab')) console.log(agent.name, agent.totalRuns);
 */
export async function listAgents(client: WandbClient, sweep: SweepLocator, options?: CallOptions): Promise<Agent[]> {
  checkLocator(sweep);
  const placed = await locateSweep(client, sweep, options);
  const data = await client.request(SweepAgentsDocument, { entity: placed.entity, project: placed.project, name: placed.id }, options);
  const found = data.project?.sweep;
  if (!found) throw new NotFoundError(`Could not find sweep ${placed.entity}/${placed.project}/${placed.id}.`, { status: 404 });
  return found.agents.edges.map((e) => toAgent(e.node, placed));
}

/**
 * One agent of a sweep by name (or global id); NotFoundError when the sweep or the agent is missing.
 * @example const agent = await getAgent(client, 'acme/mnist/sweeps/k3x9q2ab', 'agent-a1');
 */
export async function getAgent(client: WandbClient, sweep: SweepLocator, agentId: string, options?: CallOptions): Promise<Agent> {
  checkLocator(sweep);
  if (typeof agentId !== 'string' || !agentId.trim()) throw new ValidationError('An agent id must be a non-empty string.');
  const placed = await locateSweep(client, sweep, options);
  const data = await client.request(
    SweepAgentDocument,
    { entity: placed.entity, project: placed.project, name: placed.id, agentName: agentId },
    options,
  );
  const node = data.project?.sweep?.agent;
  if (!node) throw new NotFoundError(`Could not find agent ${agentId} of sweep ${placed.entity}/${placed.project}/${placed.id}.`, { status: 404 });
  return toAgent(node, placed);
}

/** An agent as `agentRuns` needs it: a loaded Agent, or where it is. */
export type AgentLocator = Pick<Agent, 'entity' | 'project' | 'sweepId' | 'name'>;

/**
 * The runs an agent started, light fields, paged on the last edge's cursor; `.count()` is the agent's `totalRuns`.
 * @example const runs = await agentRuns(client, agent, { perPage: 100 }).toArray();
 */
export function agentRuns(client: WandbClient, agent: AgentLocator, options: { perPage?: number } & CallOptions = {}): Paginated<LightRun> {
  const perPage = checkPerPage(options.perPage, 50);
  if (!agent || !agent.entity || !agent.project || !agent.sweepId || !agent.name) {
    throw new ValidationError('agentRuns needs an agent with entity, project, sweepId and name.');
  }
  const { entity, project } = agent;
  const base = { entity, project, name: agent.sweepId, agentName: agent.name };
  const missing = () => new NotFoundError(`Could not find agent ${agent.name} of sweep ${entity}/${project}/${agent.sweepId}.`, { status: 404 });
  return new Paginated<LightRun>({
    signal: options.signal,
    idOf: (run) => run.storageId,
    fetchPage: async (cursor, signal) => {
      const data = await client.request(GetAgentRunsDocument, { ...base, cursor, perPage }, { ...options, signal });
      const runs = data.project?.sweep?.agent?.runs;
      if (!runs) throw missing();
      return {
        items: runs.edges.map((e) => toLightRun(client, e.node, entity, project)),
        cursor: runs.edges.at(-1)?.cursor ?? null,
        hasNextPage: runs.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => {
      const data = await client.request(SweepAgentDocument, base, { ...options, signal });
      const node = data.project?.sweep?.agent;
      if (!node) throw missing();
      return node.totalRuns;
    },
  });
}
