/**
 * Teams as admins manage them: creating a team, its members and pending invites, removing either,
 * and service accounts (users of account type SERVICE that belong to one team). Team admins (members
 * with role `admin`) and server admins may change a team; anyone else gets ForbiddenError.
 */
import { ForbiddenError, UserInputError } from '../errors';
import type { EntityRow } from './entities';
import { invites, type InviteRow } from './invites';
import { organizations } from './organizations';
import type { Store, UserRow } from './store';

/** One row of Entity.members: a member (pending false) or a pending invite. */
export type TeamMember =
  | { kind: 'member'; entity: EntityRow; user: UserRow; role: string }
  | { kind: 'invite'; entity: EntityRow; invite: InviteRow; user: UserRow | null; role: string };

/** The user's role in the entity ('admin' or 'member'), undefined when not a member. */
export function roleIn(store: Store, entityId: number, userId: number): string | undefined {
  const row = store.db.prepare('SELECT role FROM members WHERE entity_id = ? AND user_id = ?').get(entityId, userId) as { role: string } | undefined;
  return row?.role;
}

/** Server admins and the entity's own admins may manage it. */
export function canManage(store: Store, viewer: UserRow, entity: EntityRow): boolean {
  return viewer.admin === 1 || roleIn(store, entity.id, viewer.id) === 'admin';
}

function assertManager(store: Store, viewer: UserRow, entity: EntityRow): void {
  if (!canManage(store, viewer, entity)) throw new ForbiddenError(`permission denied: ${viewer.username} is not an admin of ${entity.name}`);
}

