// Registry members: the users and teams of a registry with their roles (Python's Registry.members,
// user_members, team_members, add_members, remove_members, update_member).
import { type CallOptions, NotFoundError, ValidationError, type WandbClient, WandbError } from '@wandb-api/core';
import {
  CreateRegistryMembersDocument,
  DeleteRegistryMembersDocument,
  RegistryMembersDocument,
  UpdateTeamRegistryRoleDocument,
  UpdateUserRegistryRoleDocument,
} from './generated/graphql.js';
import type { Registry } from './registries.js';

/** The roles a registry member may have; W&B servers may know more, so any string is passed on. */
export type RegistryRole = 'admin' | 'member' | 'viewer' | 'restricted_viewer' | (string & {});

/** A user member of a registry. */
export interface RegistryUserMember {
  /** `user`. */
  readonly kind: 'user';
  /** The user's global id (base64 `User:<n>`). */
  readonly id: string;
  /** The user's login name. */
  readonly username: string | null;
  /** The user's display name. */
  readonly name: string | null;
  /** Shown to the member themself and to admins only; null otherwise. */
  readonly email: string | null;
  /** Their role in the registry. */
  readonly role: RegistryRole;
}

/** A team member of a registry. */
export interface RegistryTeamMember {
  /** `team`. */
  readonly kind: 'team';
  /** The team's global id (base64 `Entity:<n>`). */
  readonly id: string;
  /** The team's entity name. */
  readonly name: string;
  /** Its role in the registry. */
  readonly role: RegistryRole;
}

/** A user or team member of a registry. */
export type RegistryMember = RegistryUserMember | RegistryTeamMember;

/**
 * Who to add, remove or update: a member as listed, a user or team object with its global `id`, or
 * the global id itself (base64 `User:<n>` or `Entity:<n>`, as Python takes them).
 */
export type RegistryMemberRef =
  | string
  | {
      /** The user's or team's global id. */
      readonly id: string;
    };

/** The registry fields member calls need. */
export type RegistryRef = Pick<Registry, 'id' | 'fullName' | 'entity' | 'name'>;

/** `User` or `Entity` (a team) and the id, from a global id; a ValidationError for anything else. */
function parseMemberId(ref: RegistryMemberRef): { kind: 'User' | 'Entity'; id: string } {
  const id = typeof ref === 'string' ? ref : ref?.id;
  let text = '';
  try {
    text = typeof id === 'string' ? atob(id) : '';
  } catch {
    // not base64: reported below
  }
  const m = /^(User|Entity):\d+$/.exec(text);
  if (!m) throw new ValidationError(`Member must be a user or team, or a user/team id (base64 "User:<n>" or "Entity:<n>"); got ${JSON.stringify(id ?? ref)}.`);
  return { kind: m[1] as 'User' | 'Entity', id: id as string };
}

function splitMembers(members: readonly RegistryMemberRef[], verb: string): { userIds: string[]; teamIds: string[] } {
  if (members.length === 0) throw new ValidationError(`Must provide at least one member to ${verb}.`);
  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const ref of members) {
    const parsed = parseMemberId(ref);
    (parsed.kind === 'User' ? userIds : teamIds).add(parsed.id);
  }
  return { userIds: [...userIds].sort(), teamIds: [...teamIds].sort() };
}

function checkRole(role: string): void {
  if (typeof role !== 'string' || role.trim() === '') throw new ValidationError('role must be a role name such as "admin", "member", "viewer" or "restricted_viewer".');
}

function checkSuccess(result: { success: boolean } | null | undefined, what: string): void {
  if (!result?.success) throw new WandbError(`Failed to ${what}.`);
}

/**
 * The users and then the teams of a registry, with their roles.
 * @example for (const m of await listRegistryMembers(client, registry)) console.log(m.kind, m.kind === 'user' ? m.username : m.name, m.role);
 */
export async function listRegistryMembers(client: WandbClient, registry: RegistryRef, options?: CallOptions): Promise<RegistryMember[]> {
  const data = await client.request(RegistryMembersDocument, { project: registry.fullName, entity: registry.entity }, options);
  if (!data.project) throw new NotFoundError(`Failed to fetch members for registry '${registry.name}'.`, { status: 404 });
  return [
    ...data.project.members.map((m): RegistryUserMember => ({ kind: 'user', id: m.id, username: m.username, name: m.name, email: m.email, role: m.role.name })),
    ...data.project.teamMembers.map((m): RegistryTeamMember => ({ kind: 'team', id: m.team.id, name: m.team.name, role: m.role.name })),
  ];
}

/**
 * Adds users and teams to a registry (with the server's default role; those already in keep theirs).
 * @example await addRegistryMembers(client, registry, [user, team]);
 */
export async function addRegistryMembers(client: WandbClient, registry: RegistryRef, members: readonly RegistryMemberRef[], options?: CallOptions): Promise<void> {
  const ids = splitMembers(members, 'add');
  const data = await client.request(CreateRegistryMembersDocument, { input: { projectId: registry.id, ...ids } }, options);
  checkSuccess(data.result, `add members to registry '${registry.name}'`);
}

/**
 * Removes users and teams from a registry.
 * @example await removeRegistryMembers(client, registry, [member]);
 */
export async function removeRegistryMembers(client: WandbClient, registry: RegistryRef, members: readonly RegistryMemberRef[], options?: CallOptions): Promise<void> {
  const ids = splitMembers(members, 'remove');
  const data = await client.request(DeleteRegistryMembersDocument, { input: { projectId: registry.id, ...ids } }, options);
  checkSuccess(data.result, `remove members from registry '${registry.name}'`);
}

/**
 * Changes the role of one member (a user or a team) of a registry.
 * @example await updateRegistryMember(client, registry, user, 'admin');
 */
export async function updateRegistryMember(client: WandbClient, registry: RegistryRef, member: RegistryMemberRef, role: RegistryRole, options?: CallOptions): Promise<void> {
  const { kind, id } = parseMemberId(member);
  checkRole(role);
  const what = `update member role to '${role}' in registry '${registry.name}'`;
  if (kind === 'User') {
    checkSuccess((await client.request(UpdateUserRegistryRoleDocument, { input: { projectId: registry.id, userId: id, userProjectRole: role } }, options)).result, what);
  } else {
    checkSuccess((await client.request(UpdateTeamRegistryRoleDocument, { input: { projectId: registry.id, teamId: id, teamProjectRole: role } }, options)).result, what);
  }
}
