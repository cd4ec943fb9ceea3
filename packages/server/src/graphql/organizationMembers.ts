/** Organization.members and OrganizationMember, over the organization tables of store/organizations.ts. */
import { userGid } from '../ids';
import type { OrganizationRow } from '../store/organizations';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';
import type { UserRow } from '../store/store';

interface OrgMemberRow {
  user: UserRow;
  role: string;
}

export const OrganizationMembers: TypeResolvers = {
  // Query.organization already answers null to outsiders; members are listed oldest first.
  members: (o: OrganizationRow, _: unknown, ctx: Context): OrgMemberRow[] => {
    const rows = ctx.store.db
      .prepare('SELECT m.user_id, m.role FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.id')
      .all(o.id) as { user_id: number; role: string }[];
    return rows.flatMap((r) => {
      const user = ctx.user(r.user_id);
      return user ? [{ user, role: r.role }] : [];
    });
  },
};

export const OrganizationMember: TypeResolvers = {
  id: (m: OrgMemberRow) => userGid(m.user.id),
  username: (m: OrgMemberRow) => m.user.username,
  name: (m: OrgMemberRow) => m.user.name,
  admin: (m: OrgMemberRow) => m.role === 'admin',
  role: (m: OrgMemberRow) => m.role,
  user: (m: OrgMemberRow) => m.user,
};
