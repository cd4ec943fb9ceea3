/**
 * The sweep controller, run on the server as W&B's local controller runs beside an agent: each agent
 * heartbeat is answered with at most one command (the Python agent acts only on the first):
 * - `exit` when the sweep is CANCELED (the agent kills its runs), or FINISHED once the agent is idle;
 * - `stop` for a run of the agent that stopRun flagged;
 * - nothing while the agent is busy or the sweep is PAUSED;
 * - otherwise `run`: an enqueued run first (enqueueSweepRun), else the method's next parameters —
 *   grid: the next grid point no run or prior run of the sweep stands on; random (and bayes, which
 *   this server samples at random): a fresh sample. The run is created here, `pending`, in the sweep,
 *   with those parameters as its config; the agent's wandb.init then takes it over by its id.
 * When the grid is exhausted or the sweep's `run_cap` is reached the sweep becomes FINISHED.
 */
import { randomInt } from 'node:crypto';
import { load } from 'js-yaml';
import { parseLenient, payloadFromValue } from './json';
import type { Store } from './store';
import { launchSchedulerOf } from './sweepLaunch';
import { gridKeyOfConfig, gridOf, nextGridPoint, runArgs, sample, sweepParameters, type RunArgs, type Uniform } from './sweepSearch';
import type { AgentRow, SweepRow } from './sweeps';

/** What an agent is told to do (the heartbeat's `commands`, as W&B's agents read them). */
export type AgentCommand =
  | { type: 'run'; run_id: string; args: RunArgs; program?: string }
  | { type: 'stop'; run_id: string }
  | { type: 'exit' };

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh run id for the project: 8 of [a-z0-9], as W&B's. */
export function unusedRunName(store: Store, projectId: number): string {
  for (;;) {
    let name = '';
    for (let i = 0; i < 8; i++) name += RUN_ID_ALPHABET[randomInt(RUN_ID_ALPHABET.length)];
    if (!store.runs.byName(projectId, name)) return name;
  }
}

/** The sweep config as a mapping (upsertSweep checked it is one). */
function configOf(sweep: SweepRow): Record<string, unknown> {
  return load(sweep.config) as Record<string, unknown>;
}

/** `{ k: { value } }` from a stored (wrapped) run config, without W&B's own `_wandb` key. */
function argsOfConfig(text: string): RunArgs {
  const config = parseLenient(text) as Record<string, { value?: unknown }>;
  return Object.fromEntries(Object.entries(config).filter(([k]) => k !== '_wandb').map(([k, v]) => [k, { value: v?.value }]));
}

/** The parameters of the sweep's next run, or undefined when it has nothing more to try. */
function nextArgs(store: Store, sweep: SweepRow, config: Record<string, unknown>, uniform: Uniform): RunArgs | undefined {
  const cap = config.run_cap;
  if (typeof cap === 'number' && store.sweeps.runCount(sweep) >= cap) return undefined;
  const parameters = sweepParameters(config.parameters);
  if (sweep.method === 'grid') {
    const grid = gridOf(parameters);
    const seen = new Set<string>();
    for (const text of store.sweeps.triedConfigs(sweep)) {
      const key = gridKeyOfConfig(grid, parseLenient(text) as Record<string, unknown>);
      if (key !== undefined) seen.add(key);
    }
    const point = nextGridPoint(grid, seen);
    if (!point) return undefined;
    const onGrid = new Map(grid.axes.map((axis, i) => [axis.parameter, point[i]]));
    return runArgs(parameters.map((p) => [p, onGrid.has(p) ? onGrid.get(p) : sample(p.distribution, uniform)]));
  }
  if (sweep.method === 'random' || sweep.method === 'bayes') return runArgs(parameters.map((p) => [p, sample(p.distribution, uniform)]));
  return undefined;
}

/** Creates the run an agent is about to start: pending, in the sweep, with `args` as its config. */
function createSweepRun(store: Store, sweep: SweepRow, agent: AgentRow, args: RunArgs): string {
  const name = unusedRunName(store, sweep.project_id);
  const wrapped = Object.fromEntries(Object.entries(args).map(([k, { value }]) => [k, { value, desc: null }]));
  const run = store.runs.insert(sweep.project_id, name, {
    displayName: name,
    state: 'pending',
    config: payloadFromValue(wrapped),
    sweep: sweep.name,
    host: agent.host,
    userId: agent.user_id,
  });
  store.sweeps.addAgentRun(agent.id, run.id);
  return name;
}

function exit(store: Store, agent: AgentRow): AgentCommand[] {
  store.sweeps.setAgentState(agent.id, 'FINISHED');
  return [{ type: 'exit' }];
}

/**
 * The commands answering one heartbeat of `agent`, which reports the runs it still has queued or
 * running (`active`, by run name). Runs in one transaction: two agents never get the same grid point.
 */
export function agentCommands(store: Store, agent: AgentRow, active: readonly string[], uniform: Uniform = Math.random): AgentCommand[] {
  return store.db.transaction(() => {
    const sweep = store.sweeps.byId(agent.sweep_id) as SweepRow;
    // Exit stops every run of the agent, so it goes first.
    if (sweep.state === 'CANCELED' || sweep.state === 'CRASHED') return exit(store, agent);
    for (const name of active) {
      if (store.runs.byName(sweep.project_id, name)?.should_stop) return [{ type: 'stop', run_id: name }];
    }
    if (active.length > 0 || sweep.state === 'PAUSED') return [];
    if (sweep.state !== 'PENDING' && sweep.state !== 'RUNNING') return exit(store, agent);

    const config = configOf(sweep);
    // A launch sweep's enqueued runs wait in its launch queue, not for agents.
    const enqueued = launchSchedulerOf(sweep.scheduler) ? undefined : store.sweeps.enqueuedRuns(sweep)[0];
    let runId: string;
    let args: RunArgs;
    if (enqueued) {
      store.sweeps.addAgentRun(agent.id, enqueued.id);
      runId = enqueued.name;
      args = argsOfConfig(enqueued.config);
    } else {
      const next = nextArgs(store, sweep, config, uniform);
      if (!next) {
        // A custom (scheduler-driven) sweep waits for enqueued runs; the others are done.
        if (sweep.method !== 'grid' && sweep.method !== 'random' && sweep.method !== 'bayes') return [];
        store.sweeps.setState(sweep.id, 'FINISHED');
        return exit(store, agent);
      }
      args = next;
      runId = createSweepRun(store, sweep, agent, next);
    }
    if (sweep.state === 'PENDING') store.sweeps.setState(sweep.id, 'RUNNING');
    const command: AgentCommand = { type: 'run', run_id: runId, args };
    if (typeof config.program === 'string') command.program = config.program;
    return [command];
  });
}
