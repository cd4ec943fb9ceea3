// What starts an automation (Python's OnCreateArtifact, OnLinkArtifact, OnAddArtifactAlias, …,
// OnRunMetric, OnRunState) and where (its scope: a project, a registry or an artifact collection).
// The types refuse what W&B refuses where they can — a run event on a registry or a collection, an
// artifact filter on a run event, a collection-only event on a project — and the builders throw a
// ValidationError before any request for the rest (a project named `wandb-registry-*` is a registry).
import { ValidationError } from '@wandb-api/core';
import { type AutomationAction, checkAction } from './actions.js';
import {
  type Filter,
  type MetricFilter,
  type RunMetricFilter,
  type RunStateFilter,
  type StateFilter,
  artifactFilterJson,
  metricFilterJson,
  stateFilterJson,
} from './filters.js';

/** Registries are projects named with this prefix. */
const REGISTRY_PREFIX = 'wandb-registry-';

/** A project an automation watches. */
export interface ProjectScope {
  /** W&B's scope type. */
  readonly scopeType: 'PROJECT';
  /** The project's id. */
  readonly id: string;
  /** The project's name. */
  readonly name: string;
  /** False: not a registry. */
  readonly registry: false;
  /** The project's entity, when known (automations belong to it). */
  readonly entity?: string | undefined;
}

/** A registry an automation watches (W&B keeps a registry as a `wandb-registry-*` project). */
export interface RegistryScope {
  /** W&B's scope type: a registry is a project. */
  readonly scopeType: 'PROJECT';
  /** The registry project's id. */
  readonly id: string;
  /** The registry project's name, `wandb-registry-<name>`. */
  readonly name: string;
  /** True: a registry. */
  readonly registry: true;
  /** The organization's entity, when known. */
  readonly entity?: string | undefined;
}

/** An artifact collection an automation watches: a sequence (where versions are logged) or a portfolio (a registry collection). */
export interface CollectionScope {
  /** W&B's scope type. */
  readonly scopeType: 'ARTIFACT_COLLECTION';
  /** The collection's id. */
  readonly id: string;
  /** The collection's name. */
  readonly name: string;
  /** Which kind of collection. */
  readonly collectionType: 'ArtifactSequence' | 'ArtifactPortfolio';
  /** The entity of its project, when known. */
  readonly entity?: string | undefined;
}

/** Where an automation's event must happen. */
export type AutomationScope = ProjectScope | RegistryScope | CollectionScope;

/** A project as `api.project()` returns it (anything with an id and a name that is not a registry or a collection). */
export interface ProjectLike {
  /** The project's id. */
  readonly id: string;
  /** The project's name. */
  readonly name: string;
  /** The project's entity. */
  readonly entity?: string;
  /** Absent: a registry has one. */
  readonly fullName?: never;
  /** Absent: a collection has one. */
  readonly kind?: never;
  /** Absent: a scope has one. */
  readonly scopeType?: never;
}

/** A registry as `api.registry()` returns it. */
export interface RegistryLike {
  /** The registry project's id. */
  readonly id: string;
  /** `wandb-registry-<name>`. */
  readonly fullName: string;
  /** The organization's entity. */
  readonly entity?: string;
  /** Absent: a collection has one. */
  readonly kind?: never;
  /** Absent: a scope has one. */
  readonly scopeType?: never;
}

/** An artifact collection as `api.artifactCollection()` returns it. */
export interface CollectionLike {
  /** The collection's id. */
  readonly id: string;
  /** The collection's name. */
  readonly name: string;
  /** `sequence` or `portfolio`. */
  readonly kind: 'sequence' | 'portfolio';
  /** The entity of its project. */
  readonly entity?: string;
  /** Absent: a scope has one. */
  readonly scopeType?: never;
}

/** What a run event's scope may be: a project (not a registry, not a collection). */
export type ProjectScopeInput = ProjectScope | ProjectLike;
/** What a collection-only event's scope may be. */
export type CollectionScopeInput = CollectionScope | CollectionLike;
/** What an artifact event's scope may be. */
export type ScopeInput = AutomationScope | ProjectLike | RegistryLike | CollectionLike;

const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new ValidationError(`The scope needs ${what}.`);
  return value;
};

/**
 * The scope of an object: a project (a registry when named `wandb-registry-*`), a registry or a collection.
 * @example toScope(await api.registry('model')) // { scopeType: 'PROJECT', registry: true, name: 'wandb-registry-model', … }
 */
