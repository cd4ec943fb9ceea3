import { entityGid } from '../ids';
import { pageSize } from '../store/cursor';
import type { EntityRow, ProjectRow } from '../store/store';
import { connection } from './connection';
import { organizations } from '../store/organizations';
import { filteredProjectConnection } from './artifactQueries';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

/** Projects list 100 per page unless asked otherwise (Python asks for 200). */
export const DEFAULT_PROJECT_PAGE = 100;

/** The entity's project by name, or null when absent or private to others (W&B answers null, not an error). */
export function visibleProject(ctx: Context, entity: EntityRow, name: string): ProjectRow | null {
  const project = ctx.store.projects.byName(entity.id, name);
  return project && ctx.store.canRead(ctx.viewer, project) ? project : null;
}

export function projectConnection(ctx: Context, entity: EntityRow, args: { first?: number | null; after?: string | null }) {
  const page = ctx.store.projects.list(entity.id, ctx.viewer, { first: pageSize(args.first, DEFAULT_PROJECT_PAGE), after: args.after });
  return connection(page, args.after);
}

export const Entity: TypeResolvers = {
  id: (e: EntityRow) => entityGid(e.id),
  name: (e: EntityRow) => e.name,
  isTeam: (e: EntityRow) => e.is_team === 1,
  // An organization's own entity reads 'organization' (Python's Organization model requires it).
  entityType: (e: EntityRow, _: unknown, ctx: Context) =>
    organizations(ctx.store).ofEntity(e.id)?.org_entity_id === e.id ? 'organization' : e.is_team ? 'TEAM' : 'USER',
  createdAt: (e: EntityRow) => e.created_at,
  project: (e: EntityRow, args: { name?: string | null }, ctx: Context) => (args.name ? visibleProject(ctx, e, args.name) : null),
  projects: (e: EntityRow, args: { first?: number | null; after?: string | null; filters?: string | null; order?: string | null }, ctx: Context) =>
    // Registry searches send filters/order (see artifactQueries.ts); plain listings keep the oldest-first keyset.
    args.filters || args.order ? filteredProjectConnection(ctx, e, args) : projectConnection(ctx, e, args),
};
