import type { ProjectRow } from '../store/store';
import type { Context } from './context';
import { projectConnection, visibleProject } from './entity';
import { serverFeatures } from './features';
import type { TypeResolvers } from './resolver';

export const Query: TypeResolvers = {
  viewer: (_: unknown, __: unknown, ctx: Context) => ctx.viewer,
  serverInfo: (_: unknown, __: unknown, ctx: Context) => ({
    cliVersionInfo: {},
    features: serverFeatures(ctx.store),
    latestLocalVersionInfo: { outOfDate: false, latestVersionString: ctx.store.serverVersion, versionOnThisInstanceString: ctx.store.serverVersion },
  }),
  models: (_: unknown, args: { entityName?: string | null; first?: number | null; after?: string | null }, ctx: Context) => {
    const entity = args.entityName ? ctx.store.entities.byName(args.entityName) : ctx.store.personalEntity(ctx.viewer);
    return entity ? projectConnection(ctx, entity, args) : null;
  },
  project: (_: unknown, args: { name?: string | null; entityName?: string | null }, ctx: Context): ProjectRow | null => {
    if (!args.name) return null;
    const entity = args.entityName ? ctx.store.entities.byName(args.entityName) : ctx.store.personalEntity(ctx.viewer);
    return entity ? visibleProject(ctx, entity, args.name) : null;
  },
  entity: (_: unknown, args: { name?: string | null }, ctx: Context) =>
    args.name ? (ctx.store.entities.byName(args.name) ?? null) : ctx.store.personalEntity(ctx.viewer),
};
