// Python-shaped run queues and queued runs: the decoded fields of @wandb-api/launch models plus
// methods that only delegate to its functions.
import { type CallOptions, LAUNCH_PROJECT, type Paginated, type WandbClient, deferPaginated } from '@wandb-api/core';
import type { QueuedRunLocator, QueuedRunState, QueuedRun as QueuedRunData, RunQueue as RunQueueData, WaitOptions } from '@wandb-api/launch';
import { launch } from './launchModule.js';
import { getRun } from '@wandb-api/runs';
import { Run } from './run.js';

/**
 * A queued run (a run queue item), as `api.queuedRun(...)`, `runQueue.items()` and `job.call(...)`
 * give it. Building one sends nothing; `state()`, `item()`, the waits and `delete()` are requests.
 * @example const queued = api.queuedRun('acme', 'mnist', 'default', itemId); console.log(await queued.state());
 */
export class QueuedRun {
  readonly #client: WandbClient;
  /** The run queue item id. */
  readonly id: string;
  /** The entity of the queue and, unless its spec says otherwise, of the run. */
  readonly entity: string;
  /** The project of the run (null when neither the caller nor the item's spec says). */
  readonly project: string | null;
  /** The queue's name. */
  readonly queueName: string;
  /** The project holding the queue: `model-registry` unless given. */
  readonly projectQueue: string;
  /** The priority it was pushed with (0 critical … 3 low), when known to the caller; else null. */
  readonly priority: number | null;

  constructor(
    client: WandbClient,
    where: { id: string; entity: string; project: string | null; queueName: string; projectQueue?: string | null; priority?: number | null },
  ) {
    this.#client = client;
    this.id = where.id;
    this.entity = where.entity;
    this.project = where.project;
    this.queueName = where.queueName;
    this.projectQueue = where.projectQueue ?? LAUNCH_PROJECT;
    this.priority = where.priority ?? null;
  }

  /** Builds one from a decoded item. */
  static from(client: WandbClient, data: QueuedRunData, priority?: number | null): QueuedRun {
    return new QueuedRun(client, { ...data, priority: priority ?? null });
  }

  get #locator(): QueuedRunLocator {
    return { entity: this.entity, queueName: this.queueName, id: this.id, projectQueue: this.projectQueue, ...(this.project ? { project: this.project } : {}) };
  }

  /** `pending`, `leased`, `claimed` or `failed` (Python's `state` property; one request). */
  async state(options?: CallOptions): Promise<QueuedRunState> {
    return (await launch()).queuedRunState(this.#client, this.#locator, options);
  }

  /** The item as the server has it: state, run id, launch spec. */
  async item(options?: CallOptions): Promise<QueuedRunData> {
    return (await launch()).getQueuedRun(this.#client, this.#locator, options);
  }

  /** The run an agent started for this item, or null while none has (no waiting). */
  async run(options?: CallOptions): Promise<Run | null> {
    const item = await (await launch()).getQueuedRun(this.#client, this.#locator, options);
    const project = item.project ?? this.project;
    if (!item.runId || !project) return null;
    return new Run(this.#client, await getRun(this.#client, `${item.entity}/${project}/${item.runId}`, options));
  }

  /** Waits until an agent started the run and returns it; `timeoutMs` and `signal` bound the wait; a failed item is a LaunchError. */
  async waitUntilRunning(options?: WaitOptions): Promise<Run> {
    return new Run(this.#client, await (await launch()).waitUntilRunning(this.#client, this.#locator, options));
  }

  /** Waits until the run has ended and returns it, reloaded. */
  async waitUntilFinished(options?: WaitOptions): Promise<Run> {
    return new Run(this.#client, await (await launch()).waitUntilFinished(this.#client, this.#locator, options));
  }

  /** Removes the item from its queue. */
  async delete(options?: CallOptions): Promise<void> {
    return (await launch()).deleteQueuedRun(this.#client, this.#locator, options);
  }

  /** `<QueuedRun queue (id)>`, as Python's repr. */
  toString(): string {
    return `<QueuedRun ${this.queueName} (${this.id})>`;
  }
}

/**
 * A run queue, as `api.runQueue(...)`, `api.createRunQueue(...)` and `api.upsertRunQueue(...)` give it.
 * @example const queue = await api.runQueue('acme', 'default'); for await (const item of queue.items()) console.log(item.id);
 */
export class RunQueue {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: RunQueueData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /**
   * Every item of the queue, `perPage` (100) per request — Python stops at the first 100.
   * @example for await (const item of queue.items()) console.log(item.id, await item.state());
   */
  items(options?: { perPage?: number; signal?: AbortSignal }): Paginated<QueuedRun> {
    // Synchronous like every list: launch's code loads when the list is first used.
    return deferPaginated(launch, ({ runQueueItems }) => runQueueItems(this.#client, this, options).map((data) => QueuedRun.from(this.#client, data)));
  }

  /** The queue as the server has it now. */
  async reload(options?: CallOptions): Promise<RunQueue> {
    return new RunQueue(this.#client, await (await launch()).getRunQueue(this.#client, this.entity, this.name, { ...options, project: this.project }));
  }

  /** Deletes the queue and its items. */
  async delete(options?: CallOptions): Promise<void> {
    return (await launch()).deleteRunQueue(this.#client, this, options);
  }
}
// The data fields, declared once through the interface they come from.
export interface RunQueue extends RunQueueData {}
