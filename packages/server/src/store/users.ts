/** Users and their API keys. */
import { randomBytes } from 'node:crypto';
import { UserInputError } from '../errors';
import type { Db } from './db';
import { wandbTime } from './time';

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  name: string;
  admin: number;
  created_at: string;
}

export interface NewUser {
  username: string;
  email?: string | null | undefined;
  name?: string | undefined;
  admin?: boolean | undefined;
  /** A fixed key (40+ chars of [A-Za-z0-9_]); a random one otherwise. */
  apiKey?: string | undefined;
  createdAt?: Date | string | number | undefined;
}

/** W&B keys: 40 or more characters of [A-Za-z0-9_]. */
export const API_KEY_PATTERN = /^[A-Za-z0-9_]{40,}$/;

export function generateApiKey(): string {
  return randomBytes(20).toString('hex');
}

export class Users {
  constructor(private readonly db: Db) {}

  insert(input: NewUser): UserRow {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.username)) {
      throw new UserInputError(`invalid username ${JSON.stringify(input.username)}: use letters, digits, '-', '_' or '.'`);
    }
    if (this.byName(input.username)) throw new UserInputError(`user ${input.username} already exists`);
    return this.db
      .prepare('INSERT INTO users (username, email, name, admin, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *')
      .get(
        input.username,
        input.email ?? null,
        input.name ?? input.username,
        input.admin ? 1 : 0,
        wandbTime(input.createdAt ?? Date.now()),
      ) as UserRow;
  }

  addApiKey(userId: number, key: string = generateApiKey()): string {
    if (!API_KEY_PATTERN.test(key)) throw new UserInputError('an API key must be 40 or more characters of [A-Za-z0-9_]');
    this.db.prepare('INSERT INTO api_keys (key, user_id, created_at) VALUES (?, ?, ?)').run(key, userId, wandbTime());
    return key;
  }

  /** The user's keys, oldest first, with their row ids (W&B lists them by name, which is the key). */
  apiKeysOf(userId: number): { id: number; key: string }[] {
    return this.db.prepare('SELECT rowid AS id, key FROM api_keys WHERE user_id = ? ORDER BY rowid').all(userId) as { id: number; key: string }[];
  }

  /** The user's oldest key (the one a restarted server hands out again). */
  firstApiKey(userId: number): string | undefined {
    const row = this.db.prepare('SELECT key FROM api_keys WHERE user_id = ? ORDER BY rowid LIMIT 1').get(userId) as
      | { key: string }
      | undefined;
    return row?.key;
  }

  byApiKey(key: string): UserRow | undefined {
    return this.db.prepare('SELECT u.* FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key = ?').get(key) as
      | UserRow
      | undefined;
  }

  byId(id: number): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  byName(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  }
}
