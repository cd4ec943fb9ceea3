// Queued runs (run queue items): push, list (paged), look up, delete, and wait until the run an
// agent started for the item is running or finished.
import {
  AbortError,
  type CallOptions,
  NotFoundError,
  Paginated,
  TimeoutError,
  ValidationError,
  type WandbClient,
  anySignal,
  parseJson,
  sleep,
  stringifyJson,
  checkPerPage,
  checkSupport,
  endCursorOf,
} from '@wandb-api/core';
import { type Run, getRun, waitUntilFinished as waitForRun } from '@wandb-api/runs';
import { LaunchError } from './errors.js';
import {
  DeleteFromRunQueueDocument,
  GetRunQueueItemDocument,
  PushToRunQueueByNameDocument,
  type RunQueueItemFieldsFragment,
  RunQueueItemsDocument,
} from './generated/graphql.js';
import { LAUNCH_PROJECT, checkQueueName } from './queues.js';

/** A queue item's state, lower-cased as Python shows it. */
export type QueuedRunState = 'pending' | 'leased' | 'claimed' | 'failed';

/** Names a queue: its entity and name; `project` defaults to `model-registry`. */
export interface RunQueueLocator {
  /** The entity that owns the queue. */
  readonly entity: string;
  /** The queue's name. */
  readonly name: string;
  /** The project holding the queue; default `model-registry`. */
  readonly project?: string;
}

/** Names a queued run: the queue (entity, `queueName`, `projectQueue`) and the item id. */
export interface QueuedRunLocator {
  /** The entity that owns the queue. */
  readonly entity: string;
  /** The queue's name. */
  readonly queueName: string;
  /** The run queue item id. */
  readonly id: string;
  /** The project holding the queue; default `model-registry` (Python's `api.queued_run` leaves it None and breaks). */
  readonly projectQueue?: string;
  /** The project the run goes to, when the item's run spec does not say (null: not known). */
  readonly project?: string | null | undefined;
}

/** A queued run, decoded. */
export interface QueuedRun {
  /** The run queue item id. */
  readonly id: string;
  /** The run's entity (from the run spec), else the queue's. */
  readonly entity: string;
  /** The queue's name. */
  readonly queueName: string;
  /** The project holding the queue (normally `model-registry`). */
  readonly projectQueue: string;
  /** The run's project (from the run spec), null when the spec names none. */
  readonly project: string | null;
  /** Where the item is in its life: waiting, leased by an agent, running, or failed. */
  readonly state: QueuedRunState;
  /** The run the agent started for this item (set once claimed). */
  readonly runId: string | null;
  /** The launch spec as pushed: `{job, entity, project, resource, overrides: {run_config}, …}`. */
  readonly runSpec: Readonly<Record<string, unknown>>;
  /** When the item was pushed; null on the value `pushToRunQueue` returns (the push answer has no date). */
  readonly createdAt: string | null;
  /** When the item last changed state; null if never. */
  readonly updatedAt: string | null;
}

/** Options of {@link pushToRunQueue}. */
export interface PushToRunQueueOptions extends CallOptions {
  /** 0 (critical) … 3 (low); only used by queues with prioritization mode V0. */
  priority?: 0 | 1 | 2 | 3;
  /** Values of the queue's template variables. */
  templateVariableValues?: Readonly<Record<string, string | number>>;
}

