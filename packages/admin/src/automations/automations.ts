// Automations (W&B triggers): listing, reading one by name, creating, updating and deleting, with
// the documents and the input JSON Python's wandb.Api sends. Team admins manage an entity's
// automations; anyone else gets PermissionError (403).
import {
  type CallOptions,
  ConflictError,
  NotFoundError,
  Paginated,
  ValidationError,
  type WandbClient,
  checkPerPage,
  hasServerFeature,
  parseJson,
  endCursorOf,
} from '@wandb-api/core';
import {
  CreateAutomationDocument,
  DeleteAutomationDocument,
  GetAutomationsLegacyDocument,
  GetEntityAutomationsDocument,
  GetEntityAutomationsLegacyDocument,
  type TriggerFieldsFragment,
  UpdateAutomationDocument,
} from '../generated/graphql.js';
import { type AlertSeverity, type AutomationAction, type JsonObject, actionConfig, checkAction } from './actions.js';
import { type AutomationEvent, type AutomationScope, type EventType, type NewAutomation, toScope } from './events.js';
import type { SlackIntegration, WebhookIntegration } from './integrations.js';

/** A saved automation's event: its type and its filter as W&B stores it (an artifact filter unwrapped). */
export interface SavedEvent {
  /** W&B's event type (`UPDATE_ARTIFACT_ALIAS` only on old automations). */
  readonly eventType: EventType | 'UPDATE_ARTIFACT_ALIAS';
  /** The filter: a MongoDB-like filter for artifact events, `{run_filter, run_metric_filter | run_state_filter}` for run events. */
  readonly filter: unknown;
}

/** A saved automation's action, with its integration. */
export type SavedAction =
  | {
      /** Sends a webhook request. */
      readonly actionType: 'GENERIC_WEBHOOK';
      /** The webhook integration. */
      readonly integration: WebhookIntegration;
      /** The payload template; null for none. */
      readonly requestPayload: JsonObject | null;
    }
  | {
      /** Posts to Slack. */
      readonly actionType: 'NOTIFICATION';
      /** The Slack integration. */
      readonly integration: SlackIntegration;
      /** The title. */
      readonly title: string | null;
      /** The message. */
      readonly message: string | null;
      /** The severity. */
      readonly severity: AlertSeverity | null;
    }
  | {
      /** Does nothing. */
      readonly actionType: 'NO_OP';
    };

/** A saved automation (Python's Automation). Change it by spreading: `updateAutomation(client, { ...automation, enabled: false })`. */
export interface Automation {
  /** The automation's id. */
  readonly id: string;
  /** Its name, unique in its entity. */
  readonly name: string;
  /** Free text; null when none. */
  readonly description: string | null;
  /** Whether it fires. */
  readonly enabled: boolean;
  /** When it was created (ISO 8601, UTC). */
  readonly createdAt: string;
  /** When it last changed; null if never. */
  readonly updatedAt: string | null;
  /** Where its event must happen; null for a scope this client does not read (an entity, on newer W&B servers). */
  readonly scope: AutomationScope | null;
  /** What starts it. */
  readonly event: SavedEvent;
  /** What it does. */
  readonly action: SavedAction;
}

/** An automation with changes: a saved one spread with new fields, `event` and `action` from the builders or as saved. */
export interface AutomationChanges {
  /** The automation's id. */
  readonly id: string;
  /** Its name. */
  readonly name: string;
  /** Its description. */
  readonly description: string | null;
  /** Whether it fires. */
  readonly enabled: boolean;
  /** Its scope (an event from the builders brings its own). */
  readonly scope: AutomationScope | null;
  /** What starts it. */
  readonly event: SavedEvent | AutomationEvent;
  /** What it does. */
  readonly action: SavedAction | AutomationAction;
}

/** Run events; every other event type is an artifact event, whose saved filter W&B wraps in `{"filter": …}`. */
const RUN_EVENTS: readonly string[] = ['RUN_METRIC', 'RUN_METRIC_CHANGE', 'RUN_METRIC_ZSCORE', 'RUN_STATE'];

