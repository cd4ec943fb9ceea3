/**
 * Accounts as admins manage them: searching users, creating users (server admins only) and a
 * user's own API keys. Non-admins get ForbiddenError (HTTP 403), never an empty answer.
 */
import { ForbiddenError, UserInputError } from '../errors';
import type { Store, UserRow } from './store';
import type { ApiKeyRow } from './users';

function assertAdmin(viewer: UserRow, what: string): void {
  if (viewer.admin !== 1) throw new ForbiddenError(`permission denied: ${what} is for admins only`);
}

/** users(query): admins only; a partial, case-insensitive match on username, email and name. */
export function searchUsers(store: Store, viewer: UserRow, query: string | null | undefined, first?: number | null): UserRow[] {
  assertAdmin(viewer, 'searching users');
  return store.users.search(query, first && first > 0 ? Math.min(first, 1000) : 1000);
}

/** createUser: a user (and personal entity) named after the email's local part; admins only. */
export function createUserByAdmin(store: Store, viewer: UserRow, input: { email: string; admin?: boolean | null }): UserRow {
  assertAdmin(viewer, 'creating users');
  const email = input.email.trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UserInputError(`invalid email ${JSON.stringify(input.email)}`);
  return store.db.transaction(() => {
    if (store.users.byEmail(email)) throw new UserInputError(`a user with email ${email} already exists`);
    const base = (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 56) || 'user';
    let username = base;
    for (let n = 2; store.users.byName(username) || store.entities.byName(username); n++) username = `${base}-${n}`;
    const user = store.users.insert({ username, email, admin: input.admin ?? false, name: base });
    const entity = store.entities.insert({ name: username, isTeam: false, ownerId: user.id, createdAt: user.created_at });
    store.entities.addMember(entity.id, user.id, 'admin');
    return user;
  });
}

/** generateApiKey: a new key for the viewer, returned with the key itself (shown this once). */
export function generateUserApiKey(store: Store, viewer: UserRow, description?: string | null): { key: string; row: ApiKeyRow } {
  return store.users.insertApiKey(viewer.id, undefined, description ?? null);
}

/** deleteApiKey: the viewer's own key (admins: anyone's). */
export function deleteUserApiKey(store: Store, viewer: UserRow, keyId: number | undefined): void {
  const key = keyId === undefined ? undefined : store.users.apiKeyById(keyId);
  if (!key) throw new UserInputError('no API key with that id');
  if (key.user_id !== viewer.id && viewer.admin !== 1) throw new ForbiddenError(`permission denied: the key belongs to another user`);
  store.users.deleteApiKey(key.id);
}
