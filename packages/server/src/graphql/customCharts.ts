/**
 * Custom chart presets: Query.customChart (by id `entity/name`) and customCharts (an entity's, by
 * type), createCustomChart, updateCustomChart and deleteCustomChart. Members of the entity create
 * and read its charts (a PUBLIC chart anyone reads); its admins and a chart's creator change or
 * delete it. Rules and SQL live in store/customCharts.ts.
 */
import { ForbiddenError, UserInputError } from '../errors';
import { customCharts, type CustomChartRow } from '../store/customCharts';
import { decodeCursor, encodeCursor, pageSize } from '../store/cursor';
import type { EntityRow } from '../store/store';
import { canManage } from '../store/teams';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type Input<T> = { input: T & { clientMutationId?: string | null } };

const canRead = (ctx: Context, c: CustomChartRow): boolean => c.access === 'PUBLIC' || ctx.viewer.admin === 1 || ctx.canWrite(c.entity_id);

function requireEntity(ctx: Context, name: string): EntityRow {
  const entity = ctx.store.entities.byName(name);
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(name)} not found`);
  return entity;
}

/** A chart the viewer may change: its creator's, or any for the entity's admins. */
function changeable(ctx: Context, entityName: string, name: string): CustomChartRow {
  const entity = requireEntity(ctx, entityName);
  const chart = customCharts(ctx.store).require(entity.id, name);
  if (chart.user_id !== ctx.viewer.id && !canManage(ctx.store, ctx.viewer, entity)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} may not change chart ${entityName}/${name}`);
  }
  return chart;
}

export const CustomChart: TypeResolvers = {
  id: (c: CustomChartRow) => `${c.entity_name}/${c.name}`,
  displayName: (c: CustomChartRow) => c.display_name,
  createdAt: (c: CustomChartRow) => c.created_at,
  updatedAt: (c: CustomChartRow) => c.updated_at,
  entity: (c: CustomChartRow, _: unknown, ctx: Context) => ctx.entity(c.entity_id),
  user: (c: CustomChartRow, _: unknown, ctx: Context) => ctx.user(c.user_id),
};

export const CustomChartQueries: TypeResolvers = {
  customChart: (_: unknown, { id }: { id: string }, ctx: Context) => {
    const slash = id.indexOf('/');
    const entity = slash > 0 ? ctx.store.entities.byName(id.slice(0, slash)) : undefined;
    const chart = entity && customCharts(ctx.store).byName(entity.id, id.slice(slash + 1));
    return chart && canRead(ctx, chart) ? chart : null;
  },
  customCharts: (_: unknown, args: { entity?: string | null; type: string; first?: number | null; after?: string | null }, ctx: Context) => {
    const entity = args.entity ? requireEntity(ctx, args.entity) : ctx.store.personalEntity(ctx.viewer);
    if (ctx.viewer.admin !== 1 && !ctx.canWrite(entity.id)) throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of ${entity.name}`);
    const first = pageSize(args.first);
    const page = customCharts(ctx.store).list(entity.id, args.type, first, args.after ? decodeCursor(args.after, 0).id : 0);
    return connection({ items: page.rows.map((node) => ({ node, cursor: encodeCursor([], node.id) })), hasNextPage: page.hasNextPage }, args.after);
  },
};

export const CustomChartMutations: TypeResolvers = {
  createCustomChart: (
    _: unknown,
    { input }: Input<{ entity: string; name: string; displayName: string; type: string; access: string; spec: string }>,
    ctx: Context,
  ) => {
    const entity = requireEntity(ctx, input.entity);
    if (ctx.viewer.admin !== 1 && !ctx.canWrite(entity.id)) throw new ForbiddenError(`permission denied: ${ctx.viewer.username} is not a member of ${entity.name}`);
    const chart = customCharts(ctx.store).create({ ...input, entityId: entity.id, userId: ctx.viewer.id });
    return { clientMutationId: input.clientMutationId ?? null, chart };
  },
  updateCustomChart: (
    _: unknown,
    { input }: Input<{ entity: string; name: string; displayName?: string | null; type?: string | null; access?: string | null; spec?: string | null }>,
    ctx: Context,
  ) => ({ clientMutationId: input.clientMutationId ?? null, chart: customCharts(ctx.store).update(changeable(ctx, input.entity, input.name), input) }),
  deleteCustomChart: (_: unknown, { input }: Input<{ entity: string; name: string }>, ctx: Context) => {
    customCharts(ctx.store).delete(changeable(ctx, input.entity, input.name));
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};
