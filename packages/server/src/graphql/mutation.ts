import type { ProjectUpsert, RunUpsert } from '../store/store';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type WithMutationId<T> = T & { clientMutationId?: string | null };

export const Mutation: TypeResolvers = {
  upsertModel: (_: unknown, { input }: { input: WithMutationId<ProjectUpsert> }, ctx: Context) => {
    const { project, inserted } = ctx.store.upsertProject(ctx.viewer, input);
    return { clientMutationId: input.clientMutationId ?? null, entityName: project.entity_name, inserted, project, model: project };
  },
  upsertBucket: (_: unknown, { input }: { input: WithMutationId<RunUpsert> }, ctx: Context) => {
    const { run, inserted } = ctx.store.upsertRun(ctx.viewer, input);
    return { clientMutationId: input.clientMutationId ?? null, bucket: run, inserted, updateAvailable: false };
  },
};
