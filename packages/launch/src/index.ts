/**
 * `@wandb-api/launch`: W&B Launch run queues, queued runs (queue items), agent steps and jobs, as
 * tree-shakable functions of a client.
 * @module @wandb-api/launch
 */
export { LaunchError } from './errors.js';
export {
  type CreateRunQueueOptions,
  type PrioritizationMode,
  type QueueOptions,
  type RunQueue,
  type RunQueueType,
  type TemplateVariable,
  type TemplateVariableSchema,
  type UpsertRunQueueOptions,
  LAUNCH_PROJECT,
  RUN_QUEUE_TYPES,
  checkQueueName,
  checkQueueType,
  checkTemplateVariables,
  createRunQueue,
  deleteRunQueue,
  getRunQueue,
  upsertRunQueue,
} from './queues.js';
export {
  type PushToRunQueueOptions,
  type QueuedRun,
  type QueuedRunLocator,
  type QueuedRunState,
  type RunQueueLocator,
  type WaitOptions,
  deleteQueuedRun,
  getQueuedRun,
  pushToRunQueue,
  queuedRunState,
  runQueueItems,
  waitUntilFinished,
  waitUntilRunning,
} from './queuedRuns.js';
export { type LeasedItem, ackRunQueueItem, failRunQueueItem, popRunQueueItem } from './agent.js';
export { type CallJobOptions, type Job, type JobSummary, type JobVersion, callJob, getJob, listJobs } from './jobs.js';
