import { userGid } from '../ids';
import { encodeCursor } from '../store/cursor';
import type { UserRow } from '../store/store';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

export const User: TypeResolvers = {
  id: (u: UserRow) => userGid(u.id),
  name: (u: UserRow) => u.name,
  username: (u: UserRow) => u.username,
  // Emails are for the user themself and admins only.
  email: (u: UserRow, _: unknown, ctx: Context) => (ctx.viewer.id === u.id || ctx.viewer.admin ? u.email : null),
  admin: (u: UserRow) => u.admin === 1,
  // Service accounts have no personal entity: their team is their default entity.
  entity: (u: UserRow, _: unknown, ctx: Context) =>
    ctx.store.entities.personalOf(u.id)?.name ?? (u.account_type === 'SERVICE' ? (ctx.store.entities.teamsOf(u.id)[0]?.name ?? null) : null),
  flags: () => '{}',
  deletedAt: () => null,
  createdAt: (u: UserRow) => u.created_at,
  // The user's own entity first, then their teams: W&B lists a user without teams as `[username]`.
  teams: (u: UserRow, _: unknown, ctx: Context) => {
    const personal = ctx.store.entities.personalOf(u.id);
    const entities = [...(personal ? [personal] : []), ...ctx.store.entities.teamsOf(u.id)];
    return connection({ items: entities.map((node) => ({ node, cursor: encodeCursor([], node.id) })), hasNextPage: false });
  },
};
