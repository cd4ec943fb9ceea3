/**
 * Synchronous Launch fixtures for tests and seeds: queues with configs, pushed items and item state
 * moves (what an agent's pop/ack/fail does), without going through GraphQL.
 */
import { UserInputError } from '../errors';
import { LAUNCH_PROJECT, type RunQueueItemState, decodeLaunchGid, launchStore, runQueueGid, runQueueItemGid } from './launch';
import type { ProjectRow, Store } from './store';

/** A queue to create with {@link createRunQueue}. */
export interface CreateRunQueueFixture {
  /** The owning entity; must exist. */
  entity: string;
  /** Default `model-registry`, where W&B keeps queues. Created when missing. */
  project?: string;
  /** The queue's name. */
  name: string;
  /** One of RUN_QUEUE_TYPES. */
  type: string;
  /** The type's resource args; stored wrapped as {"resource_args": {<type>: config}}, as clients send it. */
  config?: Record<string, unknown>;
  /** {<name>: {description?, schema: {type, enum?, minimum?, maximum?}}}. */
  templateVariables?: Record<string, unknown>;
  /** `V0` turns on item priorities; default none (items in push order). */
  prioritizationMode?: 'V0' | 'DISABLED';
  /** {label: url}; stored as {"links": [{label, url}]}. */
  externalLinks?: Record<string, string>;
}

/** An item to push with {@link pushRunQueueItem}. */
export interface PushRunQueueItemFixture {
  /** The entity owning the queue. */
  entity: string;
  /** The project holding the queue; default `model-registry`. */
  project?: string;
  /** The queue's name; the queue must exist. */
  queue: string;
  /** The launch spec, stored as JSON: `{job, entity, project, resource, overrides: {run_config}, …}`. */
  runSpec: Record<string, unknown>;
  /** 0 (critical) … 3 (low); used by queues with prioritization mode V0. */
  priority?: number;
  /** Values of the queue's template variables, checked against the queue's definitions and stored as JSON. */
  templateVariableValues?: Record<string, unknown>;
}

function launchProject(store: Store, entityName: string, projectName: string): ProjectRow {
  const entity = store.entities.byName(entityName);
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(entityName)} does not exist`);
  const existing = store.projects.byName(entity.id, projectName);
  if (existing) return existing;
  store.createProject({ entity: entityName, name: projectName });
  return store.projects.byName(entity.id, projectName) as ProjectRow;
}

/**
 * A run queue with its default resource config (one transaction); returns its ids.
 * @example const { id } = createRunQueue(store, { entity: 'demo', name: 'default', type: 'local-container' });
 */
export function createRunQueue(
  store: Store,
  input: CreateRunQueueFixture,
): {
  /** The queue's GraphQL id, as clients see it. */
  id: string;
  /** The queue's row id in the store. */
  internalId: number;
} {
  const launch = launchStore(store);
  return store.db.transaction(() => {
    const project = launchProject(store, input.entity, input.project ?? LAUNCH_PROJECT);
    const config = launch.createResourceConfig({
      entityId: project.entity_id,
      resource: input.type,
      config: JSON.stringify({ resource_args: { [input.type]: input.config ?? {} } }),
      templateVariables: JSON.stringify(input.templateVariables ?? {}),
    });
    const queue = launch.createQueue({
      projectId: project.id,
      name: input.name,
      prioritizationMode: input.prioritizationMode ?? null,
      resourceConfigId: config.id,
      externalLinks: input.externalLinks ? JSON.stringify({ links: Object.entries(input.externalLinks).map(([label, url]) => ({ label, url })) }) : null,
    });
    return { id: runQueueGid(queue.id), internalId: queue.id };
  });
}

/**
 * Pushes one item (state PENDING); returns its ids.
 * @example const item = pushRunQueueItem(store, { entity: 'demo', queue: 'default', runSpec: { job: 'demo/mnist-classifier/job-train:v0' } });
 */
export function pushRunQueueItem(
  store: Store,
  input: PushRunQueueItemFixture,
): {
  /** The item's GraphQL id, as clients see it. */
  id: string;
  /** The item's row id in the store. */
  internalId: number;
} {
  const launch = launchStore(store);
  const project = launchProject(store, input.entity, input.project ?? LAUNCH_PROJECT);
  const queue = launch.queueByName(project.id, input.queue);
  if (!queue) throw new UserInputError(`run queue ${input.queue} does not exist`);
  const item = launch.pushItem(queue, {
    runSpec: JSON.stringify(input.runSpec),
    templateVariableValues: input.templateVariableValues ? JSON.stringify(input.templateVariableValues) : null,
    priority: input.priority ?? null,
  });
  return { id: runQueueItemGid(item.id), internalId: item.id };
}

/**
 * Moves an item (by GraphQL id or internal id) to a state; `runName` is the run it started (CLAIMED).
 * @example setRunQueueItemState(store, item.id, 'CLAIMED', { runName: 'abc123' });
 */
export function setRunQueueItemState(store: Store, item: string | number, state: RunQueueItemState, options: { runName?: string; agentId?: string } = {}): void {
  const id = typeof item === 'number' ? item : decodeLaunchGid('RunQueueItem', item);
  if (id === undefined || !launchStore(store).item(id)) throw new UserInputError(`no run queue item ${String(item)}`);
  launchStore(store).setState(id, state, { runName: options.runName ?? null, launchAgentId: options.agentId ?? null });
}
