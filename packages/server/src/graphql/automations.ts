/**
 * Automations over GraphQL: Trigger (scope, condition, action), the integrations they send to, entity
 * secrets, Entity.triggers / integrations / secrets, Project.triggers, User.projects (Python walks the
 * viewer's projects for automations when no entity is named), and the mutations createFilterTrigger,
 * updateFilterTrigger, deleteTrigger, createGenericWebhookIntegration, deleteIntegration and
 * insertSecret. Rules live in store/triggers.ts, integrations.ts and secrets.ts; ids are decoded here.
 */
import { decodeArtifactNodeGid } from '../artifactIds';
import { ForbiddenError, NotFoundError, UserInputError } from '../errors';
import { decodeGid, integrationGid, triggerGid } from '../ids';
import { artifactStore } from '../store/artifacts';
import { decodeCursor, encodeCursor, pageSize } from '../store/cursor';
import { integrations, type IntegrationRow } from '../store/integrations';
import { secrets, type SecretRow } from '../store/secrets';
import type { EntityRow, ProjectRow, UserRow } from '../store/store';
import { savedEventFilter } from '../store/triggerFilters';
import { assertManager, canReadEntity, triggers, type ActionSpec, type TriggerRow, type TriggerScope, type TriggerSpec } from '../store/triggers';
import { canReadProject } from './artifact';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type Input<T> = { input: T & { clientMutationId?: string | null } };

interface ActionConfigInput {
  genericWebhookActionInput?: { integrationID: string; requestPayload?: string | null } | null;
  notificationActionInput?: { integrationID: string; title?: string | null; message?: string | null; severity?: string | null } | null;
  noOpActionInput?: { noOp?: boolean | null } | null;
}

/** CreateFilterTriggerInput: every field but the description is required. */
interface CreateTriggerInput {
  name: string;
  description?: string | null;
  enabled: boolean;
  scopeType: string;
  scopeID: string;
  triggeringEventType: string;
  eventFilter: string;
  triggeredActionType: string;
  triggeredActionConfig: ActionConfigInput;
}

/** UpdateFilterTriggerInput: what is given changes. */
interface TriggerInput {
  name?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  scopeType?: string | null;
  scopeID?: string | null;
  triggeringEventType?: string | null;
  eventFilter?: string | null;
  triggeredActionType?: string | null;
  triggeredActionConfig?: ActionConfigInput | null;
}

const withTypename = <T extends object>(row: T, __typename: string): T & { __typename: string } => ({ ...row, __typename });

/** An integration as the Integration interface resolves it. */
const asIntegration = (row: IntegrationRow) => withTypename(row, row.kind === 'SLACK' ? 'SlackIntegration' : 'GenericWebhookIntegration');

/** The scope an input names; a UserInputError when it names nothing the viewer can see. */
function scopeOf(ctx: Context, type: string, gid: string): TriggerScope {
  if (type === 'PROJECT') {
    const id = decodeGid('Project', gid);
    const project = id === undefined ? undefined : ctx.project(id);
    if (!project || !canReadProject(ctx, project.id)) throw new UserInputError(`project ${JSON.stringify(gid)} not found`);
    return { type: 'PROJECT', project };
  }
  if (type === 'ARTIFACT_COLLECTION') {
    const id = decodeArtifactNodeGid('ArtifactCollection', gid);
    const collection = id === undefined ? undefined : artifactStore(ctx.store).collectionById(id);
    if (!collection || collection.state !== 'READY' || !canReadProject(ctx, collection.project_id)) throw new UserInputError(`artifact collection ${JSON.stringify(gid)} not found`);
    return { type: 'ARTIFACT_COLLECTION', collection, project: ctx.project(collection.project_id) as ProjectRow };
  }
  throw new UserInputError(`scopeType ${type} is not supported by this server (PROJECT or ARTIFACT_COLLECTION)`);
}

function actionOf(config: ActionConfigInput): ActionSpec {
  const id = (gid: string) => decodeGid('Integration', gid);
  const w = config.genericWebhookActionInput;
  const n = config.notificationActionInput;
  return {
    genericWebhook: w ? { integrationId: id(w.integrationID), requestPayload: w.requestPayload } : null,
    notification: n ? { integrationId: id(n.integrationID), title: n.title ?? null, message: n.message ?? null, severity: n.severity ?? null } : null,
    noOp: config.noOpActionInput ? {} : null,
  };
}

