/** Feature flags clients probe via serverInfo.features (see the reference, §1.6), with the server's overrides. */
import type { Store } from '../store/store';

const DEFAULT_FEATURES: Readonly<Record<string, boolean>> = {
  SWEEPS_QUERY_FILTERING: true,
  MARK_RUN_FILES_UPLOADED: true,
  SWEEPS_LOCAL_SCHEDULER: false,
};

/** Every feature with its state: the defaults, then StartServerOptions.features on top. */
export function serverFeatures(store: Store): { name: string; isEnabled: boolean }[] {
  return Object.entries({ ...DEFAULT_FEATURES, ...store.features }).map(([name, isEnabled]) => ({ name, isEnabled }));
}

export function isFeatureEnabled(store: Store, name: string): boolean {
  return store.features[name] ?? DEFAULT_FEATURES[name] ?? false;
}
