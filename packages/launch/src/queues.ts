// Run queues: get, create, upsert and delete. W&B keeps every queue in the entity's `model-registry`
// project; a queue's type, config and template variables live in its "default resource config".
import {
  type CallOptions,
  LAUNCH_PROJECT,
  NotFoundError,
  ValidationError,
  type WandbClient,
  checkSupport,
  parseJson,
  resolveEntity,
  stringifyJson,
  supports,
} from '@wandb-api/core';
import { LaunchError } from './errors.js';
import {
  CreateDefaultResourceConfigDocument,
  CreateRunQueueDocument,
  DeleteRunQueuesDocument,
  GetDefaultResourceConfigDocument,
  GetRunQueueDocument,
  type RunQueueFieldsFragment,
  UpsertLaunchProjectDocument,
  UpsertRunQueueDocument,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';

// LAUNCH_PROJECT lives in @wandb-api/core so the facade can use it without loading launch's code.
export { LAUNCH_PROJECT };

/** The queue types W&B Launch accepts. */
export const RUN_QUEUE_TYPES = ['local-container', 'local-process', 'kubernetes', 'sagemaker', 'gcp-vertex'] as const;
/** Where a queue's runs execute (the queue's resource); one of {@link RUN_QUEUE_TYPES}. */
export type RunQueueType = (typeof RUN_QUEUE_TYPES)[number];

/** `V0` lets items carry a priority (0 = critical … 3 = low); `DISABLED` serves them in push order. */
export type PrioritizationMode = 'V0' | 'DISABLED';

/** A template variable's JSON schema, as W&B Launch supports it. */
export interface TemplateVariableSchema {
  /** The kind of value the variable takes. */
  type: 'string' | 'number' | 'integer';
  /** The only values allowed, when the variable is a choice. */
  enum?: readonly (string | number)[];
  /** Lowest allowed value (numeric types only). */
  minimum?: number;
  /** Highest allowed value (numeric types only). */
  maximum?: number;
  /** The value used when a push gives none. */
  default?: string | number;
}

/** One template variable of a queue, by name in `templateVariables`. */
export interface TemplateVariable {
  /** Shown to users filling in the variable. */
  description?: string;
  /** Which values the variable accepts. */
  schema: TemplateVariableSchema;
}

/** A run queue, decoded. */
export interface RunQueue {
  /** The queue's GraphQL id (what `deleteRunQueue` sends). */
  readonly id: string;
  /** The queue's name, unique in its project. */
  readonly name: string;
  /** The entity (user or team) that owns the queue. */
  readonly entity: string;
  /** The project holding the queue (normally `model-registry`). */
  readonly project: string;
  /** The queue's access level, e.g. `PROJECT` (what `createRunQueue` sets). */
  readonly access: string;
  /** The queue type (its resource config's `resource`), e.g. `kubernetes`; null without a config. */
  readonly type: string | null;
  /** Id of the queue's default resource config (type, config, template variables); null when it has none. */
  readonly defaultResourceConfigId: string | null;
  /** The config as the server holds it: `{resource_args: {<type>: {...}}}` (Python's `default_resource_config`). */
  readonly defaultResourceConfig: Readonly<Record<string, unknown>>;
  /** Template variables as the server lists them: `schema` decoded from its JSON. */
  readonly templateVariables: readonly {
    /** The variable's name, as pushes refer to it. */
    readonly name: string;
    /** The variable's JSON schema (a {@link TemplateVariableSchema} when set by this library); null when unset. */
    readonly schema: unknown;
  }[];
  /** Whether items carry priorities; null when the server reports no mode. */
  readonly prioritizationMode: PrioritizationMode | null;
  /** `{label: url}` (stored as `{"links": [{label, url}]}`); `{}` when none. */
  readonly externalLinks: Readonly<Record<string, string>>;
  /** When the queue was created (ISO 8601, as the server sends it). */
  readonly createdAt: string;
  /** When the queue last changed; null if never. */
  readonly updatedAt: string | null;
}

/** Options shared by the queue functions. */
export interface QueueOptions extends CallOptions {
  /** The project holding the queue; default `model-registry`, as W&B. */
  project?: string;
}

/** Options of {@link createRunQueue}: where the queue goes and what it holds. */
export interface CreateRunQueueOptions extends QueueOptions {
  /** Default: the client's entity, else the viewer's default entity. */
  entity?: string;
  /** `V0` turns on item priorities; case-insensitive. */
  prioritizationMode?: PrioritizationMode | Lowercase<PrioritizationMode> | null;
  /** The type's resource args; sent wrapped as `{resource_args: {<type>: config}}`. */
  config?: Readonly<Record<string, unknown>>;
  /** `{<name>: {description?, schema: {type, enum?, minimum?, maximum?, default?}}}`. */
  templateVariables?: Readonly<Record<string, TemplateVariable>>;
}

/** Options of {@link upsertRunQueue}: those of {@link createRunQueue} plus external links. */
export interface UpsertRunQueueOptions extends CreateRunQueueOptions {
  /** `{label: url}`; sent as `{links: [{label, url}]}`. */
  externalLinks?: Readonly<Record<string, string>>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Python's checks on a queue name (non-empty, under 64 characters); throws ValidationError.
 * @example checkQueueName('gpu-queue'); // passes; checkQueueName('') throws
 */
export function checkQueueName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new ValidationError('name must be non-empty');
  if (name.length > 64) throw new ValidationError('name must be less than 64 characters');
}

/**
 * Checks a queue type against the list W&B knows ({@link RUN_QUEUE_TYPES}); throws ValidationError.
 * @example checkQueueType('kubernetes'); // passes; checkQueueType('k8s') throws
 */
export function checkQueueType(type: unknown): asserts type is RunQueueType {
  if (!(RUN_QUEUE_TYPES as readonly unknown[]).includes(type)) {
    throw new ValidationError(`resource_type must be one of ${RUN_QUEUE_TYPES.join(', ')}; got ${JSON.stringify(type)}.`);
  }
}

const SCHEMA_KEYS = new Set(['type', 'enum', 'minimum', 'maximum', 'default']);

/**
 * Checks template variable definitions (the same rules the server applies), before any request.
 * @example checkTemplateVariables({ gpus: { description: 'GPUs per run', schema: { type: 'integer', minimum: 1, maximum: 8 } } });
 */
export function checkTemplateVariables(variables: unknown): asserts variables is Record<string, TemplateVariable> {
  if (!isPlainObject(variables)) throw new ValidationError('templateVariables must be an object {name: {schema: {type, ...}}}.');
  for (const [name, def] of Object.entries(variables)) {
    const where = `template variable '${name}'`;
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new ValidationError(`Invalid ${where}: names are letters, digits, '_', '.', '-'.`);
    if (!isPlainObject(def)) throw new ValidationError(`${where} must be an object {description?, schema}.`);
    for (const key of Object.keys(def)) if (key !== 'schema' && key !== 'description') throw new ValidationError(`${where}: unknown key '${key}'.`);
    if (def.description !== undefined && typeof def.description !== 'string') throw new ValidationError(`${where}: description must be a string.`);
    const schema = def.schema;
    if (!isPlainObject(schema)) throw new ValidationError(`${where} needs a schema object such as {type: 'string'}.`);
    for (const key of Object.keys(schema)) if (!SCHEMA_KEYS.has(key)) throw new ValidationError(`${where}: unsupported schema key '${key}'.`);
    const type = schema.type;
    if (type !== 'string' && type !== 'number' && type !== 'integer') throw new ValidationError(`${where}: schema type must be 'string', 'number' or 'integer'.`);
    const fits = (v: unknown) => (type === 'string' ? typeof v === 'string' : type === 'integer' ? Number.isInteger(v) : typeof v === 'number' && Number.isFinite(v));
    if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0 || !schema.enum.every(fits))) {
      throw new ValidationError(`${where}: enum must be a non-empty list of ${type} values.`);
    }
    for (const bound of ['minimum', 'maximum'] as const) {
      const v = schema[bound];
      if (v !== undefined && (type === 'string' || typeof v !== 'number' || !Number.isFinite(v))) throw new ValidationError(`${where}: ${bound} needs a numeric type and a number.`);
    }
    if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number' && schema.minimum > schema.maximum) {
      throw new ValidationError(`${where}: minimum is greater than maximum.`);
    }
    if (schema.default !== undefined && !fits(schema.default)) throw new ValidationError(`${where}: default must be a ${type}.`);
  }
}

