// Who the credentials belong to, their default entity, and what the server supports — each asked
// at most once per client (cached in the client, never per object).
import type { WandbClient } from './client.js';
import { AuthenticationError } from './errors.js';
import { DefaultEntityDocument, ServerFeaturesDocument, type UserFieldsFragment, ViewerDocument } from './generated/graphql.js';
import { parseJsonObject } from './json.js';
import type { CallOptions } from './transport.js';

/** The user the API key belongs to. */
export interface Viewer {
  /** The user's GraphQL id. */
  readonly id: string;
  /** The user's display name. */
  readonly name: string;
  /** The user's login name. */
  readonly username: string | null;
  /** The user's email, when the server shows it. */
  readonly email: string | null;
  /** Whether the user is an instance admin. */
  readonly admin: boolean;
  /** The user's default entity (where runs go when no entity is named). */
  readonly entity: string | null;
  /** The user's feature flags, decoded from JSON. */
  readonly flags: Record<string, unknown>;
  /** When the user was deleted (ISO 8601), or null. */
  readonly deletedAt: string | null;
  /** Names of the teams the user belongs to. */
  readonly teams: readonly string[];
}

export function toViewer(user: UserFieldsFragment): Viewer {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    admin: user.admin ?? false,
    entity: user.entity,
    flags: parseJsonObject(user.flags),
    deletedAt: user.deletedAt,
    teams: (user.teams?.edges ?? []).flatMap((e) => (e.node ? [e.node.name] : [])),
  };
}

/**
 * The user behind the client's API key (cached per client).
 * @example const me = await getViewer(client); console.log(me.username);
 */
export function getViewer(client: WandbClient, options?: CallOptions): Promise<Viewer> {
  return client.memo('viewer', async () => {
    const data = await client.request(ViewerDocument, {}, options);
    if (!data.viewer) {
      throw new AuthenticationError('The server did not recognise an account for the configured API key.', { status: 401 });
    }
    return toViewer(data.viewer);
  });
}

/**
 * The viewer's default entity, or null when the server names none. Cached once known.
 * @example const entity = await getDefaultEntity(client);
 */
export async function getDefaultEntity(client: WandbClient, options?: CallOptions): Promise<string | null> {
  const entity = await client.memo('defaultEntity', async () => {
    const data = await client.request(DefaultEntityDocument, {}, options);
    return data.viewer?.entity ?? null;
  });
  if (entity === null) client.forget('defaultEntity'); // a null answer is asked again next time
  return entity;
}

/**
 * The server's feature flags (`serverInfo.features`), probed once per client. A failed probe reads
 * as "no features" and is asked again on the next call, as the Python client does.
 */
export async function getServerFeatures(client: WandbClient, options?: CallOptions): Promise<ReadonlyMap<string, boolean>> {
  try {
    return await client.memo('serverFeatures', async () => {
      const data = await client.request(ServerFeaturesDocument, {}, options);
      return new Map((data.serverInfo?.features ?? []).flatMap((f) => (f ? [[f.name, f.isEnabled] as const] : [])));
    });
  } catch {
    return new Map();
  }
}

/** Whether the server has a feature enabled (e.g. `SWEEPS_QUERY_FILTERING`). */
export async function hasServerFeature(client: WandbClient, name: string, options?: CallOptions): Promise<boolean> {
  return (await getServerFeatures(client, options)).get(name) ?? false;
}
