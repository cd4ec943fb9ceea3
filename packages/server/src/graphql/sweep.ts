/** Sweeps: Project.sweep/sweeps/totalSweeps, the Sweep and Agent types, and upsertSweep. */
import { load } from 'js-yaml';
import { ForbiddenError, UserInputError } from '../errors';
import type { RunListOptions } from '../store/runs';
import type { ProjectRow } from '../store/store';
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
  bestLoss: (s: SweepRow) => s.best_loss,
  config: (s: SweepRow) => s.config,
  createdAt: (s: SweepRow) => s.created_at,
  updatedAt: (s: SweepRow) => s.updated_at,
  heartbeatAt: (s: SweepRow) => s.heartbeat_at,
  runCount: (s: SweepRow, _: unknown, ctx: Context) => ctx.store.sweeps.runCount(s),
  runCountExpected: (s: SweepRow) => s.run_count_expected,
  project: (s: SweepRow, _: unknown, ctx: Context) => ctx.project(s.project_id) ?? null,
  user: (s: SweepRow, _: unknown, ctx: Context) => (s.user_id === null ? null : (ctx.user(s.user_id) ?? null)),
  runs: (s: SweepRow, args: RunListOptions, ctx: Context) => sweepRuns(ctx, s, args),
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
}

/** The parts of a sweep config (YAML) the server derives fields from. */
function readConfig(text: string): { method: string; runCountExpected: number | null } {
  let config: unknown;
  try {
    config = load(text);
  } catch (err) {
    throw new UserInputError(`sweep config is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UserInputError('sweep config must be a YAML mapping');
  const { method, parameters } = config as { method?: unknown; parameters?: unknown };
  if (method !== 'grid' && method !== 'random' && method !== 'bayes') {
    throw new UserInputError(`sweep config needs method: grid, random or bayes, got ${JSON.stringify(method)}`);
  }
  return { method, runCountExpected: method === 'grid' ? gridSize(parameters) : null };
}

/** Grid search runs one run per combination of discrete values; null when a parameter is not discrete. */
function gridSize(parameters: unknown): number | null {
  if (typeof parameters !== 'object' || parameters === null) return null;
  let size = 1;
  for (const spec of Object.values(parameters)) {
    const s = spec as { values?: unknown; value?: unknown };
    if (Array.isArray(s?.values)) size *= s.values.length;
    else if (!s || !('value' in s)) return null;
  }
  return size;
}

export const SweepMutations: TypeResolvers = {
  upsertSweep: (_: unknown, { input }: { input: SweepUpsert }, ctx: Context) => {
    const { store, viewer } = ctx;
    return store.db.transaction(() => {
      const derived = input.config ? readConfig(input.config) : undefined;
      if (input.id) {
        const match = /^Sweep:(\d+)$/.exec(Buffer.from(input.id, 'base64').toString('utf8'));
        const sweep = match ? store.sweeps.byId(Number(match[1])) : undefined;
        const project = sweep && store.projects.byId(sweep.project_id);
        if (!sweep || !project || !store.canRead(viewer, project)) throw new UserInputError(`no sweep with id ${JSON.stringify(input.id)}`);
        if (!store.canWrite(viewer, project.entity_id)) throw new ForbiddenError(`permission denied on ${project.entity_name}/${project.name}`);
        const updated = store.sweeps.update(sweep.id, { ...input, method: derived?.method });
        return { clientMutationId: input.clientMutationId ?? null, configValidationWarnings: [], inserted: false, sweep: updated };
      }
      if (!input.config || !derived) throw new UserInputError('upsertSweep needs a config to create a sweep');
      const entity = input.entityName ? store.entities.byName(input.entityName) : store.personalEntity(viewer);
      if (!entity) throw new UserInputError(`entity ${JSON.stringify(input.entityName)} does not exist`);
      if (!store.canWrite(viewer, entity.id)) throw new ForbiddenError(`permission denied: ${viewer.username} is not a member of ${entity.name}`);
      const projectName = input.projectName || 'uncategorized';
      const project =
        store.projects.byName(entity.id, projectName) ?? store.projects.insert({ entityId: entity.id, name: projectName, createdBy: viewer.id });
      const sweep = store.sweeps.insert({
        projectId: project.id,
        displayName: input.displayName,
        description: input.description,
        state: input.state ?? undefined,
        config: input.config,
        method: derived.method,
        runCountExpected: derived.runCountExpected,
        userId: viewer.id,
      });
      return { clientMutationId: input.clientMutationId ?? null, configValidationWarnings: [], inserted: true, sweep };
    });
  },
};
