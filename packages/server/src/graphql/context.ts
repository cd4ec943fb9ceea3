/** Per-request GraphQL context: the store, the authenticated viewer and memoised lookups (no N+1 per page). */
import type { FileLinks } from '../http/fileLinks';
import type { EntityRow, ProjectRow, Store, UserRow } from '../store/store';

export interface Context {
  store: Store;
  viewer: UserRow;
  /** Builds run files' url, directUrl and upload URLs. */
  links: FileLinks;
  project(id: number): ProjectRow | undefined;
  entity(id: number): EntityRow | undefined;
  user(id: number): UserRow | undefined;
  canWrite(entityId: number): boolean;
}

function memo<K, V>(load: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = load(key);
    cache.set(key, value);
    return value;
  };
}

export function createContext(store: Store, viewer: UserRow, links: FileLinks): Context {
  return {
    store,
    viewer,
    links,
    project: memo((id) => store.projects.byId(id)),
    entity: memo((id) => store.entities.byId(id)),
    user: memo((id) => store.users.byId(id)),
    canWrite: memo((entityId) => store.canWrite(viewer, entityId)),
  };
}
