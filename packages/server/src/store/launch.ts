/**
 * Launch: default resource configs, run queues and queue items. SQL plus the rules of one noun
 * (item state moves, template variable checks); permissions live in the GraphQL mutations.
 * Reach it through `launchStore(store)` (one instance per Store, created on first use).
 */
import { UserInputError } from '../errors';
import { type Page, decodeCursor, encodeCursor, pageSize } from './cursor';
import type { Db } from './db';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

/** The queue types W&B Launch knows (Python's create_run_queue accepts these). */
export const RUN_QUEUE_TYPES: readonly string[] = ['local-container', 'local-process', 'kubernetes', 'sagemaker', 'gcp-vertex'];
/** Where W&B keeps queues: a project of the entity. */
export const LAUNCH_PROJECT = 'model-registry';

/** An item's life: pushed, leased by an agent (pop), claimed for a started run (ack), or failed. */
export type RunQueueItemState = 'PENDING' | 'LEASED' | 'CLAIMED' | 'FAILED';

/** A row of `default_resource_configs`: a queue type's config and template variables, as JSON text. */
export interface ResourceConfigRow {
  id: number;
  entity_id: number;
  project_id: number | null;
  resource: string;
  config: string;
  template_variables: string;
  created_at: string;
  updated_at: string;
}

