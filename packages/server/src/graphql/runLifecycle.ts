/** Run mutations beyond upsertBucket (deleteRun, updateRunState, stopRun) and console logs (Run.logLines). */
import { UserInputError } from '../errors';
import { automationEvents } from '../store/automationEvents';
import type { LogLineRow } from '../store/logLines';
import type { RunRow } from '../store/store';
import type { Context } from './context';
import { isFeatureEnabled } from './features';
import type { TypeResolvers } from './resolver';

interface DeleteRunInput {
  id: string;
  deleteArtifacts?: boolean | null;
  clientMutationId?: string | null;
}

export const RunLifecycleMutations: TypeResolvers = {
  deleteRun: (_: unknown, { input }: { input: DeleteRunInput }, ctx: Context) => {
    ctx.store.deleteRun(ctx.viewer, input.id);
    return { clientMutationId: input.clientMutationId ?? null };
  },
  // An illegal transition is a GraphQL error (W&B's answer), never `success: false`.
  updateRunState: (_: unknown, { input }: { input: { id: string; state: string } }, ctx: Context) => {
    if (!isFeatureEnabled(ctx.store, 'UPDATE_RUN_STATE')) throw new UserInputError('updateRunState is not supported (UPDATE_RUN_STATE is disabled)');
    const before = ctx.store.updateRunState(ctx.viewer, input.id, input.state);
    const after = ctx.store.runs.byId(before.id);
    if (after) automationEvents(ctx.store).run(after, ctx.viewer.id, { stateBefore: before.state });
    return { success: true };
  },
  stopRun: (_: unknown, { input }: { input: { id: string; clientMutationId?: string | null } }, ctx: Context) => {
    ctx.store.stopRun(ctx.viewer, input.id);
    return { clientMutationId: input.clientMutationId ?? null, success: true };
  },
};

interface LogLinesArgs {
  after?: string | null;
  before?: string | null;
  first?: number | null;
  last?: number | null;
  /** Accepted (W&B ≥ 0.77 needs it for `after` to work); this server always pages by cursor. */
  useImprovedPagination?: boolean | null;
}

const toLogLine = (r: LogLineRow) => ({
  id: `${r.run_id}:${r.number}`,
  number: r.number,
  timestamp: r.timestamp,
  level: r.level,
  label: r.label,
  line: r.line,
});

export const RunLogLines: TypeResolvers = {
  shouldStop: (r: RunRow) => r.should_stop === 1,
  logLineCount: (r: RunRow, _: unknown, ctx: Context) => ctx.store.logLines.count(r.id),
  logLines: (r: RunRow, args: LogLinesArgs, ctx: Context) => {
    const page = ctx.store.logLines.list(r.id, args);
    const edges = page.items.map(({ node, cursor }) => ({ node: toLogLine(node), cursor }));
    return {
      edges,
      pageInfo: {
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
      },
    };
  },
};
