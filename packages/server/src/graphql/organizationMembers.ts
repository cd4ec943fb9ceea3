/** Organization.members and OrganizationMember, over the organization tables of store/organizations.ts. */
import { userGid } from '../ids';
import { organizations, type OrganizationRow } from '../store/organizations';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';
import type { UserRow } from '../store/store';

interface OrgMemberRow {
  user: UserRow;
  role: string;
}

export const OrganizationMembers: TypeResolvers = {
  // Query.organization already answers null to outsiders; members are listed oldest first.
  members: (o: OrganizationRow, _: unknown, ctx: Context): OrgMemberRow[] =>
    organizations(ctx.store)
      .members(o.id)
      .flatMap((m) => {
        const user = ctx.user(m.userId);
        return user ? [{ user, role: m.role }] : [];
      }),
};

export const OrganizationMember: TypeResolvers = {
  id: (m: OrgMemberRow) => userGid(m.user.id),
  username: (m: OrgMemberRow) => m.user.username,
  name: (m: OrgMemberRow) => m.user.name,
  admin: (m: OrgMemberRow) => m.role === 'admin',
  role: (m: OrgMemberRow) => m.role,
  user: (m: OrgMemberRow) => m.user,
};
