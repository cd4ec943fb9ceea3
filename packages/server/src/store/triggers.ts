/**
 * Automations (W&B triggers): a name, a scope (a project, a registry — a project too — or an artifact
 * collection), an event type with its filter, and an action (a generic webhook with a payload, a Slack
 * notification, or nothing). A trigger belongs to the entity of its scope and its name is unique there.
 * Team admins of that entity (for a registry also its admins) and server admins manage them; members
 * read them. SQL and the rules of a valid trigger live here; resolvers only decode ids.
 */
import { ConflictError, ForbiddenError, NotFoundError, UserInputError } from '../errors';
import { artifactStore, type CollectionRow } from './artifacts';
import type { Db } from './db';
import type { EntityRow } from './entities';
import { integrations, type IntegrationRow } from './integrations';
import { projectMembers } from './projectMembers';
import type { ProjectRow } from './projects';
import { REGISTRY_PREFIX } from './registries';
import type { Store } from './store';
import { storePart } from './storePart';
import { canManage } from './teams';
import { wandbTime } from './time';
import { parseEventFilter, RUN_EVENTS } from './triggerFilters';
import type { UserRow } from './users';

export type ScopeType = 'PROJECT' | 'ARTIFACT_COLLECTION';
export type ActionType = 'GENERIC_WEBHOOK' | 'NOTIFICATION' | 'NO_OP';

export interface TriggerRow {
  id: number;
  entity_id: number;
  name: string;
  description: string | null;
  enabled: number;
  scope_type: ScopeType;
  scope_project_id: number | null;
  scope_collection_id: number | null;
  event_type: string;
  event_filter: string;
  action_type: ActionType;
  integration_id: number | null;
  /** JSON: `{requestPayload}` for webhooks, `{title, message, severity}` for notifications, `{}` otherwise. */
  action_config: string;
  created_by: number;
  created_at: string;
  updated_at: string | null;
}

/** The scope a trigger watches, resolved from its ids. */
export type TriggerScope = { type: 'PROJECT'; project: ProjectRow } | { type: 'ARTIFACT_COLLECTION'; collection: CollectionRow; project: ProjectRow };

/** What a new or changed trigger says, ids decoded. */
export interface TriggerSpec {
  name: string;
  description: string | null;
  enabled: boolean;
  scope: TriggerScope;
  eventType: string;
  eventFilter: string;
  actionType: string;
  /** The config of the action type (GraphQL's TriggeredActionConfig with ids decoded). */
  action: ActionSpec;
}

/** TriggeredActionConfig with the integration id decoded (undefined: not an id of an integration). */
export interface ActionSpec {
  genericWebhook?: { integrationId: number | undefined; requestPayload?: string | null | undefined } | null | undefined;
  notification?: { integrationId: number | undefined; title?: string | null; message?: string | null; severity?: string | null } | null | undefined;
  noOp?: object | null | undefined;
}

/** Legacy event types W&B still reads but no longer lets anyone assign. */
const RETIRED_EVENTS = new Set(['UPDATE_ARTIFACT_ALIAS']);

export const isRegistry = (project: ProjectRow): boolean => project.name.startsWith(REGISTRY_PREFIX);

/** Who manages automations in a scope: admins of its entity, a registry's admins, server admins. */
export function canManageScope(store: Store, viewer: UserRow, project: ProjectRow): boolean {
  const entity = store.entities.byId(project.entity_id) as EntityRow;
  return canManage(store, viewer, entity) || (isRegistry(project) && projectMembers(store).canManage(viewer, project));
}

/** Who reads an entity's automations and integrations: its members and server admins. */
export function canReadEntity(store: Store, viewer: UserRow, entity: EntityRow): boolean {
  return viewer.admin === 1 || store.entities.isMember(entity.id, viewer.id);
}

