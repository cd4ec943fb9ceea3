// Teams: a team with its members (pending invites included), creating teams, inviting and removing
// members, and service accounts.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import {
  CreateInviteDocument,
  CreateServiceAccountDocument,
  CreateTeamDocument,
  DeleteInviteDocument,
  GetTeamEntityDocument,
  type TeamFieldsFragment,
} from './generated/graphql.js';
import { requireText } from './users.js';

/** A member of a team, or a pending invite (`pending: true`). */
export interface Member {
  /** The user's id, or the invite's for a pending invite. */
  readonly id: string | null;
  /** The team's name. */
  readonly team: string;
  /** Whether the member administers the team. */
  readonly admin: boolean;
  /** True for an invite not yet accepted. */
  readonly pending: boolean;
  /** The member's email; null when hidden from the caller. */
  readonly email: string | null;
  /** The member's username; null for an invite to someone without an account. */
  readonly username: string | null;
  /** The member's display name (for an invite, the invitee's). */
  readonly name: string;
  /** URL of the member's avatar; null when none. */
  readonly photoUrl: string | null;
  /** 'USER', or 'SERVICE' for a service account. */
  readonly accountType: string | null;
  /** A service account's API key, for the team's admins; null otherwise. */
  readonly apiKey: string | null;
}

/** A team (a team entity) with its members. */
export interface Team {
  /** The team entity's id. */
  readonly id: string;
  /** The team's name (its entity name, as in `vision-team/project`). */
  readonly name: string;
  /** W&B's `available`: whether the entity name is free to take; null when the server does not say. */
  readonly available: boolean | null;
  /** URL of the team's avatar; null when none. */
  readonly photoUrl: string | null;
  /** Whether the caller may only read the team's projects; null when the server does not say. */
  readonly readOnly: boolean | null;
  /** W&B's `readOnlyAdmin`: whether the caller's admin rights on the team are view-only. */
  readonly readOnlyAdmin: boolean;
  /** True for a team entity (false for a personal one). */
  readonly isTeam: boolean;
  /** The entity's kind as W&B names it; null when the server does not say. */
  readonly entityType: string | null;
  /** Whether the team's projects must all be private. */
  readonly privateOnly: boolean;
  /** Storage the team's files use, in bytes. */
  readonly storageBytes: number;
  /** Whether runs of the team save their code by default. */
  readonly codeSavingEnabled: boolean;
  /** Visibility of the team's new projects, e.g. `PRIVATE`. */
  readonly defaultAccess: string;
  /** Whether the team is on a paid plan; null when the server does not say. */
  readonly isPaid: boolean | null;
  /** Members first, then pending invites. */
  readonly members: readonly Member[];
}

/** An invite `inviteMember` created. */
export interface Invite {
  /** The invite's id (a pending member's `id`, to withdraw it with `deleteMember`). */
  readonly id: string;
  /** The invite's name as the server gives it (usually the invitee's). */
  readonly name: string;
  /** The invited email, when invited by email. */
  readonly email: string | null;
  /** When the invite was made; null when the server does not say. */
  readonly createdAt: string | null;
  /** The invited user's name, when the invite names a user. */
  readonly toUser: string | null;
}

/** W&B team names: letters, digits, '-', '_' (and '.'), at most 64. */
const TEAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function requireTeamName(name: unknown): string {
  if (typeof name !== 'string' || !TEAM_NAME.test(name)) {
    throw new ValidationError(`Invalid team name ${JSON.stringify(name)}: use letters, digits, '-', '_' or '.' (at most 64).`);
  }
  return name;
}

/**
 * Decodes the GraphQL team shape into a `Team` (for callers that run their own team queries).
 * @example const team = toTeam(data.entity);
 */
export function toTeam(e: TeamFieldsFragment): Team {
  return {
    id: e.id,
    name: e.name,
    available: e.available,
    photoUrl: e.photoUrl,
    readOnly: e.readOnly,
    readOnlyAdmin: e.readOnlyAdmin,
    isTeam: e.isTeam,
    entityType: e.entityType,
    privateOnly: e.privateOnly,
    storageBytes: e.storageBytes,
    codeSavingEnabled: e.codeSavingEnabled,
    defaultAccess: e.defaultAccess,
    isPaid: e.isPaid,
    members: e.members.map((m) => ({
      id: m.id,
      team: e.name,
      admin: m.admin ?? false,
      pending: m.pending ?? false,
      email: m.email,
      username: m.username,
      name: m.name,
      photoUrl: m.photoUrl,
      accountType: m.accountType,
      apiKey: m.apiKey,
    })),
  };
}

