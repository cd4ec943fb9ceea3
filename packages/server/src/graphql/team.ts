/**
 * Teams: the team fields of Entity (members with pending invites), Member, Invite, and the
 * mutations createTeam, createInvite, deleteInvite and createServiceAccount. Rules live in store/teams.ts.
 */
import { decodeArtifactNodeGid } from '../artifactIds';
import { ForbiddenError, UserInputError } from '../errors';
import { decodeGid, inviteGid, userGid } from '../ids';
import type { InviteRow } from '../store/invites';
import type { EntityRow } from '../store/store';
import {
  canManage,
  createServiceAccount,
  createTeamFor,
  inviteToTeam,
  removeFromTeam,
  storageBytes,
  teamMembers,
  type TeamMember,
} from '../store/teams';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type Input<T> = { input: T & { clientMutationId?: string | null } };

export const EntityTeam: TypeResolvers = {
  available: () => false, // the name is taken: it is this entity's
  photoUrl: () => null,
  readOnly: () => false,
  readOnlyAdmin: () => false,
  privateOnly: () => false,
  storageBytes: (e: EntityRow, _: unknown, ctx: Context) => storageBytes(ctx.store, e.id),
  codeSavingEnabled: () => false,
  defaultAccess: () => 'PRIVATE',
  isPaid: () => false,
  limits: () => '{}',
  // Members are for the entity's members and server admins: others get 403, not an empty list.
  members: (e: EntityRow, _: unknown, ctx: Context) => {
    if (ctx.viewer.admin !== 1 && !ctx.store.entities.isMember(e.id, ctx.viewer.id)) {
      throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of ${e.name}`);
    }
    return teamMembers(ctx.store, e);
  },
};

export const Member: TypeResolvers = {
  id: (m: TeamMember) => (m.kind === 'member' ? userGid(m.user.id) : inviteGid(m.invite.id)),
  admin: (m: TeamMember) => m.role === 'admin',
  role: (m: TeamMember) => m.role,
  pending: (m: TeamMember) => m.kind === 'invite',
  email: (m: TeamMember) => (m.kind === 'invite' ? (m.invite.email ?? m.user?.email ?? null) : m.user.email),
  username: (m: TeamMember) => m.user?.username ?? null,
  name: (m: TeamMember) => m.user?.name ?? (m.kind === 'invite' ? (m.invite.email ?? '') : ''),
  photoUrl: () => null,
  accountType: (m: TeamMember) => m.user?.account_type ?? 'USER',
  // A service account's key, for those who manage the team (W&B shows it on the team page; Python's
  // create_service_account reads it here). Keys are stored hashed: only keys this process minted.
  apiKey: (m: TeamMember, _: unknown, ctx: Context) =>
    m.kind === 'member' && m.user.account_type === 'SERVICE' && canManage(ctx.store, ctx.viewer, m.entity)
      ? (ctx.store.users.serviceKey(m.user.id) ?? null)
      : null,
};

export const Invite: TypeResolvers = {
  id: (i: InviteRow) => inviteGid(i.id),
  name: (i: InviteRow, _: unknown, ctx: Context) => (i.user_id === null ? null : ctx.user(i.user_id)?.username) ?? i.email ?? '',
  email: (i: InviteRow) => i.email,
  createdAt: (i: InviteRow) => i.created_at,
  entity: (i: InviteRow, _: unknown, ctx: Context) => ctx.entity(i.entity_id) ?? null,
  toUser: (i: InviteRow, _: unknown, ctx: Context) => (i.user_id === null ? null : (ctx.user(i.user_id) ?? null)),
};

export const TeamMutations: TypeResolvers = {
  createTeam: (_: unknown, { input }: Input<{ teamName: string; teamAdminUserName?: string | null; organizationId?: string | null }>, ctx: Context) => {
    let organizationId: number | undefined;
    if (input.organizationId) {
      organizationId = decodeArtifactNodeGid('Organization', input.organizationId);
      if (organizationId === undefined) throw new UserInputError(`invalid organizationId ${JSON.stringify(input.organizationId)}`);
    }
    const entity = createTeamFor(ctx.store, ctx.viewer, { teamName: input.teamName, teamAdminUserName: input.teamAdminUserName, organizationId });
    return { clientMutationId: input.clientMutationId ?? null, entity };
  },
  createInvite: (
    _: unknown,
    { input }: Input<{ entityName?: string | null; email?: string | null; username?: string | null; admin?: boolean | null; role?: string | null }>,
    ctx: Context,
  ) => {
    const { invite, entity } = inviteToTeam(ctx.store, ctx.viewer, input);
    return { clientMutationId: input.clientMutationId ?? null, invite, entity, success: true };
  },
  deleteInvite: (_: unknown, { input }: Input<{ id?: string | null; entityName?: string | null }>, ctx: Context) => {
    const inviteId = input.id ? decodeGid('Invite', input.id) : undefined;
    const userId = input.id ? decodeGid('User', input.id) : undefined;
    if (inviteId !== undefined) removeFromTeam(ctx.store, ctx.viewer, { inviteId }, input.entityName);
    else if (userId !== undefined) removeFromTeam(ctx.store, ctx.viewer, { userId }, input.entityName);
    else throw new UserInputError(`invalid invite or member id ${JSON.stringify(input.id ?? null)}`);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
  createServiceAccount: (_: unknown, { input }: Input<{ entityName?: string | null; description?: string | null }>, ctx: Context) => ({
    clientMutationId: input.clientMutationId ?? null,
    user: createServiceAccount(ctx.store, ctx.viewer, input),
  }),
};
