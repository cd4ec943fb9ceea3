// Waiting for a run to end: polls its state (one small query per poll) until a terminal state.
import { AbortError, NotFoundError, TimeoutError, ValidationError, type WandbClient, anySignal, sleep } from '@wandb-api/core';
import { RunStateDocument } from './generated/graphql.js';
import { type RunLocator, locateRun } from './locate.js';
import type { RunState } from './run.js';

/**
 * The states a run does not leave. Python's `wait_until_finished` stops only on the first three
 * and so never returns for killed or preempted runs; we stop on all five.
 */
export const TERMINAL_RUN_STATES: readonly string[] = ['finished', 'crashed', 'failed', 'killed', 'preempted'];

/** Options of `waitUntilFinished`. */
export interface WaitUntilFinishedOptions {
  /** Stops waiting (AbortError). */
  signal?: AbortSignal;
  /** Between polls, in ms. Default 5000, as Python. */
  pollMs?: number;
  /** Gives up after this many ms in all (TimeoutError). Default: no limit. */
  timeoutMs?: number;
}

function checkMs(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min)) {
    throw new ValidationError(`${name} must be a number ≥ ${min}, got ${String(value)}.`);
  }
}

/**
 * Polls the run's state every `pollMs` until it is terminal (finished, crashed, failed, killed,
 * preempted) and returns that state. Honours `signal` (AbortError) and `timeoutMs` (TimeoutError).
 * @example const state = await waitUntilFinished(client, 'acme/mnist/abc123', { timeoutMs: 600_000 });
 */
export async function waitUntilFinished(client: WandbClient, run: RunLocator, options: WaitUntilFinishedOptions = {}): Promise<RunState> {
  const { pollMs = 5000, timeoutMs, signal } = options;
  if (typeof run !== 'string' && (!run || typeof run.entity !== 'string' || typeof run.project !== 'string' || typeof run.id !== 'string')) {
    throw new ValidationError('run must be a path such as "entity/project/run-id" or a run object.');
  }
  checkMs('pollMs', pollMs, 0);
  checkMs('timeoutMs', timeoutMs, 0);
  // One signal for the caller's abort and the deadline, so a slow request cannot outlive the timeout.
  const deadline = timeoutMs === undefined ? undefined : new AbortController();
  const timer = deadline && setTimeout(() => deadline.abort(), timeoutMs);
  const joined = anySignal([signal, deadline?.signal]);
  try {
    const { entity, project, runId } = await locateRun(client, run, { signal: joined.signal });
    for (;;) {
      const data = await client.request(RunStateDocument, { entity, project, name: runId }, { signal: joined.signal });
      const state = data.project?.run?.state;
      if (!data.project?.run) throw new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
      if (state && TERMINAL_RUN_STATES.includes(state)) return state;
      await sleep(pollMs, joined.signal);
    }
  } catch (error) {
    if (deadline?.signal.aborted && !signal?.aborted && error instanceof AbortError) {
      throw new TimeoutError(`The run did not finish within ${timeoutMs} ms.`, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    joined.dispose();
  }
}