export function toScope(input: ScopeInput): AutomationScope {
  if (input === null || typeof input !== 'object') throw new ValidationError('An automation scope must be a project, a registry or an artifact collection.');
  const id = text(input.id, 'an id');
  const entity = typeof input.entity === 'string' ? input.entity : undefined;
  const scopeType = (input as { scopeType?: unknown }).scopeType;
  if (scopeType !== undefined) {
    if (scopeType !== 'PROJECT' && scopeType !== 'ARTIFACT_COLLECTION') throw new ValidationError(`Unknown scope type ${JSON.stringify(scopeType)}.`);
    return Object.freeze({ ...(input as AutomationScope) });
  }
  if ('fullName' in input && input.fullName !== undefined) return Object.freeze({ scopeType: 'PROJECT', id, name: text(input.fullName, 'a name'), registry: true, entity });
  if ('kind' in input && input.kind !== undefined) {
    const collectionType = input.kind === 'portfolio' ? 'ArtifactPortfolio' : input.kind === 'sequence' ? 'ArtifactSequence' : undefined;
    if (!collectionType) throw new ValidationError(`Unknown collection kind ${JSON.stringify(input.kind)}.`);
    return Object.freeze({ scopeType: 'ARTIFACT_COLLECTION', id, name: text(input.name, 'a name'), collectionType, entity });
  }
  const name = text((input as ProjectLike).name, 'a name');
  return Object.freeze(name.startsWith(REGISTRY_PREFIX) ? { scopeType: 'PROJECT', id, name, registry: true, entity } : { scopeType: 'PROJECT', id, name, registry: false, entity });
}

/** The event types of W&B automations (W&B's wire names: linking is `LINK_MODEL`). */
export type EventType =
  | 'CREATE_ARTIFACT'
  | 'LINK_MODEL'
  | 'UNLINK_ARTIFACT'
  | 'ADD_ARTIFACT_ALIAS'
  | 'ADD_ARTIFACT_TAG'
  | 'REMOVE_ARTIFACT_TAG'
  | 'ADD_COLLECTION_TAG'
  | 'REMOVE_COLLECTION_TAG'
  | 'RUN_METRIC'
  | 'RUN_METRIC_CHANGE'
  | 'RUN_METRIC_ZSCORE'
  | 'RUN_STATE';

/** An automation's event: its type, its scope and its filter as the JSON W&B stores. */
export interface AutomationEvent<T extends EventType = EventType> {
  /** W&B's event type. */
  readonly eventType: T;
  /** Where the event must happen. */
  readonly scope: AutomationScope;
  /** The event filter, exactly the JSON Python sends for the same event. */
  readonly filter: unknown;
  /**
   * A new automation in which this event runs `action` (Python's `event.then(action)` or `event >> action`;
   * not `then`, which would make every event a thenable that `await` calls).
   */
  do(action: AutomationAction): NewAutomation;
}

/** An automation to create: an event and an action; name it here or in createAutomation's options. */
export interface NewAutomation {
  /** What starts it. */
  readonly event: AutomationEvent;
  /** What it does. */
  readonly action: AutomationAction;
  /** Its name (unique in the scope's entity). */
  readonly name?: string;
  /** Free text. */
  readonly description?: string;
  /** Whether it fires (default true). */
  readonly enabled?: boolean;
}

function event<T extends EventType>(eventType: T, scope: AutomationScope, filter: unknown): AutomationEvent<T> {
  const made: AutomationEvent<T> = Object.freeze({
    eventType,
    scope,
    filter,
    do: (action: AutomationAction): NewAutomation => Object.freeze({ event: made, action: checkAction(action) }),
  });
  return made;
}

/** The options of an artifact event: its scope and, optionally, a filter on `ArtifactEvent.alias` / `.tag`. */
export interface ArtifactEventOptions<S = ScopeInput> {
  /** Where: a project, a registry or a collection. */
  readonly scope: S;
  /** Which aliases or tags (default: any). */
  readonly filter?: Filter<'artifact'>;
}

function artifactEvent<T extends EventType>(eventType: T, options: ArtifactEventOptions): AutomationEvent<T> {
  return event(eventType, toScope(options?.scope), artifactFilterJson(options.filter));
}

/**
 * A new artifact version is created in a collection (Python's OnCreateArtifact; a collection scope only).
 * @example onCreateArtifact({ scope: await api.artifactCollection('dataset', 'demo/mnist/mnist-data') })
 */
export function onCreateArtifact(options: ArtifactEventOptions<CollectionScopeInput>): AutomationEvent<'CREATE_ARTIFACT'> {
  const made = artifactEvent('CREATE_ARTIFACT', options);
  if (made.scope.scopeType !== 'ARTIFACT_COLLECTION') throw new ValidationError('onCreateArtifact needs an artifact collection scope.');
  return made;
}

