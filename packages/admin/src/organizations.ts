// Organizations as admins see them: the organization, its entity (which owns the registries) and
// its members.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import { OrganizationMembersDocument } from './generated/graphql.js';

/** A member of an organization. */
export interface OrganizationMember {
  /** The member's user id. */
  readonly id: string;
  /** The member's username. */
  readonly username: string;
  /** The member's display name. */
  readonly name: string;
  /** Whether the member administers the organization (role `admin`). */
  readonly admin: boolean;
  /** The member's role in the organization, e.g. `admin` or `member`. */
  readonly role: string;
  /** Visible to the member and server admins only. */
  readonly email: string | null;
}

/** An organization with its entity and members. */
export interface Organization {
  /** The organization's id. */
  readonly id: string;
  /** The display name (`demo-org`). */
  readonly name: string;
  /** The organization's entity, which owns its registries (`demo-org-entity`). */
  readonly entityName: string | null;
  /** Everyone in the organization. */
  readonly members: readonly OrganizationMember[];
}

/**
 * One organization by display name (default: the client's `organization`, WANDB_ORGANIZATION) with
 * its members. An organization the caller does not belong to reads as NotFoundError, as on W&B.
 * @example const org = await getOrganization(client, 'demo-org'); console.log(org.entityName, org.members.length);
 */
export async function getOrganization(client: WandbClient, name?: string, options?: CallOptions): Promise<Organization> {
  const org = name ?? client.config.organization;
  if (typeof org !== 'string' || org.trim() === '') {
    throw new ValidationError(`Invalid organization ${JSON.stringify(org)}: pass a name or set WANDB_ORGANIZATION.`);
  }
  const data = await client.request(OrganizationMembersDocument, { name: org }, options);
  const found = data.organization;
  if (!found) throw new NotFoundError(`Organization '${org}' not found.`, { status: 404 });
  return {
    id: found.id,
    name: found.name,
    entityName: found.orgEntity?.name ?? null,
    members: found.members.map((m) => ({ id: m.id, username: m.username, name: m.name, admin: m.admin, role: m.role, email: m.user.email })),
  };
}
