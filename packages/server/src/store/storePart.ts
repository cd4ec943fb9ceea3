/**
 * Parts of a Store that live beside it (artifacts, launch, automations …): one instance per Store,
 * made on its first use, so a module's tables and queries stay in that module.
 */
import type { Store } from './store';

/**
 * The accessor of a Store part: `make` runs once per Store, on the first call for it.
 * @example export const secrets: (store: Store) => Secrets = storePart((store) => new Secrets(store.db));
 */
export function storePart<T>(make: (store: Store) => T): (store: Store) => T {
  const instances = new WeakMap<Store, T>();
  return (store) => {
    let part = instances.get(store);
    if (!part) instances.set(store, (part = make(store)));
    return part;
  };
}
