/** Feature flags clients probe via serverInfo.features (see the reference, §1.6), with the server's overrides. */
import type { OrganizationRow } from '../store/organizations';
import type { Store } from '../store/store';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

const DEFAULT_FEATURES: Readonly<Record<string, boolean>> = {
  SWEEPS_QUERY_FILTERING: true,
  MARK_RUN_FILES_UPLOADED: true,
  // Sweeps: enqueueSweepRun into sweeps that use a scheduler (graphql/sweep.ts).
  SWEEPS_LOCAL_SCHEDULER: true,
  // Run lifecycle: updateRunState enforces W&B's transitions and answers an illegal one with an error.
  UPDATE_RUN_STATE: true,
  // file_stream bodies may be gzipped (http/fileStream.ts).
  FILESTREAM_GZIP: true,
  // Artifacts and registries (art-server): everything this server implements.
  ARTIFACT_REGISTRY_SEARCH: true,
  INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION: true,
  ARTIFACT_COLLECTIONS_FILTERING_SORTING: true,
  TOTAL_COUNT_IN_FILE_CONNECTION: true,
  ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE: true,
  ARTIFACT_V2_DOWNLOAD_HANDLER_SUPPORTS_ARTIFACT_ID: true,
  // Automations (graphql/automations.ts): Entity.triggers and the gated events and actions. Not the
  // ENTITY scope, Aria or push notifications: clients then leave out the fragments this schema lacks.
  QUERY_AUTOMATIONS_ON_ENTITY: true,
  AUTOMATION_EVENT_RUN_METRIC: true,
  AUTOMATION_EVENT_RUN_METRIC_CHANGE: true,
  AUTOMATION_EVENT_RUN_METRIC_ZSCORE: true,
  AUTOMATION_EVENT_RUN_STATE: true,
  AUTOMATION_EVENT_ADD_ARTIFACT_TAG: true,
  AUTOMATION_EVENT_REMOVE_ARTIFACT_TAG: true,
  AUTOMATION_EVENT_ADD_COLLECTION_TAG: true,
  AUTOMATION_EVENT_REMOVE_COLLECTION_TAG: true,
  AUTOMATION_EVENT_UNLINK_ARTIFACT: true,
  AUTOMATION_ACTION_NO_OP: true,
};

/** Every feature with its state: the defaults, then StartServerOptions.features on top. */
export function serverFeatures(store: Store): { name: string; isEnabled: boolean }[] {
  return Object.entries({ ...DEFAULT_FEATURES, ...store.features }).map(([name, isEnabled]) => ({ name, isEnabled }));
}

export function isFeatureEnabled(store: Store, name: string): boolean {
  return store.features[name] ?? DEFAULT_FEATURES[name] ?? false;
}

/**
 * Organization.featureFlags: the organization's ramps from StartServerOptions.orgFeatureFlags (none
 * by default). `rampIDType: OrgName` (wandb-core's only value) asks for ramps keyed by the
 * organization's name, which is how this server keys them all, so the answer is the same either way.
 */
export const OrganizationFeatureFlags: TypeResolvers = {
  featureFlags: (o: OrganizationRow, _: { rampIDType?: string | null }, ctx: Context) =>
    Object.entries(ctx.store.orgFeatureFlags[o.name] ?? {}).map(([rampKey, isEnabled]) => ({ rampKey, isEnabled })),
};
