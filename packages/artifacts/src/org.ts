// Organizations: registries live under an organization's own entity ("org entity"), not under the
// user's or team's entity. These functions find it from the entity the client acts as, as Python's
// `resolve_org_entity_name` (artifact paths) and `fetch_org_from_settings_or_entity` (registries) do.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient, resolveEntity } from '@wandb-api/core';
import { FetchOrgInfoFromEntityDocument, FetchOrganizationDocument } from './generated/graphql.js';

/** An organization: its display name and the name of its entity. */
export interface OrgInfo {
  /** The display name (`demo-org`). */
  readonly name: string;
  /** The organization's entity, which owns its registries (`demo-org-entity`). */
  readonly entityName: string;
}

/** The organization of a team entity, and the organizations of a personal entity's user (cached per client). */
function orgInfoFromEntity(
  client: WandbClient,
  entity: string,
  options?: CallOptions,
): Promise<{ team: OrgInfo | null; user: OrgInfo[] } | null> {
  return client.memo(
    `orgInfo:${entity}`,
    async (signal) => {
      const data = await client.request(FetchOrgInfoFromEntityDocument, { entity }, { signal });
      if (!data.entity) return null;
      const toInfo = (org: { name: string; orgEntity?: { name: string } | null } | null | undefined): OrgInfo | null =>
        org?.orgEntity ? { name: org.name, entityName: org.orgEntity.name } : null;
      return {
        team: toInfo(data.entity.organization),
        user: (data.entity.user?.organizations ?? []).flatMap((o) => toInfo(o) ?? []),
      };
    },
    options,
  );
}

const matches = (info: OrgInfo, hint: string): boolean => info.name === hint || info.entityName === hint;

/**
 * The organization an entity belongs to, checked against `hint` (an organization's display name or
 * entity name) when one is given. A team entity has one organization; a user may have several, and
 * then the hint picks one. Errors: ValidationError when the hint names no organization of the
 * entity or several fit; NotFoundError when the entity or any organization is missing.
 * @example const org = await resolveOrgInfo(client, 'demo', 'demo-org'); // { name: 'demo-org', entityName: 'demo-org-entity' }
 */
export async function resolveOrgInfo(client: WandbClient, entity: string | undefined, hint?: string, options?: CallOptions): Promise<OrgInfo> {
  if (!entity) throw new ValidationError('Entity name is required to resolve org entity name.');
  const found = await orgInfoFromEntity(client, entity, options);
  if (found?.team && (!hint || matches(found.team, hint))) return found.team;
  const orgs = found?.user ?? [];
  if (orgs.length > 0) {
    if (hint) {
      const chosen = orgs.find((o) => matches(o, hint));
      if (chosen) return chosen;
      // Same cases as Python's resolve_org_entity_name, said shorter.
      throw new ValidationError(
        orgs.length === 1
          ? `Organization '${hint}' is not '${orgs[0]!.name}', the organization of entity '${entity}': fix the path.`
          : `Entity '${entity}' belongs to several organizations, none named '${hint}': fix the path or use a team entity.`,
      );
    }
    if (orgs.length === 1) return orgs[0]!;
    throw new ValidationError(`Entity '${entity}' belongs to several organizations: name one in the registry path, or use a team entity.`);
  }
  if (found && !found.team && !hint) {
    throw new NotFoundError(`Entity '${entity}' belongs to no organization: name one in the registry path, or use a team entity.`, { status: 404 });
  }
  throw new NotFoundError(`Unable to find organization for entity '${entity}'.`, { status: 404 });
}

/**
 * The entity that owns an organization's registries, found from the entity the client acts as
 * (the configured entity, else the viewer's) with `hint` as the organization's name or entity name.
 * @example await resolveOrgEntityName(client, 'demo-org') // 'demo-org-entity'
 */
export async function resolveOrgEntityName(client: WandbClient, hint?: string, options?: CallOptions): Promise<string> {
  const entity = await resolveEntity(client, undefined, options);
  return (await resolveOrgInfo(client, entity, hint, options)).entityName;
}

/**
 * The organization display name registries calls use: the given one, else the client's
 * `organization` (WANDB_ORGANIZATION), else the single organization of the client's entity.
 * @example const org = await resolveOrganization(client); // 'demo-org'
 */
export async function resolveOrganization(client: WandbClient, organization?: string, options?: CallOptions): Promise<string> {
  if (organization !== undefined) {
    if (typeof organization !== 'string' || !organization.trim()) throw new ValidationError(`Invalid organization '${String(organization)}'.`);
    return organization;
  }
  if (client.config.organization) return client.config.organization;
  // Only "no entity" has Python's message; a failed lookup (network, auth, abort) is thrown as itself.
  const entity = await resolveEntity(client, undefined, options).catch((error: unknown) => {
    throw error instanceof ValidationError ? new ValidationError("No entity specified and can't fetch organization from the entity") : error;
  });
  const found = await orgInfoFromEntity(client, entity, options);
  const orgs = found?.team ? [found.team] : (found?.user ?? []);
  if (orgs.length === 0) throw new NotFoundError('No organizations found for entity. Please specify an organization in the settings.', { status: 404 });
  if (orgs.length > 1) {
    throw new ValidationError('Multiple organizations found for entity. Please specify an organization in the settings.');
  }
  return orgs[0]!.name;
}

/** An organization by display name: its id and its entity. */
export interface Organization {
  /** The server's global id. */
  readonly id: string;
  /** The display name (`demo-org`). */
  readonly name: string;
  /** The organization's entity (`demo-org-entity`), which owns its registries; null when it has none. */
  readonly entityName: string | null;
}

/**
 * One organization by display name.
 * @example const org = await getOrganization(client, 'demo-org'); console.log(org.entityName);
 */
export async function getOrganization(client: WandbClient, name: string, options?: CallOptions): Promise<Organization> {
  if (typeof name !== 'string' || !name.trim()) throw new ValidationError(`Invalid organization '${String(name)}'.`);
  const data = await client.request(FetchOrganizationDocument, { org: name }, options);
  const org = data.organization;
  if (!org) throw new NotFoundError(`Organization '${name}' not found.`, { status: 404 });
  return { id: org.id, name: org.name, entityName: org.orgEntity?.name ?? null };
}