/** A ForbiddenError unless the viewer may manage the entity's automations, integrations and secrets. */
export function assertManager(store: Store, viewer: UserRow, entity: EntityRow): void {
  if (!canManage(store, viewer, entity)) throw new ForbiddenError(`permission denied: ${viewer.username} is not an admin of ${entity.name}`);
}

function checkAction(store: Store, viewer: UserRow, entityId: number, type: string, action: ActionSpec): { integration: IntegrationRow | null; config: string } {
  const given = (['genericWebhook', 'notification', 'noOp'] as const).filter((k) => action[k] != null);
  const expected = { GENERIC_WEBHOOK: 'genericWebhook', NOTIFICATION: 'notification', NO_OP: 'noOp' }[type];
  if (!expected) throw new UserInputError(`triggeredActionType ${type} is not supported by this server`);
  if (given.length !== 1 || given[0] !== expected) throw new UserInputError(`triggeredActionConfig must hold exactly the ${expected}ActionInput of a ${type} action`);
  if (type === 'NO_OP') return { integration: null, config: '{}' };
  const input = (type === 'GENERIC_WEBHOOK' ? action.genericWebhook : action.notification) as { integrationId: number | undefined };
  const integration = input.integrationId === undefined ? undefined : integrations(store).byId(input.integrationId);
  const kind = type === 'GENERIC_WEBHOOK' ? 'GENERIC_WEBHOOK' : 'SLACK';
  if (!integration || integration.kind !== kind) throw new UserInputError(`the ${type} action needs the id of a ${kind === 'SLACK' ? 'Slack' : 'webhook'} integration`);
  // An integration of the trigger's entity, or of another entity the viewer administers.
  const owner = store.entities.byId(integration.entity_id) as EntityRow;
  if (integration.entity_id !== entityId && !canManage(store, viewer, owner)) throw new ForbiddenError(`permission denied: the integration belongs to ${owner.name}`);
  if (type === 'NOTIFICATION') {
    const n = action.notification!;
    return { integration, config: JSON.stringify({ title: n.title ?? '', message: n.message ?? '', severity: n.severity ?? 'INFO' }) };
  }
  const payload = action.genericWebhook!.requestPayload ?? null;
  if (payload !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw new UserInputError('requestPayload must be JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError('requestPayload must be a JSON object');
  }
  return { integration, config: JSON.stringify({ requestPayload: payload }) };
}

function checkEvent(spec: TriggerSpec): void {
  if (RETIRED_EVENTS.has(spec.eventType)) throw new UserInputError(`${spec.eventType} events cannot be assigned to automations`);
  const isRun = (RUN_EVENTS as readonly string[]).includes(spec.eventType);
  if (isRun && (spec.scope.type !== 'PROJECT' || isRegistry(spec.scope.project))) {
    throw new UserInputError(`${spec.eventType} events need a project scope (not a registry or a collection)`);
  }
  parseEventFilter(spec.eventType, spec.eventFilter);
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 255) throw new UserInputError('an automation needs a name of 1–255 characters');
  return trimmed;
}

/** The columns a trigger's spec fills, in the order specValues gives their values (create and update). */
const SPEC_COLUMNS = [
  'name',
  'description',
  'enabled',
  'scope_type',
  'scope_project_id',
  'scope_collection_id',
  'event_type',
  'event_filter',
  'action_type',
  'integration_id',
  'action_config',
];

/** A checked spec's values for SPEC_COLUMNS. */
function specValues(name: string, spec: TriggerSpec, integrationId: number | null, config: string): (string | number | null)[] {
  const { scope } = spec;
  return [
    name,
    spec.description,
    spec.enabled ? 1 : 0,
    scope.type,
    scope.type === 'PROJECT' ? scope.project.id : null,
    scope.type === 'ARTIFACT_COLLECTION' ? scope.collection.id : null,
    spec.eventType,
    spec.eventFilter,
    spec.actionType,
    integrationId,
    config,
  ];
}

export class Triggers {
  constructor(
    private readonly db: Db,
    private readonly store: Store,
  ) {}

