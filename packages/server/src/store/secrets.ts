/**
 * Entity secrets (W&B's team secrets): values a webhook sends as its Bearer token or signs its body
 * with, named by integrations. Values never leave the server except in the webhook requests it makes;
 * the API lists names only. Permissions are the resolvers' (graphql/automations.ts).
 */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

/** One secret without its value. */
export interface SecretRow {
  id: number;
  entity_id: number;
  name: string;
  created_at: string;
}

/** Secret names as W&B takes them: a letter or underscore first, then letters, digits and underscores. */
export function checkSecretName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    throw new UserInputError(`invalid secret name ${JSON.stringify(name)}: letters, digits and '_', not starting with a digit`);
  }
}

export class Secrets {
  constructor(private readonly db: Db) {}

  /** Creates or replaces a secret. */
  set(entityId: number, name: string, value: string): void {
    checkSecretName(name);
    if (value === '') throw new UserInputError('a secret value must not be empty');
    this.db
      .prepare('INSERT INTO secrets (entity_id, name, value, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (entity_id, name) DO UPDATE SET value = excluded.value')
      .run(entityId, name, value, wandbTime());
  }

  /** The entity's secrets by name, without values. */
  list(entityId: number): SecretRow[] {
    return this.db.prepare('SELECT id, entity_id, name, created_at FROM secrets WHERE entity_id = ? ORDER BY name').all(entityId) as SecretRow[];
  }

  exists(entityId: number, name: string): boolean {
    return this.db.prepare('SELECT 1 FROM secrets WHERE entity_id = ? AND name = ?').get(entityId, name) !== undefined;
  }

  /** A secret's value, for the webhook request that needs it. */
  value(entityId: number, name: string): string | undefined {
    return (this.db.prepare('SELECT value FROM secrets WHERE entity_id = ? AND name = ?').get(entityId, name) as { value: string } | undefined)?.value;
  }

  /** Every secret value of an entity, by name (to substitute `${NAME}` and to mask them in what is recorded). */
  values(entityId: number): Map<string, string> {
    const rows = this.db.prepare('SELECT name, value FROM secrets WHERE entity_id = ?').all(entityId) as { name: string; value: string }[];
    return new Map(rows.map((r) => [r.name, r.value]));
  }
}

/**
 * The secrets of a Store.
 * @example secrets(store).set(team.id, 'HOOK_TOKEN', 'abc')
 */
export const secrets: (store: Store) => Secrets = storePart((store) => new Secrets(store.db));
