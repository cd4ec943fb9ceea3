/** Pending invites to a team: by user (username or a known email) or by email alone. */
import type { Db } from './db';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

export interface InviteRow {
  id: number;
  entity_id: number;
  user_id: number | null;
  email: string | null;
  role: string;
  from_user_id: number | null;
  created_at: string;
}

export class Invites {
  constructor(private readonly db: Db) {}

  insert(input: { entityId: number; userId: number | null; email: string | null; role: string; fromUserId: number }): InviteRow {
    return this.db
      .prepare('INSERT INTO invites (entity_id, user_id, email, role, from_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
      .get(input.entityId, input.userId, input.email, input.role, input.fromUserId, wandbTime()) as InviteRow;
  }

  byId(id: number): InviteRow | undefined {
    return this.db.prepare('SELECT * FROM invites WHERE id = ?').get(id) as InviteRow | undefined;
  }

  ofEntity(entityId: number): InviteRow[] {
    return this.db.prepare('SELECT * FROM invites WHERE entity_id = ? ORDER BY id').all(entityId) as InviteRow[];
  }

  /** An invite of the entity for this user or email already pending. */
  pending(entityId: number, userId: number | null, email: string | null): InviteRow | undefined {
    return this.db
      .prepare('SELECT * FROM invites WHERE entity_id = ? AND ((user_id IS NOT NULL AND user_id = ?) OR (email IS NOT NULL AND lower(email) = lower(?)))')
      .get(entityId, userId, email) as InviteRow | undefined;
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM invites WHERE id = ?').run(id);
  }
}

/**
 * The invites table of a Store.
 * @example invites(store).ofEntity(team.id).length
 */
export const invites: (store: Store) => Invites = storePart((store) => new Invites(store.db));
