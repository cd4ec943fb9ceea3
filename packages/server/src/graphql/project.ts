import { projectGid, projectInternalGid } from '../ids';
import type { RunListOptions } from '../store/runs';
import type { ProjectRow } from '../store/store';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

export const Project: TypeResolvers = {
  id: (p: ProjectRow) => projectGid(p.id),
  // base64 "ProjectInternalId:<n>", as W&B sends it (Python's registry filters decode it).
  internalId: (p: ProjectRow) => projectInternalGid(p.id),
  name: (p: ProjectRow) => p.name,
  entityName: (p: ProjectRow) => p.entity_name,
  entity: (p: ProjectRow, _: unknown, ctx: Context) => ctx.entity(p.entity_id),
  description: (p: ProjectRow) => p.description,
  access: (p: ProjectRow) => p.access,
  views: (p: ProjectRow) => p.views ?? '{}',
  createdAt: (p: ProjectRow) => p.created_at,
  updatedAt: (p: ProjectRow) => p.updated_at,
  isBenchmark: () => false,
  readOnly: (p: ProjectRow, _: unknown, ctx: Context) => !ctx.canWrite(p.entity_id),
  user: (p: ProjectRow, _: unknown, ctx: Context) => (p.created_by === null ? null : ctx.user(p.created_by)),
  totalRuns: (p: ProjectRow, _: unknown, ctx: Context) => ctx.store.runs.count(p.id),
  runCount: (p: ProjectRow, args: { filters?: string | null }, ctx: Context) => ctx.store.runs.count(p.id, args.filters),
  run: (p: ProjectRow, args: { name: string }, ctx: Context) => ctx.store.runs.byName(p.id, args.name) ?? null,
  runs: (p: ProjectRow, args: RunListOptions, ctx: Context) => ({
    ...connection(ctx.store.runs.list(p.id, args), args.after),
    // Counted only when selected: graphql-js calls function-valued properties.
    totalCount: () => ctx.store.runs.count(p.id, args.filters),
  }),
};