/** The fields an update input gives, decoded (undefined: keep the saved value). */
function patchOf(ctx: Context, input: TriggerInput): Partial<TriggerSpec> {
  if ((input.scopeType == null) !== (input.scopeID == null)) throw new UserInputError('scopeType and scopeID change together');
  if ((input.triggeredActionType == null) !== (input.triggeredActionConfig == null)) throw new UserInputError('triggeredActionType and triggeredActionConfig change together');
  return {
    name: input.name ?? undefined,
    description: input.description === undefined ? undefined : input.description,
    enabled: input.enabled ?? undefined,
    scope: input.scopeType && input.scopeID ? scopeOf(ctx, input.scopeType, input.scopeID) : undefined,
    eventType: input.triggeringEventType ?? undefined,
    eventFilter: input.eventFilter ?? undefined,
    actionType: input.triggeredActionType ?? undefined,
    action: input.triggeredActionConfig ? actionOf(input.triggeredActionConfig) : undefined,
  };
}

/** The entity an argument names, for a viewer who may read its automations (else 403; 404 when missing). */
function readableEntity(ctx: Context, entity: EntityRow): EntityRow {
  if (!canReadEntity(ctx.store, ctx.viewer, entity)) throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of ${entity.name}`);
  return entity;
}

function requireEntity(ctx: Context, name: string | null | undefined): EntityRow {
  const entity = name ? ctx.store.entities.byName(name) : undefined;
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(name ?? '')} not found`);
  return entity;
}

