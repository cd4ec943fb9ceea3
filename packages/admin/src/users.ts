// Users and their API keys: search (admins only), create (admins only), and the viewer's own keys.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient, parseJsonObject } from '@wandb-api/core';
import {
  type AdminUserFieldsFragment,
  CreateUserFromAdminDocument,
  DeleteApiKeyDocument,
  GenerateApiKeyDocument,
  SearchUsersDocument,
} from './generated/graphql.js';

/** One API key. On W&B a key's `name` is the secret itself; only its owner and admins see keys. */
export interface ApiKey {
  /** The key's id (what deleting it sends, so the secret itself never travels back). */
  readonly id: string;
  /** The key itself: a secret; never log it. */
  readonly name: string;
  /** What the owner said the key is for; null when none. */
  readonly description: string | null;
}

/** A user as admins see it. */
export interface User {
  /** The user's id. */
  readonly id: string;
  /** The user's display name. */
  readonly name: string;
  /** The user's username; null for a user who has not chosen one yet. */
  readonly username: string | null;
  /** Visible to the user and admins only (null for others). */
  readonly email: string | null;
  /** Whether the user is a server admin. */
  readonly admin: boolean;
  /** The user's default (personal) entity. */
  readonly entity: string | null;
  /** Feature flags the server keeps for the user, decoded from JSON (`{}` when none). */
  readonly flags: Record<string, unknown>;
  /** When the user was deleted (deactivated); null for an active user. */
  readonly deletedAt: string | null;
  /** The user's API keys (empty unless the caller is the user or an admin). */
  readonly apiKeys: readonly ApiKey[];
  /** Names of the teams the user belongs to. */
  readonly teams: readonly string[];
}

/**
 * Decodes the GraphQL user shape into a `User` (for callers that run their own user queries).
 * @example const users = data.users.edges.map((e) => toUser(e.node));
 */
export function toUser(u: AdminUserFieldsFragment): User {
  return {
    id: u.id,
    name: u.name,
    username: u.username,
    email: u.email,
    admin: u.admin ?? false,
    entity: u.entity,
    flags: parseJsonObject(u.flags),
    deletedAt: u.deletedAt,
    apiKeys: (u.apiKeys?.edges ?? []).flatMap((e) => (e.node ? [{ id: e.node.id, name: e.node.name, description: e.node.description }] : [])),
    teams: (u.teams?.edges ?? []).flatMap((e) => (e.node ? [e.node.name] : [])),
  };
}

/**
 * A non-empty string argument, or a ValidationError naming it.
 * @example const team = requireText(input, 'team');
 */
export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(`${what} must be a non-empty string, got ${JSON.stringify(value)}.`);
  return value;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Users whose username, email or name contains `query` (a partial match on the server; `''` lists
 * everyone). Admins only: anyone else gets PermissionError.
 * @example const users = await listUsers(client, 'example.com');
 */
export async function listUsers(client: WandbClient, query: string, options?: CallOptions): Promise<User[]> {
  if (typeof query !== 'string') throw new ValidationError(`query must be a string, got ${JSON.stringify(query)}.`);
  const data = await client.request(SearchUsersDocument, { query }, options);
  return (data.users?.edges ?? []).flatMap((e) => (e.node ? [toUser(e.node)] : []));
}

/**
 * One user by username or email: the first match of `listUsers`, or null when none matches.
 * Admins only (PermissionError otherwise).
 * @example const bob = await getUser(client, 'bob@example.com');
 */
export async function getUser(client: WandbClient, usernameOrEmail: string, options?: CallOptions): Promise<User | null> {
  requireText(usernameOrEmail, 'usernameOrEmail');
  const users = await listUsers(client, usernameOrEmail, options);
  // The server matches partially; prefer the exact username or email, as a caller means it.
  const exact = users.find((u) => u.username === usernameOrEmail || u.email?.toLowerCase() === usernameOrEmail.toLowerCase());
  return exact ?? users[0] ?? null;
}

/**
 * Creates a user from an email (admins only); `admin` makes them a server admin.
 * @example const carol = await createUser(client, 'carol2@example.com', { admin: false });
 */
export async function createUser(client: WandbClient, email: string, options: { admin?: boolean } & CallOptions = {}): Promise<User> {
  const { admin = false, ...call } = options;
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) throw new ValidationError(`Invalid email ${JSON.stringify(email)}.`);
  if (typeof admin !== 'boolean') throw new ValidationError(`admin must be a boolean, got ${JSON.stringify(admin)}.`);
  const data = await client.request(CreateUserFromAdminDocument, { email: email.trim(), admin }, call);
  if (!data.result?.user) throw new NotFoundError(`Failed to create user '${email}'.`, { status: 404 });
  return toUser(data.result.user);
}

/**
 * A new API key for the client's own user (not for another user: W&B keys are generated by their owner).
 * The key's `name` is the secret.
 * @example const key = await generateApiKey(client, { description: 'ci' }); console.log(key.name);
 */
export async function generateApiKey(client: WandbClient, options: { description?: string } & CallOptions = {}): Promise<ApiKey> {
  const { description, ...call } = options;
  if (description !== undefined && typeof description !== 'string') throw new ValidationError(`description must be a string, got ${JSON.stringify(description)}.`);
  const data = await client.request(GenerateApiKeyDocument, { description: description ?? null }, call);
  const key = data.result?.apiKey;
  if (!key) throw new NotFoundError('The server generated no API key.', { status: 404 });
  return { id: key.id, name: key.name, description: key.description };
}

/**
 * Deletes one of a user's API keys, found by name (the key itself) among `user.apiKeys`, as Python
 * does; a name the user does not have is a ValidationError, sent nowhere.
 * @example await deleteApiKey(client, me, me.apiKeys[1]!.name);
 */
export async function deleteApiKey(client: WandbClient, user: Pick<User, 'apiKeys'>, name: string, options?: CallOptions): Promise<true> {
  requireText(name, 'name');
  const key = user.apiKeys.find((k) => k.name === name);
  if (!key) throw new ValidationError('The user has no API key with that name.'); // never echo the key
  await client.request(DeleteApiKeyDocument, { id: key.id }, options);
  return true;
}
