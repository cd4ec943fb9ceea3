/** Users and their API keys. */
import { randomBytes } from 'node:crypto';
import { UserInputError } from '../errors';
import type { Db } from './db';
import { storeNow, wandbTime } from './time';

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  name: string;
  admin: number;
  created_at: string;
  /** 'USER', or 'SERVICE' for a team's service account. */
  account_type: string;
}

export interface NewUser {
  username: string;
  email?: string | null | undefined;
  name?: string | undefined;
  admin?: boolean | undefined;
  /** A fixed key (40+ chars of [A-Za-z0-9_]); a random one otherwise. */
  apiKey?: string | undefined;
  createdAt?: Date | string | number | undefined;
  /** 'USER' (default) or 'SERVICE'. */
  accountType?: 'USER' | 'SERVICE' | undefined;
}

/** One API key of a user; `id` is its row id (GraphQL `ApiKey.id` encodes it). */
export interface ApiKeyRow {
  id: number;
  key: string;
  user_id: number;
  description: string | null;
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
      .prepare('INSERT INTO users (username, email, name, admin, created_at, account_type) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
      .get(
        input.username,
        input.email ?? null,
        input.name ?? input.username,
        input.admin ? 1 : 0,
        wandbTime(input.createdAt ?? storeNow()),
        input.accountType ?? 'USER',
      ) as UserRow;
  }

  addApiKey(userId: number, key: string = generateApiKey(), description: string | null = null): string {
    if (!API_KEY_PATTERN.test(key)) throw new UserInputError('an API key must be 40 or more characters of [A-Za-z0-9_]');
    this.db.prepare('INSERT INTO api_keys (key, user_id, created_at, description) VALUES (?, ?, ?, ?)').run(key, userId, wandbTime(), description);
    return key;
  }

  /** The user's keys, oldest first, with their row ids (W&B lists them by name, which is the key). */
  apiKeysOf(userId: number): ApiKeyRow[] {
    return this.db.prepare('SELECT rowid AS id, key, user_id, description FROM api_keys WHERE user_id = ? ORDER BY rowid').all(userId) as ApiKeyRow[];
  }

  apiKeyById(id: number): ApiKeyRow | undefined {
    return this.db.prepare('SELECT rowid AS id, key, user_id, description FROM api_keys WHERE rowid = ?').get(id) as ApiKeyRow | undefined;
  }

  apiKeyByKey(key: string): ApiKeyRow | undefined {
    return this.db.prepare('SELECT rowid AS id, key, user_id, description FROM api_keys WHERE key = ?').get(key) as ApiKeyRow | undefined;
  }

  deleteApiKey(id: number): void {
    this.db.prepare('DELETE FROM api_keys WHERE rowid = ?').run(id);
  }

  byEmail(email: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE lower(email) = lower(?)').get(email) as UserRow | undefined;
  }

  /** Users whose username, email or name contains `query` (case-insensitive), oldest first; every user without one. */
  search(query: string | null | undefined, limit: number): UserRow[] {
    const like = `%${(query ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .prepare(
        "SELECT * FROM users WHERE username LIKE @like ESCAPE '\\' OR coalesce(email, '') LIKE @like ESCAPE '\\' OR name LIKE @like ESCAPE '\\' ORDER BY id LIMIT @limit",
      )
      .all({ like, limit }) as UserRow[];
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
