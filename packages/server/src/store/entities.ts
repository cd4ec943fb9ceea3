/** Entities: one personal entity per user (named as the user) and teams with members. */
import { UserInputError } from '../errors';
import type { Db } from './db';
import { storeNow, wandbTime } from './time';

export interface EntityRow {
  id: number;
  name: string;
  is_team: number;
  owner_id: number | null;
  created_at: string;
}

export class Entities {
  constructor(private readonly db: Db) {}

  insert(input: { name: string; isTeam: boolean; ownerId?: number | undefined; createdAt?: Date | string | number | undefined }): EntityRow {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.name)) {
      throw new UserInputError(`invalid entity name ${JSON.stringify(input.name)}: use letters, digits, '-', '_' or '.'`);
    }
    if (this.byName(input.name)) throw new UserInputError(`entity ${input.name} already exists`);
    return this.db
      .prepare('INSERT INTO entities (name, is_team, owner_id, created_at) VALUES (?, ?, ?, ?) RETURNING *')
      .get(input.name, input.isTeam ? 1 : 0, input.ownerId ?? null, wandbTime(input.createdAt ?? storeNow())) as EntityRow;
  }

  addMember(entityId: number, userId: number, role = 'member'): void {
    this.db.prepare('INSERT OR IGNORE INTO members (entity_id, user_id, role) VALUES (?, ?, ?)').run(entityId, userId, role);
  }

  isMember(entityId: number, userId: number): boolean {
    return this.db.prepare('SELECT 1 FROM members WHERE entity_id = ? AND user_id = ?').get(entityId, userId) !== undefined;
  }

  /** The first member, used as the default author of runs created in a team by test helpers. */
  firstMember(entityId: number): number | undefined {
    const row = this.db.prepare('SELECT user_id FROM members WHERE entity_id = ? ORDER BY rowid LIMIT 1').get(entityId) as
      | { user_id: number }
      | undefined;
    return row?.user_id;
  }

  byId(id: number): EntityRow | undefined {
    return this.db.prepare('SELECT * FROM entities WHERE id = ?').get(id) as EntityRow | undefined;
  }

  byName(name: string): EntityRow | undefined {
    return this.db.prepare('SELECT * FROM entities WHERE name = ?').get(name) as EntityRow | undefined;
  }

  personalOf(userId: number): EntityRow | undefined {
    return this.db.prepare('SELECT * FROM entities WHERE owner_id = ? AND is_team = 0').get(userId) as EntityRow | undefined;
  }

  teamsOf(userId: number): EntityRow[] {
    return this.db
      .prepare('SELECT e.* FROM members m JOIN entities e ON e.id = m.entity_id WHERE m.user_id = ? AND e.is_team = 1 ORDER BY e.id')
      .all(userId) as EntityRow[];
  }
}