function toSavedAction(action: TriggerFieldsFragment['action']): SavedAction {
  if (action.__typename === 'GenericWebhookTriggeredAction') {
    const i = action.integration as { id: string; name: string; urlEndpoint: string };
    return {
      actionType: 'GENERIC_WEBHOOK',
      integration: { type: 'webhook', id: i.id, name: i.name, urlEndpoint: i.urlEndpoint },
      requestPayload: action.requestPayload ? (parseJson(action.requestPayload) as JsonObject) : null,
    };
  }
  if (action.__typename === 'NotificationTriggeredAction') {
    const i = action.integration as { id: string; teamName: string; channelName: string };
    return {
      actionType: 'NOTIFICATION',
      integration: { type: 'slack', id: i.id, teamName: i.teamName, channelName: i.channelName },
      title: action.title,
      message: action.message,
      severity: action.severity as AlertSeverity | null,
    };
  }
  return { actionType: 'NO_OP' };
}

function toSavedScope(scope: TriggerFieldsFragment['scope']): AutomationScope | null {
  const s = scope as { __typename?: string; id?: string; name?: string };
  if (s.__typename === 'ArtifactSequence' || s.__typename === 'ArtifactPortfolio') {
    return { scopeType: 'ARTIFACT_COLLECTION', id: s.id as string, name: s.name as string, collectionType: s.__typename };
  }
  return s.__typename === 'Project' ? toScope({ id: s.id as string, name: s.name as string }) : null;
}

/**
 * Decodes a Trigger node into an Automation.
 * @example const a = toAutomation(data.result.trigger);
 */
export function toAutomation(node: TriggerFieldsFragment): Automation {
  const saved = parseJson(node.event.filter) as Record<string, unknown>;
  return {
    id: node.id,
    name: node.name,
    description: node.description,
    enabled: node.enabled,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    scope: toSavedScope(node.scope),
    event: { eventType: node.event.eventType as SavedEvent['eventType'], filter: RUN_EVENTS.includes(node.event.eventType) ? saved : saved.filter },
    action: toSavedAction(node.action),
  };
}

/** Options of listAutomations. */
export interface ListAutomationsOptions extends CallOptions {
  /** Only automations of this name. */
  name?: string;
  /** Per request (default 50, as Python). */
  perPage?: number;
}

function pageOf(nodes: readonly TriggerFieldsFragment[], name: string | undefined): Automation[] {
  return nodes.filter((t) => name === undefined || t.name === name).map(toAutomation);
}

/**
 * The automations of an entity, or without one every automation in the projects of the entities the
 * viewer belongs to (as Python walks them); `name` keeps one name.
 * @example for await (const a of listAutomations(client, 'vision-team')) console.log(a.name, a.event.eventType);
 */
export function listAutomations(client: WandbClient, entity?: string, options: ListAutomationsOptions = {}): Paginated<Automation> {
  const perPage = checkPerPage(options.perPage, 50);
  const { name } = options;
  if (entity !== undefined && (typeof entity !== 'string' || entity.trim() === '' || entity.includes('/'))) throw new ValidationError(`Invalid entity '${String(entity)}'.`);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new ValidationError('An automation name must be a non-empty string.');
  return new Paginated({
    signal: options.signal,
    idOf: (a) => a.id,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      if (entity === undefined) {
        const data = await client.request(GetAutomationsLegacyDocument, { cursor, perPage }, call);
        const projects = data.scope?.projects;
        if (!projects) return { items: [], cursor: null, hasNextPage: false };
        return { items: projects.edges.flatMap((e) => pageOf(e.node?.triggers ?? [], name)), cursor: endCursorOf(projects), hasNextPage: projects.pageInfo.hasNextPage };
      }
      // Servers before W&B 0.83 have no Entity.triggers: walk the entity's projects instead.
      if (!(await hasServerFeature(client, 'QUERY_AUTOMATIONS_ON_ENTITY', call))) {
        const data = await client.request(GetEntityAutomationsLegacyDocument, { entity, cursor, perPage }, call);
        const projects = data.scope?.projects;
        if (!projects) throw new NotFoundError(`Could not find entity '${entity}'.`, { status: 404 });
        return { items: projects.edges.flatMap((e) => pageOf(e.node?.triggers ?? [], name)), cursor: endCursorOf(projects), hasNextPage: projects.pageInfo.hasNextPage };
      }
      const filters = name === undefined ? null : JSON.stringify({ name });
      const data = await client.request(GetEntityAutomationsDocument, { entity, cursor, perPage, filters }, call);
      if (!data.scope) throw new NotFoundError(`Could not find entity '${entity}'.`, { status: 404 });
      const triggers = data.scope.triggers;
      return { items: pageOf(triggers.edges.map((e) => e.node), undefined), cursor: endCursorOf(triggers), hasNextPage: triggers.pageInfo.hasNextPage };
    },
  });
}