/**
 * One team with its members. Members are visible to the team's members and admins: anyone else
 * gets PermissionError; a missing team is NotFoundError (Python crashes with a KeyError).
 * @example const team = await getTeam(client, 'vision-team'); console.log(team.members.map((m) => m.username));
 */
export async function getTeam(client: WandbClient, name: string, options?: CallOptions): Promise<Team> {
  requireTeamName(name);
  const data = await client.request(GetTeamEntityDocument, { name }, options);
  if (!data.entity) throw new NotFoundError(`Team '${name}' not found.`, { status: 404 });
  return toTeam(data.entity);
}

/**
 * Creates a team whose admin is the caller or, for server admins, `adminUsername`. Unlike Python,
 * errors (the name is taken, no permission) are thrown, not swallowed.
 * @example const team = await createTeam(client, 'nlp-team', { adminUsername: 'bob' });
 */
export async function createTeam(client: WandbClient, name: string, options: { adminUsername?: string } & CallOptions = {}): Promise<Team> {
  const { adminUsername, ...call } = options;
  requireTeamName(name);
  if (adminUsername !== undefined) requireText(adminUsername, 'adminUsername');
  const data = await client.request(CreateTeamDocument, { teamName: name, teamAdminUserName: adminUsername ?? null }, call);
  if (!data.result?.entity) throw new NotFoundError(`Failed to create team '${name}'.`, { status: 404 });
  return toTeam(data.result.entity);
}

/**
 * Invites a user to a team by username, or by email when the argument holds '@' (as Python);
 * `admin` invites them as a team admin. Team admins and server admins only.
 * @example await inviteMember(client, 'vision-team', 'carol', { admin: false });
 */
export async function inviteMember(
  client: WandbClient,
  team: string,
  usernameOrEmail: string,
  options: { admin?: boolean } & CallOptions = {},
): Promise<Invite> {
  const { admin = false, ...call } = options;
  requireTeamName(team);
  requireText(usernameOrEmail, 'usernameOrEmail');
  if (typeof admin !== 'boolean') throw new ValidationError(`admin must be a boolean, got ${JSON.stringify(admin)}.`);
  const byEmail = usernameOrEmail.includes('@');
  const data = await client.request(
    CreateInviteDocument,
    { entity: team, email: byEmail ? usernameOrEmail : null, username: byEmail ? null : usernameOrEmail, admin },
    call,
  );
  const invite = data.result?.invite;
  if (!invite) throw new NotFoundError(`Failed to invite '${usernameOrEmail}' to '${team}'.`, { status: 404 });
  return { id: invite.id, name: invite.name, email: invite.email, createdAt: invite.createdAt, toUser: invite.toUser?.name ?? null };
}

/**
 * Removes a member from their team, or withdraws a pending invite (Python's `Member.delete`).
 * @example await deleteMember(client, team.members.find((m) => m.username === 'carol')!);
 */
export async function deleteMember(client: WandbClient, member: Pick<Member, 'id' | 'team'>, options?: CallOptions): Promise<boolean> {
  requireText(member?.id, 'member.id');
  requireTeamName(member.team);
  const data = await client.request(DeleteInviteDocument, { id: member.id, entity: member.team }, options);
  return data.result?.success ?? false;
}

/**
 * Creates a service account in a team and returns it as a member of the reloaded team (found by
 * its id; Python returns whichever member is last).
 * @example const bot = await createServiceAccount(client, 'vision-team', 'CI bot'); console.log(bot.apiKey);
 */
export async function createServiceAccount(client: WandbClient, team: string, description: string, options?: CallOptions): Promise<Member> {
  requireTeamName(team);
  requireText(description, 'description');
  const data = await client.request(CreateServiceAccountDocument, { entity: team, description }, options);
  const id = data.result?.user?.id;
  if (!id) throw new NotFoundError(`Failed to create a service account in '${team}'.`, { status: 404 });
  const member = (await getTeam(client, team, options)).members.find((m) => m.id === id);
  if (!member) throw new NotFoundError(`The new service account is not a member of '${team}'.`, { status: 404 });
  return member;
}