/**
 * A version is linked to a collection, usually of a registry (Python's OnLinkArtifact).
 * @example onLinkArtifact({ scope: await api.registry('model'), filter: ArtifactEvent.alias.eq('staging') })
 */
export function onLinkArtifact(options: ArtifactEventOptions): AutomationEvent<'LINK_MODEL'> {
  return artifactEvent('LINK_MODEL', options);
}

/** A version is unlinked from a collection (Python's OnUnlinkArtifact). */
export function onUnlinkArtifact(options: ArtifactEventOptions): AutomationEvent<'UNLINK_ARTIFACT'> {
  return artifactEvent('UNLINK_ARTIFACT', options);
}

/**
 * An alias is added to a version (Python's OnAddArtifactAlias); the filter sees the alias added.
 * @example onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') })
 */
export function onAddArtifactAlias(options: ArtifactEventOptions): AutomationEvent<'ADD_ARTIFACT_ALIAS'> {
  return artifactEvent('ADD_ARTIFACT_ALIAS', options);
}

/** A tag is added to a version (Python's OnAddArtifactTag); the filter sees the tag. */
export function onAddArtifactTag(options: ArtifactEventOptions): AutomationEvent<'ADD_ARTIFACT_TAG'> {
  return artifactEvent('ADD_ARTIFACT_TAG', options);
}

/** A tag is removed from a version (Python's OnRemoveArtifactTag). */
export function onRemoveArtifactTag(options: ArtifactEventOptions): AutomationEvent<'REMOVE_ARTIFACT_TAG'> {
  return artifactEvent('REMOVE_ARTIFACT_TAG', options);
}

/** A tag is added to a collection (Python's OnAddCollectionTag). */
export function onAddCollectionTag(options: ArtifactEventOptions): AutomationEvent<'ADD_COLLECTION_TAG'> {
  return artifactEvent('ADD_COLLECTION_TAG', options);
}

/** A tag is removed from a collection (Python's OnRemoveCollectionTag). */
export function onRemoveCollectionTag(options: ArtifactEventOptions): AutomationEvent<'REMOVE_COLLECTION_TAG'> {
  return artifactEvent('REMOVE_COLLECTION_TAG', options);
}

function projectScope(input: ProjectScopeInput, what: string): AutomationScope {
  const scope = toScope(input);
  if (scope.scopeType !== 'PROJECT' || scope.registry) throw new ValidationError(`${what} needs a project scope, not a registry or a collection.`);
  return scope;
}

/**
 * A run's metric meets a condition (Python's OnRunMetric): a threshold, a change or a z-score; the
 * event type follows from the condition.
 * @example onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(5).gt(0.5) }).do(sendWebhook(hook, { loss: '${metric_value}' }))
 */
export function onRunMetric<M extends MetricFilter>(options: {
  /** The project whose runs are watched. */
  readonly scope: ProjectScopeInput;
  /** The metric condition, alone or `and`-ed with a run filter. */
  readonly filter: M | RunMetricFilter<M>;
}): AutomationEvent<M['eventType']> {
  const scope = projectScope(options?.scope, 'onRunMetric');
  const filter = options.filter as MetricFilter | RunMetricFilter;
  const [metric, run] = filter && 'metric' in filter ? [filter.metric, filter.run] : [filter as MetricFilter, undefined];
  if (!metric || !['RUN_METRIC', 'RUN_METRIC_CHANGE', 'RUN_METRIC_ZSCORE'].includes(metric.eventType)) {
    throw new ValidationError('onRunMetric needs a metric condition, e.g. RunEvent.metric("loss").gt(1).');
  }
  return event(metric.eventType, scope, metricFilterJson(metric, run));
}

/**
 * A run reaches a state (Python's OnRunState).
 * @example onRunState({ scope: project, filter: RunEvent.state.in(['finished', 'failed']) })
 */
export function onRunState(options: {
  /** The project whose runs are watched. */
  readonly scope: ProjectScopeInput;
  /** The state condition, alone or `and`-ed with a run filter. */
  readonly filter: StateFilter | RunStateFilter;
}): AutomationEvent<'RUN_STATE'> {
  const scope = projectScope(options?.scope, 'onRunState');
  const filter = options.filter;
  const [state, run] = filter && 'state' in filter ? [filter.state, filter.run] : [filter as StateFilter, undefined];
  if (!state || !Array.isArray(state.states)) throw new ValidationError('onRunState needs a state condition, e.g. RunEvent.state.eq("failed").');
  return event('RUN_STATE', scope, stateFilterJson(state, run));
}
