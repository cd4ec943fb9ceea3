/**
 * Launch: Project.runQueue(s), Entity.defaultResourceConfig, the RunQueue / RunQueueItem /
 * DefaultResourceConfig types and the queue mutations (create, upsert, delete, push, pop, ack, fail).
 */
import { ForbiddenError, UserInputError } from '../errors';
import {
  LaunchStore,
  type ResourceConfigRow,
  type RunQueueItemRow,
  type RunQueueRow,
  decodeLaunchGid,
  launchStore,
  resourceConfigGid,
  runQueueGid,
  runQueueItemGid,
} from '../store/launch';
import type { EntityRow, ProjectRow } from '../store/store';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type Input<T> = { input: T & { clientMutationId?: string | null } };

const launch = (ctx: Context): LaunchStore => launchStore(ctx.store);

/** JSON text as a JSON value; text that does not parse is handed back as it is. */
function jsonValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function requireWriter(ctx: Context, entityId: number): void {
  if (!ctx.canWrite(entityId)) {
    const entity = ctx.entity(entityId);
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of entity ${entity?.name ?? entityId}`);
  }
}

function writableEntity(ctx: Context, name: string): EntityRow {
  const entity = ctx.store.entities.byName(name);
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(name)} does not exist`);
  requireWriter(ctx, entity.id);
  return entity;
}

/** The project a queue mutation names; it must exist (clients upsert `model-registry` first, as Python does). */
function writableProject(ctx: Context, entityName: string, projectName: string): ProjectRow {
  const entity = writableEntity(ctx, entityName);
  const project = ctx.store.projects.byName(entity.id, projectName);
  if (!project) throw new UserInputError(`project ${entityName}/${projectName} does not exist`);
  return project;
}

/** A queue by GraphQL id the viewer may write to. */
function writableQueue(ctx: Context, gid: string): RunQueueRow {
  const id = decodeLaunchGid('RunQueue', gid);
  const queue = id === undefined ? undefined : launch(ctx).queue(id);
  const project = queue && ctx.project(queue.project_id);
  if (!queue || !project || !ctx.store.canRead(ctx.viewer, project)) throw new UserInputError(`no run queue with id ${JSON.stringify(gid)}`);
  requireWriter(ctx, project.entity_id);
  return queue;
}

function writableQueueByName(ctx: Context, entityName: string, projectName: string, queueName: string): RunQueueRow {
  const project = writableProject(ctx, entityName, projectName);
  const queue = launch(ctx).queueByName(project.id, queueName);
  if (!queue) throw new UserInputError(`run queue ${queueName} does not exist in ${entityName}/${projectName}`);
  return queue;
}

/** An item by GraphQL id, with the queue it is in, if the viewer may write to it. */
function writableItem(ctx: Context, gid: string): RunQueueItemRow {
  const id = decodeLaunchGid('RunQueueItem', gid);
  const item = id === undefined ? undefined : launch(ctx).item(id);
  if (!item) throw new UserInputError(`no run queue item with id ${JSON.stringify(gid)}`);
  writableQueue(ctx, runQueueGid(item.queue_id));
  return item;
}

export const ProjectRunQueues: TypeResolvers = {
  runQueue: (p: ProjectRow, args: { name: string }, ctx: Context) => launch(ctx).queueByName(p.id, args.name) ?? null,
  runQueues: (p: ProjectRow, _: unknown, ctx: Context) => launch(ctx).queues(p.id),
};

export const EntityLaunch: TypeResolvers = {
  defaultResourceConfig: (e: EntityRow, args: { id: string }, ctx: Context) => {
    const id = decodeLaunchGid('DefaultResourceConfig', args.id);
    const config = id === undefined ? undefined : launch(ctx).resourceConfig(id);
    return config && config.entity_id === e.id ? config : null;
  },
};