/** How long and how often {@link waitUntilRunning} and {@link waitUntilFinished} poll. */
export interface WaitOptions {
  /** Stops waiting (AbortError). */
  signal?: AbortSignal;
  /** Between polls, in ms. Default 5000 (Python sleeps 2 s + 3 s per poll). */
  pollMs?: number;
  /** Gives up after this many ms in all (TimeoutError). Default: no limit, as Python. */
  timeoutMs?: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkQueue(queue: RunQueueLocator): void {
  if (!queue || typeof queue.entity !== 'string' || queue.entity === '') throw new ValidationError('queue.entity must be a non-empty string.');
  checkQueueName(queue.name);
}

function checkLocator(item: QueuedRunLocator): void {
  if (!item || typeof item.entity !== 'string' || item.entity === '') throw new ValidationError('entity must be a non-empty string.');
  checkQueueName(item.queueName);
  if (typeof item.id !== 'string' || item.id === '') throw new ValidationError('the run queue item id must be a non-empty string.');
}

function toQueuedRun(node: Omit<RunQueueItemFieldsFragment, 'createdAt'> & { createdAt: string | null }, where: { entity: string; queueName: string; projectQueue: string; project?: string | undefined }): QueuedRun {
  const spec = typeof node.runSpec === 'string' ? parseJson(node.runSpec) : node.runSpec;
  const runSpec = isPlainObject(spec) ? spec : {};
  return {
    id: node.id,
    entity: typeof runSpec.entity === 'string' ? runSpec.entity : where.entity,
    queueName: where.queueName,
    projectQueue: where.projectQueue,
    project: typeof runSpec.project === 'string' ? runSpec.project : (where.project ?? null),
    state: node.state.toLowerCase() as QueuedRunState,
    runId: node.associatedRunId,
    runSpec,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}

/**
 * Every item of a queue, oldest first, `perPage` (100) per request — all of them, where Python's
 * `RunQueue.items` stops silently at 100. Each item's run project comes from its run spec (Python
 * says `model-registry`, where the run never is).
 * @example for await (const item of runQueueItems(client, { entity: 'acme', name: 'default' })) console.log(item.id, item.state);
 */
export function runQueueItems(client: WandbClient, queue: RunQueueLocator, options: { perPage?: number; signal?: AbortSignal } = {}): Paginated<QueuedRun> {
  checkQueue(queue);
  const { signal } = options;
  const perPage = checkPerPage(options.perPage, 100);
  const projectQueue = queue.project ?? LAUNCH_PROJECT;
  return new Paginated<QueuedRun>({
    signal,
    idOf: (item) => item.id,
    fetchPage: async (cursor, pageSignal) => {
      const data = await client.request(RunQueueItemsDocument, { entity: queue.entity, project: projectQueue, name: queue.name, cursor, perPage }, { signal: pageSignal });
      const connection = data.project?.runQueue?.runQueueItems;
      if (!connection) throw new NotFoundError(`Could not find run queue ${queue.name} in ${queue.entity}/${projectQueue}.`, { status: 404 });
      return {
        items: connection.edges.map((e) => toQueuedRun(e.node, { entity: queue.entity, queueName: queue.name, projectQueue })),
        cursor: endCursorOf(connection),
        hasNextPage: connection.pageInfo.hasNextPage,
      };
    },
  });
}

/** The item and its queue's id; NotFoundError names what is missing (Python fails obscurely on a missing queue). */
async function loadItem(client: WandbClient, item: QueuedRunLocator, options: CallOptions): Promise<{ queueId: string; item: QueuedRun }> {
  checkLocator(item);
  const projectQueue = item.projectQueue ?? LAUNCH_PROJECT;
  const data = await client.request(GetRunQueueItemDocument, { entity: item.entity, project: projectQueue, name: item.queueName, itemId: item.id }, options);
  const queue = data.project?.runQueue;
  if (!queue) throw new NotFoundError(`Could not find run queue ${item.queueName} in ${item.entity}/${projectQueue}.`, { status: 404 });
  if (!queue.runQueueItem) throw new NotFoundError(`Could not find QueuedRunItem associated with id: ${item.id}`, { status: 404 });
  return { queueId: queue.id, item: toQueuedRun(queue.runQueueItem, { entity: item.entity, queueName: item.queueName, projectQueue, project: item.project ?? undefined }) };
}

/**
 * One queued run by queue and item id; NotFoundError when the queue or the item is missing.
 * @example const item = await getQueuedRun(client, { entity: 'acme', queueName: 'default', id: itemId });
 */
export async function getQueuedRun(client: WandbClient, item: QueuedRunLocator, options: CallOptions = {}): Promise<QueuedRun> {
  return (await loadItem(client, item, options)).item;
}

/**
 * The item's current state: `pending`, `leased`, `claimed` (a run started) or `failed`.
 * @example if ((await queuedRunState(client, item)) === 'failed') …
 */
export async function queuedRunState(client: WandbClient, item: QueuedRunLocator, options: CallOptions = {}): Promise<QueuedRunState> {
  return (await loadItem(client, item, options)).item.state;
}

/**
 * Pushes a launch spec onto a queue (by name); returns the new item (state `pending`).
 * @example const item = await pushToRunQueue(client, { entity: 'acme', name: 'default' }, { job: 'acme/p/job-train:v1', overrides: { run_config: { lr: 0.1 } } });
 */
export async function pushToRunQueue(
  client: WandbClient,
  queue: RunQueueLocator,
  runSpec: Readonly<Record<string, unknown>>,
  options: PushToRunQueueOptions = {},
): Promise<QueuedRun> {
  checkQueue(queue);
  if (!isPlainObject(runSpec)) throw new ValidationError('runSpec must be an object (a launch spec).');
  const { priority, templateVariableValues, ...call } = options;
  if (priority !== undefined && (!Number.isInteger(priority) || priority < 0 || priority > 3)) throw new ValidationError('priority must be 0 (critical), 1, 2 or 3 (low).');
  if (templateVariableValues !== undefined && (!isPlainObject(templateVariableValues) || Object.values(templateVariableValues).some((v) => typeof v !== 'string' && typeof v !== 'number'))) {
    throw new ValidationError('templateVariableValues must be an object of strings and numbers.');
  }
  let specText: string;
  try {
    specText = stringifyJson(runSpec);
  } catch (error) {
    throw new ValidationError(`runSpec cannot be serialised: ${(error as Error).message}`);
  }
  const projectQueue = queue.project ?? LAUNCH_PROJECT;
  await checkSupport(
    client,
    'pushToRunQueue',
    [...(priority === undefined ? [] : ['PushToRunQueueByNameInput.priority']), ...(templateVariableValues === undefined ? [] : ['PushToRunQueueByNameInput.templateVariableValues'])],
    call,
  );
  const data = await client.request(
    PushToRunQueueByNameDocument,
    {
      input: {
        entityName: queue.entity,
        projectName: projectQueue,
        queueName: queue.name,
        runSpec: specText,
        ...(priority === undefined ? {} : { priority }),
        ...(templateVariableValues === undefined ? {} : { templateVariableValues: JSON.stringify(templateVariableValues) }),
      },
    },
    call,
  );
  const pushed = data.pushToRunQueueByName;
  if (!pushed?.runQueueItemId) throw new LaunchError('Error adding run to queue');
  return toQueuedRun(
    { id: pushed.runQueueItemId, state: 'PENDING', associatedRunId: null, runSpec: pushed.runSpec, createdAt: null, updatedAt: null },
    { entity: queue.entity, queueName: queue.name, projectQueue },
  );
}

/**
 * Removes an item from its queue.
 * @example await deleteQueuedRun(client, item);
 */
export async function deleteQueuedRun(client: WandbClient, item: QueuedRunLocator, options: CallOptions = {}): Promise<void> {
  const { queueId } = await loadItem(client, item, options);
  const data = await client.request(DeleteFromRunQueueDocument, { queueID: queueId, itemId: item.id }, options);
  if (!data.deleteFromRunQueue?.success) throw new LaunchError(`Failed to delete run queue item ${item.id}`);
}

function checkMs(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < min)) throw new ValidationError(`${name} must be a number ≥ ${min}, got ${String(value)}.`);
}