/** Entity.triggers' `filters`: `{"name": "<name>"}` (Python's automation(name=…)) or nothing. */
function nameFilter(filters: string | null | undefined): string | undefined {
  if (!filters) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(filters);
  } catch {
    throw new UserInputError('filters must be JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError('filters must be a JSON object');
  const entries = Object.entries(parsed);
  if (entries.length === 0) return undefined;
  const [key, value] = entries[0] as [string, unknown];
  const name = typeof value === 'object' && value !== null && '$eq' in value ? (value as { $eq: unknown }).$eq : value;
  if (entries.length !== 1 || key !== 'name' || typeof name !== 'string') throw new UserInputError('automations filter by name only: {"name": "<name>"}');
  return name;
}

const afterId = (after: string | null | undefined): number => (after ? decodeCursor(after, 0).id : 0);

export const Trigger: TypeResolvers = {
  id: (t: TriggerRow) => triggerGid(t.id),
  enabled: (t: TriggerRow) => t.enabled === 1,
  createdAt: (t: TriggerRow) => t.created_at,
  updatedAt: (t: TriggerRow) => t.updated_at,
  createdBy: (t: TriggerRow, _: unknown, ctx: Context): UserRow | undefined => ctx.user(t.created_by),
  scope: (t: TriggerRow, _: unknown, ctx: Context) => {
    const scope = triggers(ctx.store).scopeOf(t);
    return scope.type === 'PROJECT' ? withTypename(scope.project, 'Project') : scope.collection;
  },
  triggeringCondition: (t: TriggerRow) => ({ __typename: 'FilterEventTriggeringCondition', eventType: t.event_type, filter: savedEventFilter(t.event_type, t.event_filter) }),
  triggeredAction: (t: TriggerRow, _: unknown, ctx: Context) => {
    const config = JSON.parse(t.action_config) as Record<string, string | null>;
    if (t.action_type === 'NO_OP') return { __typename: 'NoOpTriggeredAction', noOp: true };
    const integration = asIntegration(integrations(ctx.store).byId(t.integration_id as number) as IntegrationRow);
    if (t.action_type === 'NOTIFICATION') return { __typename: 'NotificationTriggeredAction', integration, title: config.title, message: config.message, severity: config.severity };
    return { __typename: 'GenericWebhookTriggeredAction', integration, requestPayload: config.requestPayload };
  },
};

export const WebhookIntegration: TypeResolvers = {
  id: (i: IntegrationRow) => integrationGid(i.id),
  name: (i: IntegrationRow) => i.name,
  urlEndpoint: (i: IntegrationRow) => i.url_endpoint,
};

export const SlackIntegration: TypeResolvers = {
  id: (i: IntegrationRow) => integrationGid(i.id),
  teamName: (i: IntegrationRow) => i.team_name,
  channelName: (i: IntegrationRow) => i.channel_name,
};

export const Secret: TypeResolvers = {
  createdAt: (s: SecretRow) => s.created_at,
  entityId: (s: SecretRow) => s.entity_id,
};

export const EntityAutomations: TypeResolvers = {
  triggers: (e: EntityRow, args: { after?: string | null; first?: number | null; filters?: string | null; order?: string | null }, ctx: Context) => {
    readableEntity(ctx, e);
    // Oldest first is the only order (Python sends none).
    if (args.order && !/^\+?createdAt$/.test(args.order)) throw new UserInputError(`automations are listed oldest first (createdAt), not by ${JSON.stringify(args.order)}`);
    const page = triggers(ctx.store).listOfEntity(e.id, { first: pageSize(args.first), afterId: afterId(args.after), name: nameFilter(args.filters) });
    const items = page.rows.map((node) => ({ node, cursor: encodeCursor([], node.id) }));
    return { ...connection({ items, hasNextPage: page.hasNextPage }, args.after), totalCount: page.total };
  },
  integrations: (e: EntityRow, args: { after?: string | null; first?: number | null }, ctx: Context) => {
    readableEntity(ctx, e);
    const page = integrations(ctx.store).list(e.id, pageSize(args.first), afterId(args.after));
    return connection({ items: page.rows.map((row) => ({ node: asIntegration(row), cursor: encodeCursor([], row.id) })), hasNextPage: page.hasNextPage }, args.after);
  },
  // Names only, for those who manage the entity.
  secrets: (e: EntityRow, _: unknown, ctx: Context) => {
    assertManager(ctx.store, ctx.viewer, e);
    return secrets(ctx.store).list(e.id);
  },
};

export const ProjectTriggers: TypeResolvers = {
  // Members of the project's entity see its automations; anyone else an empty list (the project may be public).
  triggers: (p: ProjectRow, _: unknown, ctx: Context) => (ctx.canWrite(p.entity_id) || ctx.viewer.admin === 1 ? triggers(ctx.store).ofProject(p.id) : []),
};

export const UserProjects: TypeResolvers = {
  // The projects of the entities the viewer belongs to (only the viewer's own list).
  projects: (u: UserRow, args: { after?: string | null; first?: number | null }, ctx: Context) => {
    if (u.id !== ctx.viewer.id) return null;
    const page = ctx.store.projects.ofMember(u.id, { first: pageSize(args.first, 100), after: args.after });
    return connection(page, args.after);
  },
};

export const AutomationMutations: TypeResolvers = {
  createFilterTrigger: (_: unknown, { input }: Input<CreateTriggerInput>, ctx: Context) => {
    const spec: TriggerSpec = {
      name: input.name,
      description: input.description ?? null,
      enabled: input.enabled,
      scope: scopeOf(ctx, input.scopeType, input.scopeID),
      eventType: input.triggeringEventType,
      eventFilter: input.eventFilter,
      actionType: input.triggeredActionType,
      action: actionOf(input.triggeredActionConfig),
    };
    return { clientMutationId: input.clientMutationId ?? null, trigger: triggers(ctx.store).create(ctx.viewer, spec) };
  },
  updateFilterTrigger: (_: unknown, { input }: Input<TriggerInput & { id: string }>, ctx: Context) => {
    const store = triggers(ctx.store);
    const current = store.requireManaged(ctx.viewer, decodeGid('Trigger', input.id));
    return { trigger: store.update(ctx.viewer, current, patchOf(ctx, input)) };
  },
  deleteTrigger: (_: unknown, { input }: Input<{ triggerID: string }>, ctx: Context) => {
    const store = triggers(ctx.store);
    store.delete(store.requireManaged(ctx.viewer, decodeGid('Trigger', input.triggerID)));
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
  createGenericWebhookIntegration: (
    _: unknown,
    { input }: Input<{ entityName: string; name: string; urlEndpoint: string; secretRef?: string | null; accessTokenRef?: string | null }>,
    ctx: Context,
  ) => {
    const entity = requireEntity(ctx, input.entityName);
    assertManager(ctx.store, ctx.viewer, entity);
    const row = integrations(ctx.store).createWebhook({ ...input, entityId: entity.id, createdBy: ctx.viewer.id });
    return { integration: asIntegration(row) };
  },
  deleteIntegration: (_: unknown, { input }: Input<{ id: string }>, ctx: Context) => {
    const id = decodeGid('Integration', input.id);
    const row = id === undefined ? undefined : integrations(ctx.store).byId(id);
    const entity = row && ctx.entity(row.entity_id);
    if (!row || !entity || !canReadEntity(ctx.store, ctx.viewer, entity)) throw new NotFoundError('integration not found');
    assertManager(ctx.store, ctx.viewer, entity);
    integrations(ctx.store).delete(row.id);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
  insertSecret: (_: unknown, { input }: Input<{ entityName: string; secretName: string; secretValue: string }>, ctx: Context) => {
    const entity = requireEntity(ctx, input.entityName);
    assertManager(ctx.store, ctx.viewer, entity);
    secrets(ctx.store).set(entity.id, input.secretName, input.secretValue);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};
