/**
 * Users and their API keys. Keys are stored as their SHA-256 and shown once, when made: a key is
 * 160 random bits (or a fixture's fixed key), far beyond brute force, so a fast hash is enough — a
 * slow KDF (bcrypt, scrypt) only helps low-entropy secrets such as passwords, and would slow every
 * request, since each one authenticates. Listings show a key's `name`: its first characters.
 */
import { createHash, randomBytes } from 'node:crypto';
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

/** One API key of a user, without the key itself; `id` is its row id (GraphQL `ApiKey.id` encodes it). */
export interface ApiKeyRow {
  id: number;
  /** What listings show: the key's first characters, which cannot authenticate. */
  name: string;
  user_id: number;
  description: string | null;
}

/** How many leading characters of a key make its name. */
const NAME_LENGTH = 8;

/** W&B keys: 40 or more characters of [A-Za-z0-9_]. */
export const API_KEY_PATTERN = /^[A-Za-z0-9_]{40,}$/;

export function generateApiKey(): string {
  return randomBytes(20).toString('hex');
}

/** What the database keeps of a key: hex SHA-256 (see the module comment for why not a KDF). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class Users {
  /**
   * Service-account keys minted by this process, by user id: team managers see them (Member.apiKey,
   * how Python's create_service_account gets its key) until the server stops or the key is deleted.
   * They are never written down; after a restart a manager mints a new key instead.
   */
  private readonly serviceKeys = new Map<number, { id: number; key: string }>();

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

  /** Stores a new key (its hash) and returns the key itself: the only time anyone sees it. */
  addApiKey(userId: number, key: string = generateApiKey(), description: string | null = null): string {
    this.insertApiKey(userId, key, description);
    return key;
  }

  /** Like addApiKey, but also returns the new row. */
  insertApiKey(userId: number, key: string = generateApiKey(), description: string | null = null): { key: string; row: ApiKeyRow } {
    if (!API_KEY_PATTERN.test(key)) throw new UserInputError('an API key must be 40 or more characters of [A-Za-z0-9_]');
    const row = this.db
      .prepare('INSERT INTO api_keys (key_hash, name, user_id, created_at, description) VALUES (?, ?, ?, ?, ?) RETURNING id, name, user_id, description')
      .get(hashApiKey(key), key.slice(0, NAME_LENGTH), userId, wandbTime(), description) as ApiKeyRow;
    return { key, row };
  }

  /** The user's keys, oldest first, with their row ids and names. */
  apiKeysOf(userId: number): ApiKeyRow[] {
    return this.db.prepare('SELECT id, name, user_id, description FROM api_keys WHERE user_id = ? ORDER BY id').all(userId) as ApiKeyRow[];
  }

  apiKeyById(id: number): ApiKeyRow | undefined {
    return this.db.prepare('SELECT id, name, user_id, description FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
  }

  deleteApiKey(id: number): void {
    this.db.prepare('DELETE FROM api_keys WHERE id = ?').run(id);
    for (const [userId, held] of this.serviceKeys) if (held.id === id) this.serviceKeys.delete(userId);
  }

  /** A new key for a service account, kept in memory for `serviceKey` (see `serviceKeys`). */
  addServiceKey(userId: number, description: string | null): string {
    const { key, row } = this.insertApiKey(userId, undefined, description);
    this.serviceKeys.set(userId, { id: row.id, key });
    return key;
  }

  /** The service account's key if this process minted it and it still exists. */
  serviceKey(userId: number): string | undefined {
    return this.serviceKeys.get(userId)?.key;
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

  /** The user a key belongs to, found by the key's hash. */
  byApiKey(key: string): UserRow | undefined {
    return this.db.prepare('SELECT u.* FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?').get(hashApiKey(key)) as
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
