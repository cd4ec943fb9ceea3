/**
 * A launch sweep's scheduler (`wandb launch-sweep` sends it as upsertSweep's launchScheduler and W&B
 * answers it as Sweep.scheduler): `{queue, run_queue_project, run_spec}`, the launch queue that gets
 * the scheduler and the sweep's enqueued runs.
 */
import { UserInputError } from '../errors';
import { LAUNCH_PROJECT, launchStore, type RunQueueRow } from './launch';
import { parseLenient } from './json';
import type { Store } from './store';

export interface LaunchScheduler {
  /** The queue's name. */
  queue: string;
  /** The project holding the queue (W&B's `model-registry` unless given). */
  queueProject: string;
  /** The scheduler's own launch spec (JSON text), when given. */
  runSpec: string | undefined;
}

/** The launch scheduler in a sweep's scheduler JSON; undefined when it names no queue (not a launch sweep). */
export function launchSchedulerOf(text: string | null | undefined): LaunchScheduler | undefined {
  if (!text) return undefined;
  const spec = parseLenient(text) as { queue?: unknown; run_queue_project?: unknown; run_spec?: unknown } | null;
  if (typeof spec?.queue !== 'string' || !spec.queue) return undefined;
  return {
    queue: spec.queue,
    queueProject: typeof spec.run_queue_project === 'string' && spec.run_queue_project ? spec.run_queue_project : LAUNCH_PROJECT,
    runSpec: typeof spec.run_spec === 'string' ? spec.run_spec : undefined,
  };
}

/** The scheduler's queue in the sweep's entity; a UserInputError when it does not exist. */
export function launchQueue(store: Store, entityId: number, scheduler: LaunchScheduler): RunQueueRow {
  const project = store.projects.byName(entityId, scheduler.queueProject);
  const queue = project && launchStore(store).queueByName(project.id, scheduler.queue);
  if (!queue) throw new UserInputError(`launch queue ${scheduler.queueProject}/${scheduler.queue} does not exist`);
  return queue;
}