/** Python upper-cases the mode and accepts only the listed values. */
function checkMode(mode: unknown, allowed: readonly PrioritizationMode[]): PrioritizationMode | undefined {
  if (mode === undefined || mode === null) return undefined;
  const upper = typeof mode === 'string' ? mode.toUpperCase() : mode;
  if (!(allowed as readonly unknown[]).includes(upper)) throw new ValidationError(`prioritization_mode must be ${allowed.map((m) => `'${m}'`).join(' or ')} if present`);
  return upper as PrioritizationMode;
}

function checkConfig(config: unknown): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) throw new ValidationError('config must be a plain object (the resource args of the queue type).');
  return config;
}

function encode(name: string, value: unknown): string {
  try {
    return stringifyJson(value);
  } catch (error) {
    throw new ValidationError(`${name} cannot be serialised: ${(error as Error).message}`);
  }
}

/** `{links: [{label, url}]}` as W&B sends it (an object; JSON text from older servers) → `{label: url}`. */
function decodeLinks(raw: unknown): Record<string, string> {
  const value = decodeObject(raw);
  const links = Array.isArray(value.links) ? value.links : [];
  const out: Record<string, string> = {};
  for (const link of links) if (isPlainObject(link) && typeof link.label === 'string' && typeof link.url === 'string') out[link.label] = link.url;
  return out;
}

