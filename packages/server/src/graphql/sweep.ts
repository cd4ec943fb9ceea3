/** Sweeps: Project.sweep/sweeps/totalSweeps, the Sweep and Agent types, upsertSweep and enqueueSweepRun. */
import { load } from 'js-yaml';
import { ForbiddenError, UserInputError } from '../errors';
import { runField } from '../store/fields';
import { parseLenient, payloadFromValue } from '../store/json';
import { launchStore, runQueueItemGid } from '../store/launch';
import type { RunListOptions } from '../store/runs';
import type { ProjectRow, RunRow } from '../store/store';
import { wrapConfig } from '../store/store';
import { unusedRunName } from '../store/sweepController';
import { launchQueue, launchSchedulerOf } from '../store/sweepLaunch';
import { expectedRunCount, gridOf, sweepParameters } from '../store/sweepSearch';
import type { AgentRow, SweepRow } from '../store/sweeps';
import { connection } from './connection';
import type { Context } from './context';
import { isFeatureEnabled } from './features';
import type { TypeResolvers } from './resolver';

const gid = (type: string, id: number): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');

/** The runs of one sweep (optionally only some of them), as a RunConnection. */
function sweepRuns(ctx: Context, sweep: SweepRow, args: RunListOptions, names?: string[]) {
  const clauses: Record<string, unknown>[] = [{ sweep: sweep.name }];
  if (names) clauses.push({ name: { $in: names } });
  const filters = JSON.stringify({ $and: clauses });
  return {
    ...connection(ctx.store.runs.list(sweep.project_id, { ...args, filters }), args.after),
    totalCount: () => ctx.store.runs.count(sweep.project_id, filters),
  };
}

/** The sweep's prior runs (all of them, one page: Python and W&B's UI read them whole). */
function priorRuns(ctx: Context, sweep: SweepRow) {
  const names = ctx.store.sweeps.priorRunNames(sweep.id);
  const filters = JSON.stringify({ name: { $in: names } });
  const page = ctx.store.runs.list(sweep.project_id, { filters, first: Math.max(names.length, 1) });
  return { ...connection(page), totalCount: names.length };
}

/** The best value of the sweep's metric (`metric: {name, goal}`) over its runs, as W&B tracks it. */
function bestLossOf(ctx: Context, sweep: SweepRow): number | null {
  const { metric } = (load(sweep.config) ?? {}) as { metric?: { name?: unknown; goal?: unknown } };
  if (typeof metric?.name !== 'string' || !metric.name) return null;
  let field;
  try {
    field = runField(`summary_metrics.${metric.name}`);
  } catch {
    return null; // a name no summary path can hold (e.g. with a '"')
  }
  return field?.kind === 'json' ? ctx.store.sweeps.bestMetric(sweep, field, metric.goal === 'maximize') : null;
}

function hasFilters(text: string | null | undefined): boolean {
  return Boolean(text && text.trim() !== '' && text.trim() !== '{}');
}

export const ProjectSweeps: TypeResolvers = {
  sweep: (p: ProjectRow, args: { sweepName: string }, ctx: Context) => ctx.store.sweeps.byName(p.id, args.sweepName) ?? null,
  sweeps: (p: ProjectRow, args: { first?: number | null; after?: string | null; filters?: string | null }, ctx: Context) => {
    // An older server has no `filters` argument at all; refusing it keeps clients honest about the feature probe.
    if (hasFilters(args.filters) && !isFeatureEnabled(ctx.store, 'SWEEPS_QUERY_FILTERING')) {
      throw new UserInputError('Unknown argument "filters" on field "Project.sweeps" (SWEEPS_QUERY_FILTERING is disabled)');
    }
    return connection(ctx.store.sweeps.list(p.id, args), args.after);
  },
  totalSweeps: (p: ProjectRow, _: unknown, ctx: Context) => ctx.store.sweeps.count(p.id),
};

