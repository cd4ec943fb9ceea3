// Who the credentials belong to, their default entity, and what the server supports — each asked
// at most once per client (cached in the client, never per object).
import type { WandbClient } from './client.js';
import { AuthenticationError, BadRequestError, GraphQLError, UnsupportedError } from './errors.js';
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
 * The user behind the client's API key (cached per client; loaded once for every caller, each of
 * whom can cancel their own wait with `options.signal`).
 * @example const me = await getViewer(client); console.log(me.username);
 */
export function getViewer(client: WandbClient, options?: CallOptions): Promise<Viewer> {
  return client.memo(
    'viewer',
    async (signal) => {
      const data = await client.request(ViewerDocument, {}, { signal });
      if (!data.viewer) {
        throw new AuthenticationError('The server did not recognise an account for the configured API key.', { status: 401 });
      }
      return toViewer(data.viewer);
    },
    options,
  );
}

/**
 * The viewer's default entity, or null when the server names none. Cached once known.
 * @example const entity = await getDefaultEntity(client);
 */
export function getDefaultEntity(client: WandbClient, options?: CallOptions): Promise<string | null> {
  // A null answer is not cached: it is asked again next time.
  return client.memo('defaultEntity', async (signal) => (await client.request(DefaultEntityDocument, {}, { signal })).viewer?.entity ?? null, options);
}

/**
 * Whether an error is the server refusing a document for a field, argument or type its schema
 * lacks (GraphQL validation: `Cannot query field …`, `Unknown argument …`, `Unknown type …`, as an
 * HTTP 400/422 or inside a 200): the answer of a server older than the document. The one error a
 * fallback to an older document, or a feature read as absent, exists for.
 * @example if (isSchemaError(error)) return legacyQuery();
 */
export function isSchemaError(error: unknown): boolean {
  const errors = error instanceof GraphQLError || error instanceof BadRequestError ? error.errors : [];
  return errors.some((e) => /Cannot query field|Unknown (argument|type) /.test(e.message));
}

/**
 * The server's feature flags (`serverInfo.features`), probed once per client. A server without
 * the field (older ones) has none; any other failure (network, 5xx, auth, abort) is thrown and
 * not cached.
 */
export function getServerFeatures(client: WandbClient, options?: CallOptions): Promise<ReadonlyMap<string, boolean>> {
  return client.memo(
    'serverFeatures',
    async (signal) => {
      try {
        const data = await client.request(ServerFeaturesDocument, {}, { signal });
        return new Map((data.serverInfo?.features ?? []).flatMap((f) => (f ? [[f.name, f.isEnabled] as const] : [])));
      } catch (error) {
        // Older servers lack serverInfo.features: found by the probe (UnsupportedError, nothing sent) or by validation.
        if (error instanceof UnsupportedError || isSchemaError(error)) return new Map();
        throw error;
      }
    },
    options,
  );
}

/** Whether the server has a feature enabled (e.g. `SWEEPS_QUERY_FILTERING`); failures of the probe are thrown, as by `getServerFeatures`. */
export async function hasServerFeature(client: WandbClient, name: string, options?: CallOptions): Promise<boolean> {
  return (await getServerFeatures(client, options)).get(name) ?? false;
}