/** JSON values may arrive as objects or, from some servers, as JSON text. */
function decodeObject(value: unknown): Record<string, unknown> {
  const v = typeof value === 'string' ? parseJson(value) : value;
  return isPlainObject(v) ? v : {};
}

function toRunQueue(
  node: RunQueueFieldsFragment & { readonly prioritizationMode?: string | null; readonly externalLinks?: unknown },
  entity: string,
  project: string,
  config: { resource: string; config: unknown; templateVariables?: readonly { name: string; schema: string | null }[] | null } | null | undefined,
): RunQueue {
  return {
    id: node.id,
    name: node.name,
    entity,
    project,
    access: node.access,
    type: config?.resource ?? null,
    defaultResourceConfigId: node.defaultResourceConfigID,
    defaultResourceConfig: decodeObject(config?.config),
    templateVariables: (config?.templateVariables ?? []).map((t) => ({ name: t.name, schema: t.schema ? parseJson(t.schema) : null })),
    prioritizationMode: node.prioritizationMode === 'V0' || node.prioritizationMode === 'DISABLED' ? node.prioritizationMode : null,
    externalLinks: decodeLinks(node.externalLinks),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  };
}

/**
 * One run queue with its type, config and template variables (two requests); NotFoundError when
 * it does not exist. Python's `api.run_queue` loads lazily and fails on `external_links` until loaded.
 * @example const queue = await getRunQueue(client, 'acme', 'gpu-queue');
 */
export async function getRunQueue(client: WandbClient, entity: string, name: string, options: QueueOptions = {}): Promise<RunQueue> {
  if (typeof entity !== 'string' || entity === '') throw new ValidationError('entity must be a non-empty string.');
  checkQueueName(name);
  const { project = LAUNCH_PROJECT, ...call } = options;
  // Servers without prioritization, links and template variables (W&B Server of 2023) get the older
  // variants: the queue without them (null mode, no links, no variables).
  const current = await supports(client, GetRunQueueDocument, call);
  const vars = { entity, project, name };
  const data = current ? await client.request(GetRunQueueDocument, vars, call) : await client.request((await legacyDocuments()).GetRunQueueLegacyDocument, vars, call);
  const node = data.project?.runQueue;
  if (!node) throw new NotFoundError(`Could not find run queue ${name} in ${entity}/${project}.`, { status: 404 });
  const id = node.defaultResourceConfigID;
  const config = !id
    ? null
    : (await supports(client, GetDefaultResourceConfigDocument, call))
      ? (await client.request(GetDefaultResourceConfigDocument, { entity, id }, call)).entity?.defaultResourceConfig
      : (await client.request((await legacyDocuments()).GetDefaultResourceConfigLegacyDocument, { entity, id }, call)).entity?.defaultResourceConfig;
  return toRunQueue(node, entity, project, config);
}

/** Makes sure the queue project exists (Python does the same before creating a queue). */
async function ensureProject(client: WandbClient, entity: string, project: string, options: CallOptions): Promise<void> {
  await client.request(UpsertLaunchProjectDocument, { entity, project }, options);
}

/**
 * Creates a queue of `type` with a default resource config (`config` wrapped as
 * `{resource_args: {<type>: config}}`) and template variables; everything is checked before any
 * request. Returns the queue as the server now has it.
 * @example const q = await createRunQueue(client, 'gpu-queue', 'kubernetes', { entity: 'acme', config: { namespace: 'ml' } });
 */
