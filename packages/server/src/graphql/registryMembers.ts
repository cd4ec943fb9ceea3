/**
 * Registry members over GraphQL (what Python's `Registry.members()`, `add_members`, `remove_members`
 * and `update_member` send): Project.members / teamMembers and the four member mutations, over
 * store/projectMembers.ts. Managing members needs an admin (of the site, the owning entity or the project).
 */
import { ForbiddenError, UserInputError } from '../errors';
import { decodeGid, userGid } from '../ids';
import { checkProjectRole, projectMembers, type ProjectTeamMember as TeamMemberRow, type ProjectUserMember } from '../store/projectMembers';
import type { ProjectRow } from '../store/store';
import { canReadProject } from './artifact';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

/** The project a member mutation names (readable by the viewer), and the viewer may manage its members. */
function managedProject(ctx: Context, gid: string): ProjectRow {
  const id = decodeGid('Project', gid);
  const project = id === undefined ? undefined : ctx.store.projects.byId(id);
  if (!project || !canReadProject(ctx, project.id)) throw new UserInputError(`project ${JSON.stringify(gid)} not found`);
  if (!projectMembers(ctx.store).canManage(ctx.viewer, project)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot manage the members of ${project.entity_name}/${project.name}`);
  }
  return project;
}

function ids(kind: 'User' | 'Entity', gids: readonly string[] | null | undefined): number[] {
  return (gids ?? []).map((gid) => {
    const id = decodeGid(kind, gid);
    if (id === undefined) throw new UserInputError(`not a ${kind === 'User' ? 'user' : 'team'} id: ${JSON.stringify(gid)}`);
    return id;
  });
}

interface MembersInput {
  projectId: string;
  userIds?: string[] | null;
  teamIds?: string[] | null;
}

export const ProjectRegistryMembers: TypeResolvers = {
  members: (p: ProjectRow, _: unknown, ctx: Context) => projectMembers(ctx.store).users(p.id),
  teamMembers: (p: ProjectRow, _: unknown, ctx: Context) => projectMembers(ctx.store).teams(p.id),
};

export const ProjectMember: TypeResolvers = {
  id: (m: ProjectUserMember) => userGid(m.user.id),
  name: (m: ProjectUserMember) => m.user.name,
  username: (m: ProjectUserMember) => m.user.username,
  // Emails are shown to the member themself and to admins only.
  email: (m: ProjectUserMember, _: unknown, ctx: Context) => (ctx.viewer.id === m.user.id || ctx.viewer.admin === 1 ? m.user.email : null),
  role: (m: ProjectUserMember) => ({ name: m.role }),
};

export const ProjectTeamMember: TypeResolvers = {
  team: (m: TeamMemberRow) => m.team,
  role: (m: TeamMemberRow) => ({ name: m.role }),
};

export const RegistryMemberMutations: TypeResolvers = {
  createProjectMembers: (_: unknown, { input }: { input: MembersInput }, ctx: Context) => {
    const project = managedProject(ctx, input.projectId);
    const [users, teams] = [ids('User', input.userIds), ids('Entity', input.teamIds)];
    ctx.store.db.transaction(() => projectMembers(ctx.store).add(project.id, users, teams));
    return { success: true };
  },
  deleteProjectMembers: (_: unknown, { input }: { input: MembersInput }, ctx: Context) => {
    const project = managedProject(ctx, input.projectId);
    const [users, teams] = [ids('User', input.userIds), ids('Entity', input.teamIds)];
    ctx.store.db.transaction(() => projectMembers(ctx.store).remove(project.id, users, teams));
    return { success: true };
  },
  updateProjectMember: (_: unknown, { input }: { input: { projectId: string; userId: string; userProjectRole: string } }, ctx: Context) => {
    const project = managedProject(ctx, input.projectId);
    const [user] = ids('User', [input.userId]);
    projectMembers(ctx.store).setUserRole(project.id, user as number, checkProjectRole(input.userProjectRole));
    return { success: true };
  },
  updateProjectTeamMember: (_: unknown, { input }: { input: { projectId: string; teamId: string; teamProjectRole: string } }, ctx: Context) => {
    const project = managedProject(ctx, input.projectId);
    const [team] = ids('Entity', [input.teamId]);
    projectMembers(ctx.store).setTeamRole(project.id, team as number, checkProjectRole(input.teamProjectRole));
    return { success: true };
  },
};