export const RunQueue: TypeResolvers = {
  id: (q: RunQueueRow) => runQueueGid(q.id),
  name: (q: RunQueueRow) => q.name,
  access: (q: RunQueueRow) => q.access,
  createdAt: (q: RunQueueRow) => q.created_at,
  updatedAt: (q: RunQueueRow) => q.updated_at,
  createdBy: (q: RunQueueRow) => q.created_by,
  defaultResourceConfigID: (q: RunQueueRow) => (q.resource_config_id === null ? null : resourceConfigGid(q.resource_config_id)),
  // An object ({links: [{label, url}]}), as W&B answers (its system tests compare it to a dict).
  externalLinks: (q: RunQueueRow) => jsonValue(q.external_links),
  prioritizationMode: (q: RunQueueRow) => q.prioritization_mode,
  runQueueItem: (q: RunQueueRow, args: { id: string }, ctx: Context) => {
    const id = decodeLaunchGid('RunQueueItem', args.id);
    const item = id === undefined ? undefined : launch(ctx).item(id);
    return item && item.queue_id === q.id ? item : null;
  },
  runQueueItems: (q: RunQueueRow, args: { first?: number | null; after?: string | null }, ctx: Context) =>
    connection(launch(ctx).items(q.id, args), args.after),
};

export const RunQueueItem: TypeResolvers = {
  id: (i: RunQueueItemRow) => runQueueItemGid(i.id),
  state: (i: RunQueueItemRow) => i.state,
  associatedRunId: (i: RunQueueItemRow) => i.associated_run_id,
  launchAgentId: (i: RunQueueItemRow) => i.launch_agent_id,
  runSpec: (i: RunQueueItemRow) => jsonValue(i.run_spec),
  createdAt: (i: RunQueueItemRow) => i.created_at,
  updatedAt: (i: RunQueueItemRow) => i.updated_at,
};

export const DefaultResourceConfig: TypeResolvers = {
  id: (c: ResourceConfigRow) => resourceConfigGid(c.id),
  resource: (c: ResourceConfigRow) => c.resource,
  config: (c: ResourceConfigRow) => jsonValue(c.config),
  createdAt: (c: ResourceConfigRow) => c.created_at,
  updatedAt: (c: ResourceConfigRow) => c.updated_at,
  scope: (c: ResourceConfigRow) => (c.project_id === null ? { ID: c.entity_id, Type: 'ENTITY' } : { ID: c.project_id, Type: 'PROJECT' }),
  // One entry per variable; `schema` is the JSON of the variable's schema object.
  templateVariables: (c: ResourceConfigRow) =>
    Object.entries(JSON.parse(c.template_variables) as Record<string, { schema?: unknown }>).map(([name, def]) => ({
      name,
      schema: JSON.stringify(def.schema ?? {}),
    })),
};

interface CreateConfigInput {
  entityName: string;
  projectName?: string | null;
  resource: string;
  config: string;
  templateVariables?: string | null;
}
interface CreateQueueInput {
  entityName: string;
  projectName: string;
  queueName: string;
  access: string;
  prioritizationMode?: string | null;
  defaultResourceConfigID?: string | null;
}
interface UpsertQueueInput {
  entityName: string;
  projectName: string;
  queueName: string;
  resourceType: string;
  resourceConfig: string;
  templateVariables?: string | null;
  prioritizationMode?: string | null;
  externalLinks?: string | null;
}
interface PushInput {
  runSpec: string;
  templateVariableValues?: string | null;
  priority?: number | null;
}

function pushed(item: RunQueueItemRow, clientMutationId: string | null | undefined) {
  return { clientMutationId: clientMutationId ?? null, runQueueItemId: runQueueItemGid(item.id), runSpec: item.run_spec };
}

