/**
 * User.apiKeys: the user's API keys. Python's wandb.Api selects them in every viewer and user
 * query (its UserFragment), so without this field `api.viewer` and `api.projects()` fail. Keys are
 * stored hashed, so a listed key's `name` is its first characters, never the key (as on W&B since
 * it hashes keys); only the user and admins see the list; others get an empty one.
 */
import { apiKeyGid } from '../ids';
import type { UserRow } from '../store/store';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

export const UserApiKeys: TypeResolvers = {
  apiKeys: (u: UserRow, _: unknown, ctx: Context) => {
    const visible = ctx.viewer.id === u.id || ctx.viewer.admin;
    const keys = visible ? ctx.store.users.apiKeysOf(u.id) : [];
    return connection({
      items: keys.map((k) => ({ node: { id: apiKeyGid(k.id), name: k.name, description: k.description }, cursor: apiKeyGid(k.id) })),
      hasNextPage: false,
    });
  },
};
