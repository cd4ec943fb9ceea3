/**
 * Project (registry) members: users and teams invited to a project with a role, as W&B's
 * `createProjectMembers` / `updateProjectMember` / `deleteProjectMembers` keep them. Members see the
 * project whatever its access (projects.ts); admins among them manage the others; admins and members
 * write to it (link versions), viewers only read.
 */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { EntityRow } from './entities';
import type { ProjectRow } from './projects';
import type { Store } from './store';
import { storePart } from './storePart';
import type { UserRow } from './users';
import { wandbTime } from './time';

/** The roles a project member may have (Python's MemberRole). */
export const PROJECT_ROLES = ['admin', 'member', 'viewer', 'restricted_viewer'] as const;

/** One of PROJECT_ROLES. */
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** A user member and their role. */
export interface ProjectUserMember {
  /** The user. */
  user: UserRow;
  /** Their role in the project. */
  role: ProjectRole;
}

/** A team member (a team entity) and its role. */
export interface ProjectTeamMember {
  /** The team entity. */
  team: EntityRow;
  /** Its role in the project. */
  role: ProjectRole;
}

/** A UserInputError unless `role` is one of PROJECT_ROLES. */
export function checkProjectRole(role: string): ProjectRole {
  if (!(PROJECT_ROLES as readonly string[]).includes(role)) throw new UserInputError(`invalid role ${JSON.stringify(role)}: one of ${PROJECT_ROLES.join(', ')}`);
  return role as ProjectRole;
}

/**
 * The project_members and project_team_members tables.
 * @example projectMembers(store).addUsers(project.id, [user.id], 'member')
 */
export class ProjectMembers {
  constructor(
    private readonly db: Db,
    private readonly store: Store,
  ) {}

  /** User members, oldest first. */
  users(projectId: number): ProjectUserMember[] {
    const rows = this.db.prepare('SELECT user_id, role FROM project_members WHERE project_id = ? ORDER BY created_at, user_id').all(projectId) as {
      user_id: number;
      role: ProjectRole;
    }[];
    return rows.flatMap((r) => {
      const user = this.store.users.byId(r.user_id);
      return user ? [{ user, role: r.role }] : [];
    });
  }

  /** Team members, oldest first. */
  teams(projectId: number): ProjectTeamMember[] {
    const rows = this.db.prepare('SELECT entity_id, role FROM project_team_members WHERE project_id = ? ORDER BY created_at, entity_id').all(projectId) as {
      entity_id: number;
      role: ProjectRole;
    }[];
    return rows.flatMap((r) => {
      const team = this.store.entities.byId(r.entity_id);
      return team ? [{ team, role: r.role }] : [];
    });
  }

  /** Adds users and teams with `role`; those already members keep theirs. Teams must be team entities. */
  add(projectId: number, userIds: readonly number[], teamIds: readonly number[], role: ProjectRole = 'member'): void {
    const now = wandbTime();
    for (const id of userIds) {
      if (!this.store.users.byId(id)) throw new UserInputError(`user ${id} not found`);
      this.db.prepare('INSERT OR IGNORE INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, ?, ?)').run(projectId, id, role, now);
    }
    for (const id of teamIds) {
      if (this.store.entities.byId(id)?.is_team !== 1) throw new UserInputError(`team ${id} not found`);
      this.db.prepare('INSERT OR IGNORE INTO project_team_members (project_id, entity_id, role, created_at) VALUES (?, ?, ?, ?)').run(projectId, id, role, now);
    }
  }

  /** Removes users and teams (those that are not members are ignored). */
  remove(projectId: number, userIds: readonly number[], teamIds: readonly number[]): void {
    for (const id of userIds) this.db.prepare('DELETE FROM project_members WHERE project_id = ? AND user_id = ?').run(projectId, id);
    for (const id of teamIds) this.db.prepare('DELETE FROM project_team_members WHERE project_id = ? AND entity_id = ?').run(projectId, id);
  }

  /** Changes a user member's role; a UserInputError when the user is not a member. */
  setUserRole(projectId: number, userId: number, role: ProjectRole): void {
    const changed = this.db.prepare('UPDATE project_members SET role = ? WHERE project_id = ? AND user_id = ?').run(role, projectId, userId).changes;
    if (changed === 0) throw new UserInputError(`user ${userId} is not a member of this project`);
  }

  /** Changes a team member's role; a UserInputError when the team is not a member. */
  setTeamRole(projectId: number, entityId: number, role: ProjectRole): void {
    const changed = this.db.prepare('UPDATE project_team_members SET role = ? WHERE project_id = ? AND entity_id = ?').run(role, projectId, entityId).changes;
    if (changed === 0) throw new UserInputError(`team ${entityId} is not a member of this project`);
  }

  /** The viewer's roles in a project: their own and those of their teams. */
  rolesOf(projectId: number, userId: number): ProjectRole[] {
    return (
      this.db
        .prepare(
          `SELECT role FROM project_members WHERE project_id = ? AND user_id = ?
           UNION ALL SELECT pt.role FROM project_team_members pt JOIN members m ON m.entity_id = pt.entity_id WHERE pt.project_id = ? AND m.user_id = ?`,
        )
        .all(projectId, userId, projectId, userId) as { role: ProjectRole }[]
    ).map((r) => r.role);
  }

  /** Admins, admins of the owning entity and project admins manage members. */
  canManage(viewer: UserRow, project: ProjectRow): boolean {
    const entityRole = this.db.prepare('SELECT role FROM members WHERE entity_id = ? AND user_id = ?').get(project.entity_id, viewer.id) as { role: string } | undefined;
    if (viewer.admin === 1 || entityRole?.role === 'admin') return true;
    return this.rolesOf(project.id, viewer.id).includes('admin');
  }

  /** Project admins and members write (link versions); viewers do not. */
  canWrite(viewer: UserRow, project: ProjectRow): boolean {
    return this.rolesOf(project.id, viewer.id).some((r) => r === 'admin' || r === 'member');
  }
}

/**
 * The project members of a Store.
 * @example projectMembers(store).users(project.id)
 */
export const projectMembers: (store: Store) => ProjectMembers = storePart((store) => new ProjectMembers(store.db, store));
