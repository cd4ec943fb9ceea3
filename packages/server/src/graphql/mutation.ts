import { automationEvents } from '../store/automationEvents';
import type { ProjectUpsert, RunUpsert } from '../store/store';
import { applyRegistryFields } from './artifactMutations';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

type WithMutationId<T> = T & { clientMutationId?: string | null };

export const Mutation: TypeResolvers = {
  upsertModel: (_: unknown, { input }: { input: WithMutationId<ProjectUpsert & Parameters<typeof applyRegistryFields>[2]> }, ctx: Context) => {
    const { project, inserted } = ctx.store.db.transaction(() => {
      const saved = ctx.store.upsertProject(ctx.viewer, input);
      applyRegistryFields(ctx, saved.project, input, saved.inserted); // registries: allowed artifact types, the creator as admin
      return saved;
    });
    return { clientMutationId: input.clientMutationId ?? null, entityName: project.entity_name, inserted, project, model: project };
  },
  upsertBucket: (_: unknown, { input }: { input: WithMutationId<RunUpsert> }, ctx: Context) => {
    const { run, inserted, previousState } = ctx.store.upsertRun(ctx.viewer, input);
    automationEvents(ctx.store).run(run, ctx.viewer.id, { stateBefore: previousState ?? '' });
    return { clientMutationId: input.clientMutationId ?? null, bucket: run, inserted, updateAvailable: false };
  },
};