/** A row of `run_queues`. */
export interface RunQueueRow {
  id: number;
  project_id: number;
  name: string;
  access: string;
  prioritization_mode: string | null;
  resource_config_id: number | null;
  external_links: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A row of `run_queue_items`: one pushed launch spec and its state. */
export interface RunQueueItemRow {
  id: number;
  queue_id: number;
  state: RunQueueItemState;
  run_spec: string;
  template_variable_values: string | null;
  priority: number;
  associated_run_id: string | null;
  launch_agent_id: string | null;
  failure: string | null;
  created_at: string;
  updated_at: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
/**
 * The GraphQL id of a queue row (base64 of `RunQueue:<id>`, opaque to clients as on W&B).
 * @example runQueueGid(1) // 'UnVuUXVldWU6MQ=='
 */
export const runQueueGid = (id: number): string => b64(`RunQueue:${id}`);
/**
 * The GraphQL id of a queue item row.
 * @example runQueueItemGid(item.id)
 */
export const runQueueItemGid = (id: number): string => b64(`RunQueueItem:${id}`);
/**
 * The GraphQL id of a default resource config row.
 * @example resourceConfigGid(config.id)
 */
export const resourceConfigGid = (id: number): string => b64(`DefaultResourceConfig:${id}`);

/**
 * Decodes one of our launch ids; a bare number is accepted too (W&B's ids are opaque to clients).
 * @example decodeLaunchGid('RunQueue', runQueueGid(7)) // 7
 */
export function decodeLaunchGid(type: 'RunQueue' | 'RunQueueItem' | 'DefaultResourceConfig', gid: string): number | undefined {
  if (/^\d+$/.test(gid)) return Number(gid);
  const match = new RegExp(`^${type}:(\\d+)$`).exec(Buffer.from(gid, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** A template variable as stored: `{description?, schema: {type, enum?, minimum?, maximum?, default?}}`. */
interface TemplateVariableDef {
  description?: string;
  schema?: { type?: string; enum?: unknown[]; minimum?: number; maximum?: number };
}

function parseObject(text: string | null | undefined, what: string): Record<string, unknown> {
  if (text === null || text === undefined || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserInputError(`${what} is not valid JSON`);
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserInputError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Checks template variable definitions; returns them re-serialised.
 * @example const text = checkTemplateVariables('{"gpus": {"schema": {"type": "integer"}}}');
 */
export function checkTemplateVariables(text: string | null | undefined): string {
  const defs = parseObject(text, 'templateVariables');
  for (const [name, def] of Object.entries(defs)) {
    const d = def as TemplateVariableDef | null;
    if (!d || typeof d !== 'object' || !d.schema || typeof d.schema !== 'object') {
      throw new UserInputError(`template variable ${name} needs a schema object`);
    }
    if (!['string', 'number', 'integer'].includes(String(d.schema.type))) {
      throw new UserInputError(`template variable ${name}: schema type must be string, number or integer`);
    }
  }
  return JSON.stringify(defs);
}

/**
 * Checks pushed template variable values against the queue's definitions (W&B refuses a mismatch).
 * @example checkTemplateValues(config.template_variables, '{"gpus": 2}');
 */
export function checkTemplateValues(defsText: string, valuesText: string | null | undefined): void {
  const defs = JSON.parse(defsText) as Record<string, TemplateVariableDef>;
  const values = parseObject(valuesText, 'templateVariableValues');
  for (const [name, value] of Object.entries(values)) {
    const schema = defs[name]?.schema;
    if (!schema) throw new UserInputError(`unknown template variable ${name}`);
    const ok =
      schema.type === 'string' ? typeof value === 'string' : schema.type === 'integer' ? Number.isInteger(value) : typeof value === 'number';
    if (!ok) throw new UserInputError(`template variable ${name} must be of type ${schema.type}`);
    if (schema.enum && !schema.enum.includes(value)) throw new UserInputError(`template variable ${name} must be one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))) {
      throw new UserInputError(`template variable ${name} is out of range`);
    }
  }
}

/**
 * `{{name}}` placeholders in a resource config that name no template variable (W&B reports these).
 * @example configSchemaErrors('{"gpus": "{{gpus}}"}', '{}') // ['template variable gpus is used in the config but not defined']
 */
export function configSchemaErrors(configText: string, defsText: string): string[] {
  const defs = JSON.parse(defsText) as Record<string, unknown>;
  const names = new Set([...configText.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1] as string));
  return [...names].filter((n) => !(n in defs)).map((n) => `template variable ${n} is used in the config but not defined`);
}

/**
 * The launch tables of one database: resource configs, queues and items. Get it with `launchStore(store)`.
 * @example const queue = launchStore(store).queueByName(project.id, 'default');
 */
export class LaunchStore {
  constructor(private readonly db: Db) {}

  // ---- default resource configs

  createResourceConfig(input: { entityId: number; projectId?: number | null; resource: string; config: string; templateVariables?: string | null }): ResourceConfigRow {
    if (!RUN_QUEUE_TYPES.includes(input.resource)) throw new UserInputError(`unknown resource type ${JSON.stringify(input.resource)}`);
    parseObject(input.config, 'config');
    const now = wandbTime();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO launch_resource_configs (entity_id, project_id, resource, config, template_variables, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.entityId, input.projectId ?? null, input.resource, input.config, checkTemplateVariables(input.templateVariables), now, now);
    return this.resourceConfig(Number(lastInsertRowid)) as ResourceConfigRow;
  }

  resourceConfig(id: number): ResourceConfigRow | undefined {
    return this.db.prepare('SELECT * FROM launch_resource_configs WHERE id = ?').get(id) as ResourceConfigRow | undefined;
  }

  // ---- queues

  createQueue(input: { projectId: number; name: string; access?: string; prioritizationMode?: string | null; resourceConfigId?: number | null; externalLinks?: string | null; createdBy?: number | null }): RunQueueRow {
    if (!input.name) throw new UserInputError('queueName must be non-empty');
    if (this.queueByName(input.projectId, input.name)) throw new UserInputError(`run queue ${input.name} already exists`);
    const now = wandbTime();
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO run_queues (project_id, name, access, prioritization_mode, resource_config_id, external_links, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
            // W&B always answers a mode (Python asserts one): DISABLED unless V0 was asked for.
      .run(input.projectId, input.name, input.access ?? 'PROJECT', input.prioritizationMode ?? 'DISABLED', input.resourceConfigId ?? null, input.externalLinks ?? null, input.createdBy ?? null, now, now);
    return this.queue(Number(lastInsertRowid)) as RunQueueRow;
  }

  /** upsertRunQueue: a new resource config each time (W&B versions them), the queue created or updated. */
  upsertQueue(input: {
    entityId: number;
    projectId: number;
    name: string;
    resourceType: string;
    resourceConfig: string;
    templateVariables?: string | null;
    prioritizationMode?: string | null;
    externalLinks?: string | null;
    createdBy?: number | null;
  }): { queue: RunQueueRow; errors: string[] } {
    return this.db.transaction(() => {
      const config = this.createResourceConfig({ entityId: input.entityId, projectId: input.projectId, resource: input.resourceType, config: input.resourceConfig, templateVariables: input.templateVariables });
      const errors = configSchemaErrors(config.config, config.template_variables);
      const existing = this.queueByName(input.projectId, input.name);
      if (!existing) {
        const queue = this.createQueue({ projectId: input.projectId, name: input.name, prioritizationMode: input.prioritizationMode, resourceConfigId: config.id, externalLinks: input.externalLinks, createdBy: input.createdBy });
        return { queue, errors };
      }
      this.db
        .prepare('UPDATE run_queues SET resource_config_id = ?, prioritization_mode = COALESCE(?, prioritization_mode), external_links = COALESCE(?, external_links), updated_at = ? WHERE id = ?')
        .run(config.id, input.prioritizationMode ?? null, input.externalLinks ?? null, wandbTime(), existing.id);
      return { queue: this.queue(existing.id) as RunQueueRow, errors };
    });
  }

  queue(id: number): RunQueueRow | undefined {
    return this.db.prepare('SELECT * FROM run_queues WHERE id = ?').get(id) as RunQueueRow | undefined;
  }

  queueByName(projectId: number, name: string): RunQueueRow | undefined {
    return this.db.prepare('SELECT * FROM run_queues WHERE project_id = ? AND name = ?').get(projectId, name) as RunQueueRow | undefined;
  }

  queues(projectId: number): RunQueueRow[] {
    return this.db.prepare('SELECT * FROM run_queues WHERE project_id = ? ORDER BY id').all(projectId) as RunQueueRow[];
  }

  deleteQueue(id: number): void {
    this.db.prepare('DELETE FROM run_queues WHERE id = ?').run(id);
  }

  // ---- items

  pushItem(queue: RunQueueRow, input: { runSpec: string; templateVariableValues?: string | null; priority?: number | null }): RunQueueItemRow {
    parseObject(input.runSpec, 'runSpec');
    const config = queue.resource_config_id === null ? undefined : this.resourceConfig(queue.resource_config_id);
    checkTemplateValues(config?.template_variables ?? '{}', input.templateVariableValues);
    const priority = input.priority ?? 2;
    if (!Number.isInteger(priority) || priority < 0 || priority > 3) throw new UserInputError('priority must be 0 (critical) to 3 (low)');
    const now = wandbTime();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO run_queue_items (queue_id, run_spec, template_variable_values, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(queue.id, input.runSpec, input.templateVariableValues ?? null, priority, now, now);
    return this.item(Number(lastInsertRowid)) as RunQueueItemRow;
  }

  item(id: number): RunQueueItemRow | undefined {
    return this.db.prepare('SELECT * FROM run_queue_items WHERE id = ?').get(id) as RunQueueItemRow | undefined;
  }

  /** Items oldest first, keyset-paged by id. */
  items(queueId: number, args: { first?: number | null; after?: string | null }): Page<RunQueueItemRow> {
    const size = pageSize(args.first);
    const afterId = args.after ? decodeCursor(args.after, 0).id : 0;
    const rows = this.db
      .prepare('SELECT * FROM run_queue_items WHERE queue_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(queueId, afterId, size + 1) as RunQueueItemRow[];
    const page = rows.slice(0, size);
    return { items: page.map((node) => ({ node, cursor: encodeCursor([], node.id) })), hasNextPage: rows.length > size };
  }

  /** popFromRunQueue: leases the next pending item (by priority first when the queue's mode is V0). */
  popItem(queue: RunQueueRow, agentId: string | null): RunQueueItemRow | undefined {
    const order = queue.prioritization_mode === 'V0' ? 'priority, id' : 'id';
    const next = this.db.prepare(`SELECT * FROM run_queue_items WHERE queue_id = ? AND state = 'PENDING' ORDER BY ${order} LIMIT 1`).get(queue.id) as
      | RunQueueItemRow
      | undefined;
    if (!next) return undefined;
    this.setState(next.id, 'LEASED', { launchAgentId: agentId });
    return this.item(next.id);
  }

  /** ackRunQueueItem: the agent started run `runName` for a leased item. */
  ackItem(id: number, runName: string): RunQueueItemRow {
    const item = this.item(id);
    if (!item) throw new UserInputError(`no run queue item with id ${id}`);
    if (item.state !== 'LEASED' && item.state !== 'PENDING') throw new UserInputError(`run queue item ${id} is ${item.state}, not LEASED`);
    this.setState(id, 'CLAIMED', { runName });
    return this.item(id) as RunQueueItemRow;
  }

  failItem(id: number, failure: Record<string, unknown>): RunQueueItemRow {
    if (!this.item(id)) throw new UserInputError(`no run queue item with id ${id}`);
    this.setState(id, 'FAILED', { failure: JSON.stringify(failure) });
    return this.item(id) as RunQueueItemRow;
  }

  /** Moves an item to a state; fixtures use it directly, mutations through pop/ack/fail. */
  setState(id: number, state: RunQueueItemState, extra: { runName?: string | null; launchAgentId?: string | null; failure?: string | null } = {}): void {
    this.db
      .prepare(
        'UPDATE run_queue_items SET state = ?, associated_run_id = COALESCE(?, associated_run_id), launch_agent_id = COALESCE(?, launch_agent_id), failure = COALESCE(?, failure), updated_at = ? WHERE id = ?',
      )
      .run(state, extra.runName ?? null, extra.launchAgentId ?? null, extra.failure ?? null, wandbTime(), id);
  }

  deleteItem(queueId: number, id: number): boolean {
    return this.db.prepare('DELETE FROM run_queue_items WHERE queue_id = ? AND id = ?').run(queueId, id).changes > 0;
  }
}

/**
 * The store's LaunchStore, created on first use (one per Store).
 * @example const item = launchStore(store).item(id);
 */
export const launchStore: (store: Store) => LaunchStore = storePart((store) => new LaunchStore(store.db));