  byId(id: number): TriggerRow | undefined {
    return this.db.prepare('SELECT * FROM triggers WHERE id = ?').get(id) as TriggerRow | undefined;
  }

  /** The scope of a trigger (its project, and its collection for a collection scope). */
  scopeOf(t: TriggerRow): TriggerScope {
    if (t.scope_type === 'ARTIFACT_COLLECTION') {
      const collection = artifactStore(this.store).collectionById(t.scope_collection_id as number) as CollectionRow;
      return { type: 'ARTIFACT_COLLECTION', collection, project: this.store.projects.byId(collection.project_id) as ProjectRow };
    }
    return { type: 'PROJECT', project: this.store.projects.byId(t.scope_project_id as number) as ProjectRow };
  }

  /** createFilterTrigger: a ConflictError when the entity has an automation of that name. */
  create(viewer: UserRow, spec: TriggerSpec): TriggerRow {
    const project = spec.scope.project;
    if (!canManageScope(this.store, viewer, project)) throw new ForbiddenError(`permission denied: ${viewer.username} cannot manage automations of ${project.entity_name}/${project.name}`);
    const name = checkName(spec.name);
    checkEvent(spec);
    const { integration, config } = checkAction(this.store, viewer, project.entity_id, spec.actionType, spec.action);
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM triggers WHERE entity_id = ? AND name = ?').get(project.entity_id, name)) {
        throw new ConflictError(`an automation named ${JSON.stringify(name)} exists already in ${project.entity_name}`);
      }
      return this.db
        .prepare(
          `INSERT INTO triggers (entity_id, ${SPEC_COLUMNS.join(', ')}, created_by, created_at)
           VALUES (?, ${SPEC_COLUMNS.map(() => '?').join(', ')}, ?, ?) RETURNING *`,
        )
        .get(project.entity_id, ...specValues(name, spec, integration?.id ?? null, config), viewer.id, wandbTime()) as TriggerRow;
    });
  }

  /** The trigger by id for someone who may change it: NotFoundError when missing or unreadable, ForbiddenError for members who are not admins. */
  requireManaged(viewer: UserRow, id: number | undefined): TriggerRow {
    const t = id === undefined ? undefined : this.byId(id);
    const entity = t && this.store.entities.byId(t.entity_id);
    if (!t || !entity || !canReadEntity(this.store, viewer, entity)) throw new NotFoundError('automation not found');
    if (!canManageScope(this.store, viewer, this.scopeOf(t).project)) throw new ForbiddenError(`permission denied: ${viewer.username} cannot manage automation ${JSON.stringify(t.name)}`);
    return t;
  }

  /** updateFilterTrigger: the fields given replace the saved ones, checked as a whole (all or nothing). */
  update(viewer: UserRow, current: TriggerRow, patch: Partial<TriggerSpec>): TriggerRow {
    const saved = this.specOf(current);
    const next: TriggerSpec = { ...saved, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    if (next.scope.project.entity_id !== current.entity_id) throw new UserInputError('an automation cannot move to another entity');
    if (!canManageScope(this.store, viewer, next.scope.project)) throw new ForbiddenError(`permission denied: ${viewer.username} cannot manage automations of ${next.scope.project.name}`);
    const name = checkName(next.name);
    checkEvent(next);
    const { integration, config } = checkAction(this.store, viewer, current.entity_id, next.actionType, next.action);
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM triggers WHERE entity_id = ? AND name = ? AND id != ?').get(current.entity_id, name, current.id)) {
        throw new ConflictError(`an automation named ${JSON.stringify(name)} exists already`);
      }
      // A changed condition starts again: runs that matched the old one may match the new one anew.
      if (next.eventFilter !== current.event_filter || next.eventType !== current.event_type) this.db.prepare('DELETE FROM trigger_run_matches WHERE trigger_id = ?').run(current.id);
      return this.db
        .prepare(`UPDATE triggers SET ${SPEC_COLUMNS.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ? RETURNING *`)
        .get(...specValues(name, next, integration?.id ?? null, config), wandbTime(), current.id) as TriggerRow;
    });
  }

  delete(t: TriggerRow): void {
    this.db.prepare('DELETE FROM triggers WHERE id = ?').run(t.id);
  }

  /** The saved trigger as a spec (what an update starts from). */
  specOf(t: TriggerRow): TriggerSpec {
    const config = JSON.parse(t.action_config) as Record<string, string | null>;
    const action: ActionSpec =
      t.action_type === 'GENERIC_WEBHOOK'
        ? { genericWebhook: { integrationId: t.integration_id ?? undefined, requestPayload: config.requestPayload } }
        : t.action_type === 'NOTIFICATION'
          ? { notification: { integrationId: t.integration_id ?? undefined, title: config.title, message: config.message, severity: config.severity } }
          : { noOp: {} };
    return {
      name: t.name,
      description: t.description,
      enabled: t.enabled === 1,
      scope: this.scopeOf(t),
      eventType: t.event_type,
      eventFilter: t.event_filter,
      actionType: t.action_type,
      action,
    };
  }

  /**
   * One page of an entity's triggers, oldest first; `name` keeps one name (Entity.triggers' filters).
   * Members and server admins only.
   */
  listOfEntity(entityId: number, page: { first: number; afterId: number; name?: string | undefined }): { rows: TriggerRow[]; hasNextPage: boolean; total: number } {
    const where = page.name === undefined ? 'entity_id = ?' : 'entity_id = ? AND name = ?';
    const params = page.name === undefined ? [entityId] : [entityId, page.name];
    const rows = this.db.prepare(`SELECT * FROM triggers WHERE ${where} AND id > ? ORDER BY id LIMIT ?`).all(...params, page.afterId, page.first + 1) as TriggerRow[];
    const total = this.db.prepare(`SELECT count(*) FROM triggers WHERE ${where}`).pluck().get(...params) as number;
    return { rows: rows.slice(0, page.first), hasNextPage: rows.length > page.first, total };
  }

  /** The triggers of a project and of its collections (Project.triggers), oldest first. */
  ofProject(projectId: number): TriggerRow[] {
    return this.db
      .prepare(
        `SELECT * FROM triggers WHERE scope_project_id = ?
           OR scope_collection_id IN (SELECT id FROM artifact_collections WHERE project_id = ?) ORDER BY id`,
      )
      .all(projectId, projectId) as TriggerRow[];
  }

  /** Enabled triggers of an event type watching a project or one of the given collections. */
  watching(eventType: string, projectId: number, collectionIds: readonly number[]): TriggerRow[] {
    const marks = collectionIds.map(() => '?').join(', ');
    const inCollections = collectionIds.length ? `OR scope_collection_id IN (${marks})` : '';
    return this.db
      .prepare(`SELECT * FROM triggers WHERE enabled = 1 AND event_type = ? AND (scope_project_id = ? ${inCollections}) ORDER BY id`)
      .all(eventType, projectId, ...collectionIds) as TriggerRow[];
  }

  /** Whether the run met the trigger's metric condition at its last evaluation; records the new answer. */
  swapRunMatch(triggerId: number, runId: number, met: boolean): boolean {
    const was = this.db.prepare('SELECT 1 FROM trigger_run_matches WHERE trigger_id = ? AND run_id = ?').get(triggerId, runId) !== undefined;
    if (met && !was) this.db.prepare('INSERT INTO trigger_run_matches (trigger_id, run_id) VALUES (?, ?)').run(triggerId, runId);
    if (!met && was) this.db.prepare('DELETE FROM trigger_run_matches WHERE trigger_id = ? AND run_id = ?').run(triggerId, runId);
    return was;
  }
}

/**
 * The triggers (automations) of a Store.
 * @example triggers(store).ofProject(project.id)
 */
export const triggers: (store: Store) => Triggers = storePart((store) => new Triggers(store.db, store));