export const Sweep: TypeResolvers = {
  id: (s: SweepRow) => gid('Sweep', s.id),
  name: (s: SweepRow) => s.name,
  displayName: (s: SweepRow) => s.display_name,
  method: (s: SweepRow) => s.method,
  state: (s: SweepRow) => s.state,
  description: (s: SweepRow) => s.description,
  bestLoss: (s: SweepRow, _: unknown, ctx: Context) => s.best_loss ?? bestLossOf(ctx, s),
  config: (s: SweepRow) => s.config,
  createdAt: (s: SweepRow) => s.created_at,
  updatedAt: (s: SweepRow) => s.updated_at,
  heartbeatAt: (s: SweepRow) => s.heartbeat_at,
  runCount: (s: SweepRow, _: unknown, ctx: Context) => ctx.store.sweeps.runCount(s),
  runCountExpected: (s: SweepRow) => s.run_count_expected,
  project: (s: SweepRow, _: unknown, ctx: Context) => ctx.project(s.project_id) ?? null,
  user: (s: SweepRow, _: unknown, ctx: Context) => (s.user_id === null ? null : (ctx.user(s.user_id) ?? null)),
  runs: (s: SweepRow, args: RunListOptions, ctx: Context) => sweepRuns(ctx, s, args),
  priorRuns: (s: SweepRow, _: unknown, ctx: Context) => priorRuns(ctx, s),
  controller: (s: SweepRow) => s.controller,
  scheduler: (s: SweepRow) => s.scheduler,
  // This server runs no early-stopping job (the config's early_terminate is kept, not acted on).
  earlyStopJobRunning: () => false,
  agents: (s: SweepRow, _: unknown, ctx: Context) =>
    connection({ items: ctx.store.sweeps.agents(s.id).map((node) => ({ node, cursor: gid('Agent', node.id) })), hasNextPage: false }),
  agent: (s: SweepRow, args: { agentName: string }, ctx: Context) => ctx.store.sweeps.agent(s.id, args.agentName) ?? null,
};

export const Agent: TypeResolvers = {
  id: (a: AgentRow) => gid('Agent', a.id),
  name: (a: AgentRow) => a.name,
  displayName: (a: AgentRow) => a.name,
  host: (a: AgentRow) => a.host,
  state: (a: AgentRow) => a.state,
  persistent: (a: AgentRow) => a.persistent === 1,
  totalRuns: (a: AgentRow, _: unknown, ctx: Context) => ctx.store.sweeps.agentRunNames(a.id).length,
  createdAt: (a: AgentRow) => a.created_at,
  heartbeatAt: (a: AgentRow) => a.heartbeat_at,
  metrics: (a: AgentRow) => a.metrics,
  user: (a: AgentRow, _: unknown, ctx: Context) => (a.user_id === null ? null : (ctx.user(a.user_id) ?? null)),
  sweep: (a: AgentRow, _: unknown, ctx: Context) => ctx.store.sweeps.byId(a.sweep_id),
  runs: (a: AgentRow, args: RunListOptions, ctx: Context) => {
    const sweep = ctx.store.sweeps.byId(a.sweep_id) as SweepRow;
    return sweepRuns(ctx, sweep, args, ctx.store.sweeps.agentRunNames(a.id));
  },
};

interface SweepUpsert {
  clientMutationId?: string | null;
  id?: string | null;
  entityName?: string | null;
  projectName?: string | null;
  config?: string | null;
  displayName?: string | null;
  description?: string | null;
  state?: string | null;
  controller?: string | null;
  scheduler?: string | null;
  launchScheduler?: string | null;
  priorRunsFilters?: string | null;
  templateVariableValues?: string | null;
}

const METHODS = new Set(['grid', 'random', 'bayes', 'custom']);