/**
 * The one automation named `name` (in `entity`, else among all the viewer sees). NotFoundError when
 * there is none; ValidationError when several share the name (name the entity).
 * @example const a = await getAutomation(client, 'deploy-on-prod', { entity: 'vision-team' });
 */
export async function getAutomation(client: WandbClient, name: string, options: { entity?: string } & CallOptions = {}): Promise<Automation> {
  const { entity, ...call } = options;
  const found = await listAutomations(client, entity, { ...call, name }).toArray({ limit: 2 });
  if (found.length === 0) throw new NotFoundError(`No automation named '${name}'${entity ? ` in '${entity}'` : ''}.`, { status: 404 });
  if (found.length > 1) throw new ValidationError(`Several automations are named '${name}': pass the entity.`);
  return found[0] as Automation;
}

/** Options of createAutomation. */
export interface CreateAutomationOptions extends CallOptions {
  /** The name (overrides the one on the new automation). */
  name?: string;
  /** Free text (overrides the new automation's). */
  description?: string;
  /** Whether it fires (default true). */
  enabled?: boolean;
  /** When one of that name exists, return it instead of throwing ConflictError (Python's `fetch_existing`). */
  fetchExisting?: boolean;
}

function isBuilt(event: SavedEvent | AutomationEvent): event is AutomationEvent {
  return typeof (event as AutomationEvent).do === 'function';
}

/** The JSON W&B takes as `eventFilter`: a saved artifact filter goes back unwrapped, a run filter as saved. */
const eventFilterText = (event: SavedEvent | AutomationEvent): string => JSON.stringify(event.filter);

/** A saved action as the input that sets it again. */
function actionInput(action: SavedAction | AutomationAction): AutomationAction {
  if ('integrationId' in action || action.actionType === 'NO_OP') return checkAction(action);
  if (action.actionType === 'GENERIC_WEBHOOK') return { actionType: 'GENERIC_WEBHOOK', integrationId: action.integration.id, requestPayload: action.requestPayload };
  if (action.actionType === 'NOTIFICATION') {
    return { actionType: 'NOTIFICATION', integrationId: action.integration.id, title: action.title ?? '', message: action.message ?? '', severity: action.severity ?? 'INFO' };
  }
  throw new ValidationError(`A ${String((action as { actionType: unknown }).actionType)} action cannot be assigned to automations.`);
}

function checkEventType(event: SavedEvent | AutomationEvent): EventType {
  if (event.eventType === 'UPDATE_ARTIFACT_ALIAS') throw new ValidationError('UPDATE_ARTIFACT_ALIAS events cannot be assigned to automations: use onAddArtifactAlias.');
  return event.eventType;
}

