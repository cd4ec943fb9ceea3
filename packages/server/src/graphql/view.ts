/** Reports: Project.allViews, Query.view and the View type. */
import { UserInputError } from '../errors';
import type { ProjectRow } from '../store/store';
import { decodeViewGid, type ViewListOptions, type ViewRow, viewGid } from '../store/views';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

const projectOf = (v: ViewRow, ctx: Context): ProjectRow => {
  const project = ctx.project(v.project_id);
  if (!project) throw new Error(`view ${v.id} has no project ${v.project_id}`);
  return project;
};

export const ProjectViews: TypeResolvers = {
  allViews: (p: ProjectRow, args: ViewListOptions, ctx: Context) => ({
    ...connection(ctx.store.views.list(p.id, args), args.after),
    totalCount: () => ctx.store.views.count(p.id, args),
  }),
};

export const ViewQueries: TypeResolvers = {
  /** A view by global id, or null when absent or in a project the viewer cannot read. */
  view: (_: unknown, args: { id: string; type?: string | null }, ctx: Context) => {
    let id: number;
    try {
      id = decodeViewGid(args.id);
    } catch (err) {
      if (err instanceof UserInputError) return null;
      throw err;
    }
    const view = ctx.store.views.byId(id);
    if (!view || (args.type && view.type !== args.type)) return null;
    const project = ctx.project(view.project_id);
    return project && ctx.store.canRead(ctx.viewer, project) ? view : null;
  },
};

export const View: TypeResolvers = {
  id: (v: ViewRow) => viewGid(v.id),
  name: (v: ViewRow) => v.name,
  displayName: (v: ViewRow) => v.display_name,
  description: (v: ViewRow) => v.description,
  type: (v: ViewRow) => v.type,
  spec: (v: ViewRow) => v.spec,
  entityName: (v: ViewRow, _: unknown, ctx: Context) => projectOf(v, ctx).entity_name,
  projectName: (v: ViewRow, _: unknown, ctx: Context) => projectOf(v, ctx).name,
  project: (v: ViewRow, _: unknown, ctx: Context) => projectOf(v, ctx),
  user: (v: ViewRow, _: unknown, ctx: Context) => (v.user_id === null ? null : (ctx.user(v.user_id) ?? null)),
  createdAt: (v: ViewRow) => v.created_at,
  updatedAt: (v: ViewRow) => v.updated_at,
};
