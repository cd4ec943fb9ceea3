/**
 * Users and API keys as admins manage them: Query.users (admins only), createUser (admins only),
 * generateApiKey and deleteApiKey (the viewer's own keys). Rules live in store/accounts.ts.
 */
import { apiKeyGid, decodeGid } from '../ids';
import { createUserByAdmin, deleteUserApiKey, generateUserApiKey, searchUsers } from '../store/accounts';
import { encodeCursor } from '../store/cursor';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type Input<T> = { input: T & { clientMutationId?: string | null } };

export const AccountQueries: TypeResolvers = {
  users: (_: unknown, args: { query?: string | null; first?: number | null }, ctx: Context) =>
    connection({
      items: searchUsers(ctx.store, ctx.viewer, args.query, args.first).map((node) => ({ node, cursor: encodeCursor([], node.id) })),
      hasNextPage: false,
    }),
};

export const AccountMutations: TypeResolvers = {
  createUser: (_: unknown, { input }: Input<{ email: string; admin?: boolean | null }>, ctx: Context) => ({
    clientMutationId: input.clientMutationId ?? null,
    user: createUserByAdmin(ctx.store, ctx.viewer, input),
  }),
  generateApiKey: (_: unknown, { input }: Input<{ description?: string | null }>, ctx: Context) => {
    // The answer's `name` is the key itself, this once (Python's generate_api_key returns it); listings show the short name.
    const { key, row } = generateUserApiKey(ctx.store, ctx.viewer, input.description);
    return { clientMutationId: input.clientMutationId ?? null, apiKey: { id: apiKeyGid(row.id), name: key, description: row.description } };
  },
  deleteApiKey: (_: unknown, { input }: Input<{ id?: string | null }>, ctx: Context) => {
    deleteUserApiKey(ctx.store, ctx.viewer, input.id ? decodeGid('ApiKey', input.id) : undefined);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};