/** CreateFilterTriggerInput, key for key as Python's ValidatedCreateInput dumps it. */
function createInput(name: string, description: string | undefined, enabled: boolean, event: AutomationEvent, action: AutomationAction) {
  return {
    enabled,
    eventFilter: eventFilterText(event),
    name,
    scopeID: event.scope.id,
    scopeType: event.scope.scopeType,
    triggeredActionConfig: actionConfig(action),
    triggeredActionType: action.actionType,
    triggeringEventType: checkEventType(event),
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * Creates an automation from an event and an action (`onAddArtifactAlias({...}).do(sendWebhook(...))`).
 * The name comes from `options.name` or the new automation; ConflictError when the entity has one of
 * that name, unless `fetchExisting`. Everything is checked before the request.
 * @example await createAutomation(client, onRunState({ scope: project, filter: RunEvent.state.eq('failed') }).do(sendWebhook(hook)), { name: 'on-failure' });
 */
export async function createAutomation(client: WandbClient, automation: NewAutomation, options: CreateAutomationOptions = {}): Promise<Automation> {
  const { name: givenName, description: givenDescription, enabled: givenEnabled, fetchExisting = false, ...call } = options;
  if (!automation || typeof automation !== 'object' || !automation.event || !isBuilt(automation.event)) {
    throw new ValidationError('createAutomation takes a new automation: event.do(action).');
  }
  const name = givenName ?? automation.name;
  if (typeof name !== 'string' || name.trim() === '') throw new ValidationError('An automation needs a name: pass { name }.');
  const description = givenDescription ?? automation.description;
  const enabled = givenEnabled ?? automation.enabled ?? true;
  const input = createInput(name, description, enabled, automation.event, checkAction(automation.action));
  try {
    const data = await client.request(CreateAutomationDocument, { input }, call);
    if (!data.result?.trigger) throw new ValidationError(`The server created no automation '${name}'.`);
    return toAutomation(data.result.trigger);
  } catch (error) {
    if (!(error instanceof ConflictError) || !fetchExisting) throw error;
    const entity = automation.event.scope.entity;
    return getAutomation(client, name, { ...call, ...(entity === undefined ? {} : { entity }) });
  }
}

/**
 * Saves an automation's fields (a saved automation spread with changes; a new event or action from
 * the builders). NotFoundError when it no longer exists, unless `createMissing` creates it.
 * @example await updateAutomation(client, { ...automation, enabled: false, description: 'paused' });
 */
export async function updateAutomation(client: WandbClient, automation: AutomationChanges, options: { createMissing?: boolean } & CallOptions = {}): Promise<Automation> {
  const { createMissing = false, ...call } = options;
  if (!automation || typeof automation.id !== 'string' || automation.id === '') throw new ValidationError('updateAutomation needs a saved automation (with its id).');
  if (typeof automation.name !== 'string' || automation.name.trim() === '') throw new ValidationError('An automation needs a name.');
  // A new event brings its own scope (Python keeps the saved scope and drops the new event's).
  const scope = isBuilt(automation.event) ? automation.event.scope : automation.scope && toScope(automation.scope);
  if (!scope) throw new ValidationError('This automation has a scope this client cannot write: give it a new event.');
  const action = actionInput(automation.action);
  const input = {
    id: automation.id,
    name: automation.name,
    description: automation.description,
    enabled: automation.enabled,
    scopeType: scope.scopeType,
    scopeID: scope.id,
    triggeringEventType: checkEventType(automation.event),
    eventFilter: eventFilterText(automation.event),
    triggeredActionType: action.actionType,
    triggeredActionConfig: actionConfig(action),
  };
  try {
    const data = await client.request(UpdateAutomationDocument, { input }, call);
    if (!data.result?.trigger) throw new ValidationError(`The server updated no automation '${automation.name}'.`);
    return toAutomation(data.result.trigger);
  } catch (error) {
    if (!(error instanceof NotFoundError) || !createMissing) throw error;
    const { id: _, ...rest } = input;
    const data = await client.request(CreateAutomationDocument, { input: { ...rest, description: rest.description ?? null } }, call);
    if (!data.result?.trigger) throw new ValidationError(`The server created no automation '${automation.name}'.`);
    return toAutomation(data.result.trigger);
  }
}

/**
 * Deletes an automation (or the one with this id); NotFoundError when it does not exist.
 * @example await deleteAutomation(client, automation);
 */
export async function deleteAutomation(client: WandbClient, automation: Pick<Automation, 'id'> | string, options?: CallOptions): Promise<true> {
  const id = typeof automation === 'string' ? automation : automation?.id;
  if (typeof id !== 'string' || id === '') throw new ValidationError('deleteAutomation needs an automation or its id.');
  const data = await client.request(DeleteAutomationDocument, { id }, options);
  if (!data.result?.success) throw new ValidationError(`The server did not delete automation '${id}'.`);
  return true;
}