export async function createRunQueue(client: WandbClient, name: string, type: RunQueueType, options: CreateRunQueueOptions = {}): Promise<RunQueue> {
  checkQueueName(name);
  checkQueueType(type);
  const mode = checkMode(options.prioritizationMode, ['V0']);
  const config = checkConfig(options.config);
  if (options.templateVariables !== undefined) checkTemplateVariables(options.templateVariables);
  const configText = encode('config', { resource_args: { [type]: config } });
  const variablesText = options.templateVariables === undefined ? undefined : encode('templateVariables', options.templateVariables);
  const { project = LAUNCH_PROJECT, entity: entityOption, prioritizationMode: _m, config: _c, templateVariables: _t, ...call } = options;
  // What the caller set must reach the server: refused before anything is created where it cannot.
  await checkSupport(
    client,
    'createRunQueue',
    [...(variablesText === undefined ? [] : ['CreateDefaultResourceConfigInput.templateVariables']), ...(mode ? ['CreateRunQueueInput.prioritizationMode'] : [])],
    call,
  );
  const entity = await resolveEntity(client, entityOption, call);
  await ensureProject(client, entity, project, call);
  const created = await client.request(
    CreateDefaultResourceConfigDocument,
    { input: { entityName: entity, resource: type, config: configText, ...(variablesText === undefined ? {} : { templateVariables: variablesText }) } },
    call,
  );
  const configId = created.createDefaultResourceConfig?.defaultResourceConfigID;
  if (!created.createDefaultResourceConfig?.success || !configId) throw new LaunchError('failed to create default resource config');
  const queue = await client.request(
    CreateRunQueueDocument,
    { input: { entityName: entity, projectName: project, queueName: name, access: 'PROJECT', defaultResourceConfigID: configId, ...(mode ? { prioritizationMode: mode } : {}) } },
    call,
  );
  if (!queue.createRunQueue?.success) throw new LaunchError('failed to create run queue');
  return getRunQueue(client, entity, name, { ...call, project });
}

/**
 * Creates or updates a queue: its config (wrapped as `{resource_args: {<type>: config}}`), template
 * variables, prioritization mode (default `DISABLED`, as Python) and external links (`{label: url}`,
 * sent as `{links: [...]}`). Returns the queue and the server's config validation warnings.
 * @example const { queue } = await upsertRunQueue(client, 'cpu', 'local-container', { entity: 'acme', config: {} });
 */
export async function upsertRunQueue(
  client: WandbClient,
  name: string,
  type: RunQueueType,
  options: UpsertRunQueueOptions = {},
): Promise<{
  /** The queue as the server now has it. */
  queue: RunQueue;
  /** The server's complaints about the config (also logged); the queue is saved regardless. */
  warnings: readonly string[];
}> {
  checkQueueName(name);
  checkQueueType(type);
  const mode = checkMode(options.prioritizationMode ?? 'DISABLED', ['V0', 'DISABLED']);
  const config = checkConfig(options.config);
  if (options.templateVariables !== undefined) checkTemplateVariables(options.templateVariables);
  const links = options.externalLinks ?? {};
  if (!isPlainObject(links) || Object.values(links).some((u) => typeof u !== 'string')) throw new ValidationError('externalLinks must be an object {label: url}.');
  const { project = LAUNCH_PROJECT, entity: entityOption, prioritizationMode: _m, config: _c, templateVariables: _t, externalLinks: _l, ...call } = options;
  const input = {
    queueName: name,
    projectName: project,
    resourceType: type,
    resourceConfig: encode('config', { resource_args: { [type]: config } }),
    externalLinks: encode('externalLinks', { links: Object.entries(links).map(([label, url]) => ({ label, url })) }),
    ...(options.templateVariables ? { templateVariables: encode('templateVariables', options.templateVariables) } : {}),
    ...(mode ? { prioritizationMode: mode } : {}),
  };
  // A newer mutation: refused before the project is made where it cannot go on.
  await checkSupport(client, 'upsertRunQueue', UpsertRunQueueDocument, call);
  const entity = await resolveEntity(client, entityOption, call);
  await ensureProject(client, entity, project, call);
  const data = await client.request(UpsertRunQueueDocument, { input: { ...input, entityName: entity } }, call);
  if (!data.upsertRunQueue?.success) throw new LaunchError('failed to create run queue');
  const warnings = data.upsertRunQueue.configSchemaValidationErrors;
  warnings.forEach((w) => client.config.logger?.warn(`resource config validation: ${w}`));
  return { queue: await getRunQueue(client, entity, name, { ...call, project }), warnings };
}

/**
 * Deletes a queue and its items. Takes a loaded queue (one request) or `{entity, name}` (looked up first).
 * @example await deleteRunQueue(client, queue);
 */
export async function deleteRunQueue(client: WandbClient, queue: Pick<RunQueue, 'id' | 'name'> | { entity: string; name: string; project?: string }, options: CallOptions = {}): Promise<void> {
  const id = 'id' in queue && typeof queue.id === 'string' ? queue.id : (await getRunQueue(client, (queue as { entity: string }).entity, queue.name, { ...options, project: (queue as { project?: string }).project ?? LAUNCH_PROJECT })).id;
  const data = await client.request(DeleteRunQueuesDocument, { queueIDs: [id] }, options);
  if (!data.deleteRunQueues?.success) throw new LaunchError(`Failed to delete run queue ${queue.name}`);
}