/** The parts of a sweep config (YAML) the server derives fields from; a grid it cannot enumerate is refused. */
function readConfig(text: string): { method: string; runCountExpected: number | null } {
  let config: unknown;
  try {
    config = load(text);
  } catch (err) {
    throw new UserInputError(`sweep config is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UserInputError('sweep config must be a YAML mapping');
  const { method, parameters } = config as { method?: unknown; parameters?: unknown };
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw new UserInputError(`sweep config needs method: grid, random, bayes or custom, got ${JSON.stringify(method)}`);
  }
  const params = sweepParameters(parameters);
  if (method === 'grid') gridOf(params);
  return { method, runCountExpected: expectedRunCount(method, params) };
}

/** JSONString input: null for absent, JSON null or "null" (Python sends json.dumps(None)). */
function jsonInput(text: string | null | undefined, what: string): string | null {
  if (text === null || text === undefined || text.trim() === 'null') return null;
  try {
    parseLenient(text);
  } catch {
    throw new UserInputError(`${what} must be JSON`);
  }
  return text;
}

/** A sweep named by its global id that the viewer may write to. */
function writableSweep(ctx: Context, id: string): { sweep: SweepRow; project: ProjectRow } {
  const match = /^Sweep:(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  const sweep = match ? ctx.store.sweeps.byId(Number(match[1])) : undefined;
  const project = sweep && ctx.store.projects.byId(sweep.project_id);
  if (!sweep || !project || !ctx.store.canRead(ctx.viewer, project)) throw new UserInputError(`no sweep with id ${JSON.stringify(id)}`);
  if (!ctx.store.canWrite(ctx.viewer, project.entity_id)) throw new ForbiddenError(`permission denied on ${project.entity_name}/${project.name}`);
  return { sweep, project };
}

/** Adds the project's runs matching `filters` (Mongo-style, as Python's prior_runs sends) to the sweep's prior runs. */
function addPriorRuns(ctx: Context, sweep: SweepRow, filters: string | null): number {
  if (!filters) return 0;
  const ids: number[] = [];
  for (let after: string | null = null; ; ) {
    const page = ctx.store.runs.list(sweep.project_id, { filters, first: 1000, after });
    ids.push(...page.items.map((e) => e.node.id));
    if (!page.hasNextPage) break;
    after = page.items.at(-1)?.cursor ?? null;
  }
  return ctx.store.sweeps.addPriorRuns(sweep.id, ids);
}

/**
 * A launch sweep: its scheduler's launch spec goes onto the named queue (W&B does this for
 * `wandb launch-sweep`), with the WANDB_SWEEP_ID placeholders replaced by the sweep's id.
 */
function enqueueScheduler(ctx: Context, sweep: SweepRow, project: ProjectRow, launchScheduler: string, templateValues: string | null): void {
  const scheduler = launchSchedulerOf(launchScheduler);
  if (!scheduler?.runSpec) throw new UserInputError('launchScheduler needs queue and run_spec');
  const queue = launchQueue(ctx.store, project.entity_id, scheduler);
  launchStore(ctx.store).pushItem(queue, { runSpec: scheduler.runSpec.replaceAll('WANDB_SWEEP_ID', sweep.name), templateVariableValues: templateValues });
}

interface EnqueueInput {
  id: string;
  config: string;
  displayName?: string | null;
}

export const SweepMutations: TypeResolvers = {
  upsertSweep: (_: unknown, { input }: { input: SweepUpsert }, ctx: Context) => {
    const { store, viewer } = ctx;
    const controller = jsonInput(input.controller, 'controller');
    const launchScheduler = jsonInput(input.launchScheduler, 'launchScheduler');
    const scheduler = launchScheduler ?? jsonInput(input.scheduler, 'scheduler');
    const priorFilters = jsonInput(input.priorRunsFilters, 'priorRunsFilters');
    const templateValues = jsonInput(input.templateVariableValues, 'templateVariableValues');
    return store.db.transaction(() => {
      const derived = input.config ? readConfig(input.config) : undefined;
      let sweep: SweepRow;
      let project: ProjectRow;
      let inserted = false;
      if (input.id) {
        ({ sweep, project } = writableSweep(ctx, input.id));
        sweep = store.sweeps.update(sweep.id, { ...input, controller, scheduler, ...(derived ?? {}) });
      } else {
        if (!input.config || !derived) throw new UserInputError('upsertSweep needs a config to create a sweep');
        const entity = input.entityName ? store.entities.byName(input.entityName) : store.personalEntity(viewer);
        if (!entity) throw new UserInputError(`entity ${JSON.stringify(input.entityName)} does not exist`);
        if (!store.canWrite(viewer, entity.id)) throw new ForbiddenError(`permission denied: ${viewer.username} is not a member of ${entity.name}`);
        const projectName = input.projectName || 'uncategorized';
        project =
          store.projects.byName(entity.id, projectName) ?? store.projects.insert({ entityId: entity.id, name: projectName, createdBy: viewer.id });
        sweep = store.sweeps.insert({
          projectId: project.id,
          displayName: input.displayName,
          description: input.description,
          // W&B shows a new sweep PENDING until an agent (or the launch scheduler) starts it.
          state: input.state ?? 'PENDING',
          config: input.config,
          method: derived.method,
          runCountExpected: derived.runCountExpected,
          userId: viewer.id,
          controller,
          scheduler,
        });
        inserted = true;
      }
      if (launchScheduler) enqueueScheduler(ctx, sweep, project, launchScheduler, templateValues);
      const insertedPriorRuns = addPriorRuns(ctx, sweep, priorFilters);
      return { clientMutationId: input.clientMutationId ?? null, configValidationWarnings: [], inserted, insertedPriorRuns, sweep };
    });
  },

  /**
   * Puts a run into a sweep that uses a scheduler (a launch sweep, or one upserted with `scheduler`):
   * a pending run of the sweep with `config`; a launch sweep's goes onto its launch queue, any other
   * is handed to the sweep's next idle agent. Answers the run's id (its short name) and the queue item.
   */
  enqueueSweepRun: (_: unknown, { input }: { input: EnqueueInput }, ctx: Context) => {
    if (!isFeatureEnabled(ctx.store, 'SWEEPS_LOCAL_SCHEDULER')) {
      throw new UserInputError('enqueueSweepRun is not supported (SWEEPS_LOCAL_SCHEDULER is disabled)');
    }
    const config = parseLenient(jsonInput(input.config, 'config') ?? '{}');
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UserInputError('config must be a JSON object');
    const { store } = ctx;
    return store.db.transaction(() => {
      const { sweep, project } = writableSweep(ctx, input.id);
      if (!sweep.scheduler) throw new UserInputError(`sweep ${sweep.name} is not using local scheduler`);
      if (sweep.state !== 'PENDING' && sweep.state !== 'RUNNING' && sweep.state !== 'PAUSED') {
        throw new UserInputError(`sweep ${sweep.name} is ${sweep.state}: no runs can be enqueued`);
      }
      const name = unusedRunName(store, sweep.project_id);
      const run: RunRow = store.runs.insert(sweep.project_id, name, {
        displayName: input.displayName || name,
        state: 'pending',
        config: payloadFromValue(wrapConfig(config as Record<string, unknown>)),
        sweep: sweep.name,
        userId: ctx.viewer.id,
      });
      let runQueueItemId: string | null = null;
      const scheduler = launchSchedulerOf(sweep.scheduler);
      if (scheduler) {
        const runSpec = { run_id: run.name, entity: project.entity_name, project: project.name, sweep_id: sweep.name, overrides: { run_config: config } };
        const item = launchStore(store).pushItem(launchQueue(store, project.entity_id, scheduler), { runSpec: JSON.stringify(runSpec) });
        runQueueItemId = runQueueItemGid(item.id);
      }
      return { id: run.name, runQueueItemId };
    });
  },
};