/** Runs `body` under one signal for the caller's abort and the deadline; a deadline abort becomes TimeoutError. */
async function withDeadline<T>(options: WaitOptions, what: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  checkMs('pollMs', options.pollMs, 0);
  checkMs('timeoutMs', options.timeoutMs, 0);
  const deadline = options.timeoutMs === undefined ? undefined : new AbortController();
  const timer = deadline && setTimeout(() => deadline.abort(), options.timeoutMs);
  const joined = anySignal([options.signal, deadline?.signal]);
  try {
    return await body(joined.signal);
  } catch (error) {
    if (deadline?.signal.aborted && !options.signal?.aborted && (error instanceof AbortError || error instanceof TimeoutError)) {
      throw new TimeoutError(`The queued run ${what} within ${options.timeoutMs} ms.`, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    joined.dispose();
  }
}

async function pollUntilRunning(client: WandbClient, locator: QueuedRunLocator, pollMs: number, signal: AbortSignal): Promise<Run> {
  for (;;) {
    const { item } = await loadItem(client, locator, { signal });
    if (item.state === 'failed') throw new LaunchError(`The queued run ${item.id} failed before its run started.`);
    if (item.runId) {
      const project = item.project ?? locator.project ?? undefined;
      if (!project) throw new LaunchError(`The queued run ${item.id} names no project for its run ${item.runId}.`);
      try {
        return await getRun(client, `${item.entity}/${project}/${item.runId}`, { signal });
      } catch (error) {
        // The agent claims the item before the run reaches the server: keep polling, as Python.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    await sleep(pollMs, signal);
  }
}

/**
 * Polls the item until an agent has started its run, and returns that run. A failed item is a
 * LaunchError (Python keeps polling for ever); `timeoutMs` → TimeoutError, `signal` → AbortError.
 * @example const run = await waitUntilRunning(client, item, { timeoutMs: 600_000 });
 */
export function waitUntilRunning(client: WandbClient, item: QueuedRunLocator, options: WaitOptions = {}): Promise<Run> {
  checkLocator(item);
  return withDeadline(options, 'did not start', (signal) => pollUntilRunning(client, item, options.pollMs ?? 5000, signal));
}

/**
 * Waits until the item's run is running, then until it ends (finished, crashed, failed, killed,
 * preempted), and returns the run as it ended. One `timeoutMs` and `signal` bound the whole wait.
 * @example const run = await waitUntilFinished(client, item, { signal: AbortSignal.timeout(3_600_000) });
 */
export function waitUntilFinished(client: WandbClient, item: QueuedRunLocator, options: WaitOptions = {}): Promise<Run> {
  checkLocator(item);
  const pollMs = options.pollMs ?? 5000;
  return withDeadline(options, 'did not finish', async (signal) => {
    const run = await pollUntilRunning(client, item, pollMs, signal);
    await waitForRun(client, { entity: run.entity, project: run.project, id: run.id }, { pollMs, signal });
    return getRun(client, `${run.entity}/${run.project}/${run.id}`, { signal });
  });
}
