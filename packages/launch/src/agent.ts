// What a launch agent does with a queue: lease the next item, claim it with the run it started, or
// mark it failed. Useful for custom agents and for driving a queue in tests.
import { type CallOptions, ValidationError, type WandbClient, checkSupport, parseJson } from '@wandb-api/core';
import { LaunchError } from './errors.js';
import { AckRunQueueItemDocument, FailRunQueueItemDocument, PopFromRunQueueDocument } from './generated/graphql.js';
import { LAUNCH_PROJECT, checkQueueName } from './queues.js';
import type { RunQueueLocator } from './queuedRuns.js';

/** An item an agent leased: its id and launch spec. */
export interface LeasedItem {
  /** The run queue item id, to ack or fail it with. */
  readonly id: string;
  /** The launch spec as pushed: `{job, entity, project, resource, overrides: {run_config}, …}`. */
  readonly runSpec: Readonly<Record<string, unknown>>;
}

const nonEmpty = (name: string, v: unknown): void => {
  if (typeof v !== 'string' || v === '') throw new ValidationError(`${name} must be a non-empty string.`);
};

/**
 * Leases the next pending item of a queue (state `leased`); null when none is pending.
 * @example const item = await popRunQueueItem(client, { entity: 'acme', name: 'default' });
 */
export async function popRunQueueItem(client: WandbClient, queue: RunQueueLocator, options: CallOptions & { agentId?: string } = {}): Promise<LeasedItem | null> {
  nonEmpty('queue.entity', queue?.entity);
  checkQueueName(queue.name);
  const { agentId, ...call } = options;
  const data = await client.request(
    PopFromRunQueueDocument,
    { input: { entityName: queue.entity, projectName: queue.project ?? LAUNCH_PROJECT, queueName: queue.name, ...(agentId ? { launchAgentId: agentId } : {}) } },
    call,
  );
  const popped = data.popFromRunQueue;
  if (!popped?.runQueueItemId) return null;
  const spec = typeof popped.runSpec === 'string' ? parseJson(popped.runSpec) : popped.runSpec;
  return { id: popped.runQueueItemId, runSpec: (spec ?? {}) as Record<string, unknown> };
}

/**
 * Claims a leased item for the run the agent started (state `claimed`, `runId` = `runName`).
 * @example await ackRunQueueItem(client, item.id, run.id);
 */
export async function ackRunQueueItem(client: WandbClient, itemId: string, runName: string, options: CallOptions = {}): Promise<void> {
  nonEmpty('itemId', itemId);
  nonEmpty('runName', runName);
  const data = await client.request(AckRunQueueItemDocument, { itemId, runName }, options);
  if (!data.ackRunQueueItem?.success) throw new LaunchError(`Failed to claim run queue item ${itemId}`);
}

/**
 * Marks an item failed, with the stage and message an agent reports.
 * @example await failRunQueueItem(client, item.id, { stage: 'build', message: 'docker build failed' });
 */
export async function failRunQueueItem(
  client: WandbClient,
  itemId: string,
  failure: { stage: string; message: string; info?: Readonly<Record<string, unknown>>; filePaths?: readonly string[] },
  options: CallOptions = {},
): Promise<void> {
  nonEmpty('itemId', itemId);
  nonEmpty('stage', failure?.stage);
  nonEmpty('message', failure.message);
  const input = {
    runQueueItemId: itemId,
    stage: failure.stage,
    message: failure.message,
    ...(failure.info ? { info: JSON.stringify(failure.info) } : {}),
    ...(failure.filePaths ? { filePaths: [...failure.filePaths] } : {}),
  };
  // Servers of 2023 take no stage, message or paths: refused rather than sent without them.
  await checkSupport(
    client,
    'failRunQueueItem',
    ['FailRunQueueItemInput.stage', 'FailRunQueueItemInput.message', ...(failure.filePaths ? ['FailRunQueueItemInput.filePaths'] : [])],
    options,
  );
  const data = await client.request(FailRunQueueItemDocument, { input }, options);
  if (!data.failRunQueueItem?.success) throw new LaunchError(`Failed to mark run queue item ${itemId} as failed`);
}
