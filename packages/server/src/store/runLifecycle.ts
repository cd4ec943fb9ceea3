/** Run lifecycle writes: delete, state transitions (updateRunState) and the stop flag (stopRun). */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { RunRow } from './runs';
import { wandbTime } from './time';

/** The states W&B lets a client move a run to, and from which states (sweep runs: never). */
const TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  pending: ['running', 'failed', 'crashed', 'preempted'],
  failed: ['pending', 'running'],
};

/** Whether updateRunState may move `run` to `state`. */
export function canTransition(run: Pick<RunRow, 'state' | 'sweep_name'>, state: string): boolean {
  if (run.sweep_name) return false;
  return TRANSITIONS[state]?.includes(run.state) ?? false;
}

/** Refuses a transition W&B refuses; the message names the allowed ones (as W&B's does, so clients need not list them). */
export function checkTransition(run: Pick<RunRow, 'name' | 'state' | 'sweep_name'>, state: string): void {
  if (canTransition(run, state)) return;
  const allowed = Object.entries(TRANSITIONS)
    .map(([to, from]) => `to ${to} from ${from.join(', ')}`)
    .join('; ');
  const why = run.sweep_name ? 'sweep runs cannot change state' : `allowed: ${allowed}`;
  throw new UserInputError(`invalid state transition for run ${run.name}: ${run.state} -> ${state} (${why})`);
}

export class RunLifecycle {
  constructor(private readonly db: Db) {}

  /** Deletes the run; its history, events, files and log lines go with it (ON DELETE CASCADE). */
  delete(runId: number): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
  }

  setState(runId: number, state: string): void {
    this.db.prepare('UPDATE runs SET state = ?, updated_at = ? WHERE id = ?').run(state, wandbTime(), runId);
  }

  /** Asks the run's process to stop: W&B clients poll the flag and exit (state `killed`). */
  requestStop(runId: number): void {
    this.db.prepare('UPDATE runs SET should_stop = 1, updated_at = ? WHERE id = ?').run(wandbTime(), runId);
  }
}