function requireTeam(store: Store, name: string | null | undefined): EntityRow {
  if (!name) throw new UserInputError('entityName is required');
  const entity = store.entities.byName(name);
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(name)} does not exist`);
  return entity;
}

/** Members in the order they joined, then pending invites, oldest first. */
export function teamMembers(store: Store, entity: EntityRow): TeamMember[] {
  const rows = store.db.prepare('SELECT user_id, role FROM members WHERE entity_id = ? ORDER BY rowid').all(entity.id) as { user_id: number; role: string }[];
  const members: TeamMember[] = rows.flatMap((r) => {
    const user = store.users.byId(r.user_id);
    return user ? [{ kind: 'member' as const, entity, user, role: r.role }] : [];
  });
  const pending: TeamMember[] = invites(store)
    .ofEntity(entity.id)
    .map((invite) => ({ kind: 'invite', entity, invite, user: invite.user_id === null ? null : (store.users.byId(invite.user_id) ?? null), role: invite.role }));
  return [...members, ...pending];
}

/** Total bytes of the run files in the entity's projects (Entity.storageBytes). */
export function storageBytes(store: Store, entityId: number): number {
  const row = store.db
    .prepare(
      'SELECT coalesce(sum(f.size_bytes), 0) AS bytes FROM run_files f JOIN runs r ON r.id = f.run_id JOIN projects p ON p.id = r.project_id WHERE p.entity_id = ?',
    )
    .get(entityId) as { bytes: number };
  return row.bytes;
}

export interface CreateTeamRequest {
  teamName: string;
  /** The team's admin; default the viewer. Naming someone else needs a server admin. */
  teamAdminUserName?: string | null;
  /** An organization's numeric id the team joins (the viewer must belong to it). */
  organizationId?: number | null;
}

/** createTeam: a new team entity whose admin is the viewer or, for server admins, the named user. */
export function createTeamFor(store: Store, viewer: UserRow, input: CreateTeamRequest): EntityRow {
  return store.db.transaction(() => {
    let admin = viewer;
    if (input.teamAdminUserName && input.teamAdminUserName !== viewer.username) {
      if (viewer.admin !== 1) throw new ForbiddenError(`permission denied: only admins may create a team for ${input.teamAdminUserName}`);
      const named = store.users.byName(input.teamAdminUserName);
      if (!named) throw new UserInputError(`user ${JSON.stringify(input.teamAdminUserName)} does not exist`);
      admin = named;
    }
    const team = store.entities.insert({ name: input.teamName, isTeam: true });
    store.entities.addMember(team.id, admin.id, 'admin');
    if (input.organizationId !== undefined && input.organizationId !== null) {
      const orgs = organizations(store);
      const org = orgs.byId(input.organizationId);
      if (!org) throw new UserInputError(`no organization with id ${input.organizationId}`);
      if (viewer.admin !== 1 && !orgs.isMember(org.id, viewer.id)) throw new ForbiddenError(`permission denied: ${viewer.username} is not in organization ${org.name}`);
      orgs.addEntity(org.id, team.id);
    }
    return team;
  });
}

export interface InviteRequest {
  entityName?: string | null;
  email?: string | null;
  username?: string | null;
  /** Deprecated in W&B's schema, still what Python sends. */
  admin?: boolean | null;
  role?: string | null;
}

/** createInvite: a pending invite of a user (by username or email) or of an email address. */
export function inviteToTeam(store: Store, viewer: UserRow, input: InviteRequest): { invite: InviteRow; entity: EntityRow } {
  return store.db.transaction(() => {
    const entity = requireTeam(store, input.entityName);
    assertManager(store, viewer, entity);
    if (!entity.is_team) throw new UserInputError(`${entity.name} is a personal entity, not a team`);
    if (Boolean(input.email) === Boolean(input.username)) throw new UserInputError('give exactly one of email and username');
    let user: UserRow | undefined;
    let email: string | null = null;
    if (input.username) {
      user = store.users.byName(input.username);
      if (!user) throw new UserInputError(`user ${JSON.stringify(input.username)} does not exist`);
    } else {
      email = (input.email as string).trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UserInputError(`invalid email ${JSON.stringify(input.email)}`);
      user = store.users.byEmail(email);
    }
    if (user && store.entities.isMember(entity.id, user.id)) throw new UserInputError(`${user.username} is already a member of ${entity.name}`);
    if (invites(store).pending(entity.id, user?.id ?? null, email ?? user?.email ?? null)) {
      throw new UserInputError(`${user?.username ?? email} is already invited to ${entity.name}`);
    }
    const role = input.role === 'admin' || input.admin ? 'admin' : 'member';
    const invite = invites(store).insert({ entityId: entity.id, userId: user?.id ?? null, email: email ?? user?.email ?? null, role, fromUserId: viewer.id });
    return { invite, entity };
  });
}

/**
 * deleteInvite: removes a pending invite, or a member (Python's Member.delete sends the member's id).
 * Members may remove themselves; a personal entity keeps its owner.
 */
export function removeFromTeam(store: Store, viewer: UserRow, target: { inviteId: number } | { userId: number }, entityName?: string | null): void {
  store.db.transaction(() => {
    if ('inviteId' in target) {
      const invite = invites(store).byId(target.inviteId);
      const entity = invite && store.entities.byId(invite.entity_id);
      if (!invite || !entity || (entityName && entity.name !== entityName)) throw new UserInputError(`no invite with id ${target.inviteId}`);
      assertManager(store, viewer, entity);
      invites(store).delete(invite.id);
      return;
    }
    const entity = requireTeam(store, entityName);
    if (viewer.id !== target.userId) assertManager(store, viewer, entity);
    if (!store.entities.isMember(entity.id, target.userId)) throw new UserInputError(`user ${target.userId} is not a member of ${entity.name}`);
    if (entity.owner_id === target.userId) throw new UserInputError(`the owner of ${entity.name} cannot leave it`);
    store.db.prepare('DELETE FROM members WHERE entity_id = ? AND user_id = ?').run(entity.id, target.userId);
  });
}

/** createServiceAccount: a user of account type SERVICE, member of the team, with one API key (see Users.serviceKeys). */
export function createServiceAccount(store: Store, viewer: UserRow, input: { entityName?: string | null; description?: string | null }): UserRow {
  return store.db.transaction(() => {
    const entity = requireTeam(store, input.entityName);
    assertManager(store, viewer, entity);
    if (!entity.is_team) throw new UserInputError(`${entity.name} is a personal entity, not a team`);
    const base = `${entity.name.slice(0, 48)}-service`;
    let username = base;
    for (let n = 2; store.users.byName(username); n++) username = `${base}-${n}`;
    const description = input.description?.trim() || null;
    const user = store.users.insert({ username, name: description ?? username, accountType: 'SERVICE' });
    store.entities.addMember(entity.id, user.id, 'member');
    store.users.addServiceKey(user.id, description);
    return user;
  });
}
