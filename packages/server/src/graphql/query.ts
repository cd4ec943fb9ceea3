import type { ProjectRow } from '../store/store';
import type { Context } from './context';
import { projectConnection, visibleProject } from './entity';
import type { TypeResolvers } from './resolver';

/** Feature flags clients probe via serverInfo.features (see the reference, §1.6). */
const FEATURES = [
  { name: 'SWEEPS_QUERY_FILTERING', isEnabled: true },
  { name: 'MARK_RUN_FILES_UPLOADED', isEnabled: true },
  { name: 'SWEEPS_LOCAL_SCHEDULER', isEnabled: false },
];

export const Query: TypeResolvers = {
  viewer: (_: unknown, __: unknown, ctx: Context) => ctx.viewer,
  serverInfo: () => ({ cliVersionInfo: {}, features: FEATURES }),
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