export const LaunchMutations: TypeResolvers = {
  createDefaultResourceConfig: (_: unknown, { input }: Input<CreateConfigInput>, ctx: Context) => {
    const project = input.projectName ? writableProject(ctx, input.entityName, input.projectName) : undefined;
    const entity = writableEntity(ctx, input.entityName);
    const config = launch(ctx).createResourceConfig({ entityId: entity.id, projectId: project?.id ?? null, resource: input.resource, config: input.config, templateVariables: input.templateVariables });
    return { clientMutationId: input.clientMutationId ?? null, defaultResourceConfigID: resourceConfigGid(config.id), success: true };
  },
  createRunQueue: (_: unknown, { input }: Input<CreateQueueInput>, ctx: Context) => {
    const project = writableProject(ctx, input.entityName, input.projectName);
    let configId: number | null = null;
    if (input.defaultResourceConfigID) {
      configId = decodeLaunchGid('DefaultResourceConfig', input.defaultResourceConfigID) ?? null;
      const config = configId === null ? undefined : launch(ctx).resourceConfig(configId);
      if (!config || config.entity_id !== project.entity_id) throw new UserInputError(`no default resource config with id ${JSON.stringify(input.defaultResourceConfigID)}`);
    }
    const queue = launch(ctx).createQueue({
      projectId: project.id,
      name: input.queueName,
      access: input.access,
      prioritizationMode: input.prioritizationMode ?? null,
      resourceConfigId: configId,
      createdBy: ctx.viewer.id,
    });
    return { clientMutationId: input.clientMutationId ?? null, success: true, queueID: runQueueGid(queue.id) };
  },
  upsertRunQueue: (_: unknown, { input }: Input<UpsertQueueInput>, ctx: Context) => {
    const project = writableProject(ctx, input.entityName, input.projectName);
    const { errors } = launch(ctx).upsertQueue({
      entityId: project.entity_id,
      projectId: project.id,
      name: input.queueName,
      resourceType: input.resourceType,
      resourceConfig: input.resourceConfig,
      templateVariables: input.templateVariables,
      prioritizationMode: input.prioritizationMode,
      externalLinks: input.externalLinks,
      createdBy: ctx.viewer.id,
    });
    return { success: true, configSchemaValidationErrors: errors };
  },
  deleteRunQueues: (_: unknown, { input }: Input<{ queueIDs: string[] }>, ctx: Context) => {
    ctx.store.db.transaction(() => {
      const queues = input.queueIDs.map((gid) => writableQueue(ctx, gid));
      queues.forEach((q) => launch(ctx).deleteQueue(q.id));
    });
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
  pushToRunQueue: (_: unknown, { input }: Input<PushInput & { queueID: string }>, ctx: Context) =>
    pushed(launch(ctx).pushItem(writableQueue(ctx, input.queueID), input), input.clientMutationId),
  pushToRunQueueByName: (_: unknown, { input }: Input<PushInput & { entityName: string; projectName: string; queueName: string }>, ctx: Context) =>
    pushed(launch(ctx).pushItem(writableQueueByName(ctx, input.entityName, input.projectName, input.queueName), input), input.clientMutationId),
  deleteFromRunQueue: (_: unknown, { input }: Input<{ queueID: string; runQueueItemId: string }>, ctx: Context) => {
    const queue = writableQueue(ctx, input.queueID);
    const id = decodeLaunchGid('RunQueueItem', input.runQueueItemId);
    const success = id !== undefined && launch(ctx).deleteItem(queue.id, id);
    return { clientMutationId: input.clientMutationId ?? null, success };
  },
  popFromRunQueue: (_: unknown, { input }: Input<{ entityName: string; projectName: string; queueName: string; launchAgentId?: string | null }>, ctx: Context) => {
    const queue = writableQueueByName(ctx, input.entityName, input.projectName, input.queueName);
    const item = launch(ctx).popItem(queue, input.launchAgentId ?? null);
    return { clientMutationId: input.clientMutationId ?? null, runQueueItemId: item ? runQueueItemGid(item.id) : null, runSpec: item ? jsonValue(item.run_spec) : null };
  },
  ackRunQueueItem: (_: unknown, { input }: Input<{ runQueueItemId: string; runName: string }>, ctx: Context) => {
    const item = writableItem(ctx, input.runQueueItemId);
    launch(ctx).ackItem(item.id, input.runName);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
  failRunQueueItem: (
    _: unknown,
    { input }: Input<{ runQueueItemId: string; message: string; stage: string; info?: string | null; filePaths?: string[] | null }>,
    ctx: Context,
  ) => {
    const item = writableItem(ctx, input.runQueueItemId);
    launch(ctx).failItem(item.id, { stage: input.stage, message: input.message, info: jsonValue(input.info ?? null), filePaths: input.filePaths ?? [] });
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};
