/**
 * Sweep agents (`wandb agent`, `wandb.agent`): createAgent registers one, agentHeartbeat answers with
 * the commands the server-side controller decides (store/sweepController.ts).
 */
import { randomInt } from 'node:crypto';
import { NotFoundError, UserInputError } from '../errors';
import { parseLenient } from '../store/json';
import { agentCommands } from '../store/sweepController';
import type { AgentRow, SweepRow } from '../store/sweeps';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

interface CreateAgentInput {
  clientMutationId?: string | null;
  host: string;
  entityName?: string | null;
  projectName?: string | null;
  sweep: string;
}

interface HeartbeatInput {
  clientMutationId?: string | null;
  id: string;
  metrics?: string | null;
  runState?: string | null;
}

const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function unusedAgentName(ctx: Context, sweepId: number): string {
  for (;;) {
    let name = '';
    for (let i = 0; i < 8; i++) name += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
    if (!ctx.store.sweeps.agent(sweepId, name)) return name;
  }
}

/** The sweep an agent names: in the given project, else in the entity's first project that has one so named. */
function findSweep(ctx: Context, input: CreateAgentInput): SweepRow {
  const { store, viewer } = ctx;
  const entity = input.entityName ? store.entities.byName(input.entityName) : store.personalEntity(viewer);
  let candidates: (SweepRow | undefined)[] = [];
  if (entity && input.projectName) {
    const project = store.projects.byName(entity.id, input.projectName);
    candidates = [project && store.sweeps.byName(project.id, input.sweep)];
  } else if (entity) {
    candidates = store.sweeps.byNameInEntity(entity.id, input.sweep);
  }
  for (const sweep of candidates) {
    const where = sweep && ctx.project(sweep.project_id);
    if (sweep && where && store.canRead(viewer, where)) return sweep;
  }
  const path = [input.entityName ?? entity?.name, input.projectName].filter(Boolean).join('/');
  throw new NotFoundError(`sweep ${path ? `${path}/` : ''}${input.sweep} not found`);
}

/** The agent a heartbeat names by global id; a missing one (its sweep deleted) is a 404, as W&B answers. */
function agentOf(ctx: Context, id: string): AgentRow {
  const match = /^Agent:(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  const agent = match ? ctx.store.sweeps.agentById(Number(match[1])) : undefined;
  const sweep = agent && ctx.store.sweeps.byId(agent.sweep_id);
  const project = sweep && ctx.project(sweep.project_id);
  if (!agent || !project || !ctx.store.canRead(ctx.viewer, project) || !ctx.canWrite(project.entity_id)) {
    throw new NotFoundError(`agent ${JSON.stringify(id)} not found`);
  }
  return agent;
}

/** The names of the runs the agent reports queued or running (`runState`: `{name: true}`). */
function activeRuns(text: string | null | undefined): string[] {
  if (!text) return [];
  let state: unknown;
  try {
    state = parseLenient(text);
  } catch {
    throw new UserInputError('runState must be a JSON object of run ids');
  }
  if (state === null) return [];
  if (typeof state !== 'object' || Array.isArray(state)) throw new UserInputError('runState must be a JSON object of run ids');
  return Object.entries(state).filter(([, running]) => Boolean(running)).map(([name]) => name);
}

export const SweepAgentMutations: TypeResolvers = {
  createAgent: (_: unknown, { input }: { input: CreateAgentInput }, ctx: Context) => {
    if (!input.host) throw new UserInputError('createAgent needs a host');
    return ctx.store.db.transaction(() => {
      const sweep = findSweep(ctx, input);
      const project = ctx.project(sweep.project_id);
      if (!project || !ctx.canWrite(project.entity_id)) throw new NotFoundError(`sweep ${input.sweep} not found`);
      const agent = ctx.store.sweeps.insertAgent({ sweepId: sweep.id, name: unusedAgentName(ctx, sweep.id), host: input.host, userId: ctx.viewer.id });
      // An agent starts the sweep (W&B shows it PENDING until then).
      if (sweep.state === 'PENDING') ctx.store.sweeps.setState(sweep.id, 'RUNNING');
      return { clientMutationId: input.clientMutationId ?? null, agent };
    });
  },

  agentHeartbeat: (_: unknown, { input }: { input: HeartbeatInput }, ctx: Context) => {
    const active = activeRuns(input.runState);
    if (input.metrics) {
      try {
        parseLenient(input.metrics);
      } catch {
        throw new UserInputError('metrics must be JSON');
      }
    }
    const agent = agentOf(ctx, input.id);
    ctx.store.sweeps.heartbeat(agent, input.metrics ?? undefined);
    const commands = agentCommands(ctx.store, agent, active);
    return { clientMutationId: input.clientMutationId ?? null, agent: ctx.store.sweeps.agentById(agent.id), commands: JSON.stringify(commands) };
  },
};
