import { runGid } from '../ids';
import { parseLenient, stringifyLenient } from '../store/json';
import type { ProjectRow, RunRow } from '../store/store';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

const projectOf = (r: RunRow, ctx: Context): ProjectRow => {
  const project = ctx.project(r.project_id);
  if (!project) throw new Error(`run ${r.id} has no project ${r.project_id}`);
  return project;
};

/** The stored text unchanged, or only the requested top-level keys (re-serialised W&B-style). */
function pickKeys(text: string, keys: readonly string[] | null | undefined): string {
  if (!keys) return text;
  const all = parseLenient(text) as Record<string, unknown>;
  return stringifyLenient(Object.fromEntries(keys.filter((k) => Object.hasOwn(all, k)).map((k) => [k, all[k]])));
}

/** What W&B answers for a run that logged no history. */
const NO_HISTORY = { keys: {}, lastStep: -1 };

export const Run: TypeResolvers = {
  id: (r: RunRow, _: unknown, ctx: Context) => {
    const project = projectOf(r, ctx);
    return runGid(r.name, project.name, project.entity_name);
  },
  name: (r: RunRow) => r.name,
  displayName: (r: RunRow) => r.display_name,
  projectId: (r: RunRow) => String(r.project_id),
  project: (r: RunRow, _: unknown, ctx: Context) => projectOf(r, ctx),
  state: (r: RunRow) => r.state,
  config: (r: RunRow, args: { keys?: string[] | null }) => pickKeys(r.config, args.keys),
  summaryMetrics: (r: RunRow, args: { keys?: string[] | null }) => pickKeys(r.summary, args.keys),
  systemMetrics: (r: RunRow) => r.system_metrics,
  tags: (r: RunRow) => JSON.parse(r.tags) as string[],
  group: (r: RunRow) => r.group_name,
  jobType: (r: RunRow) => r.job_type,
  sweepName: (r: RunRow) => r.sweep_name,
  commit: (r: RunRow) => r.commit_sha,
  host: (r: RunRow) => r.host,
  readOnly: (r: RunRow, _: unknown, ctx: Context) => !ctx.canWrite(projectOf(r, ctx).entity_id),
  createdAt: (r: RunRow) => r.created_at,
  heartbeatAt: (r: RunRow) => r.heartbeat_at,
  updatedAt: (r: RunRow) => r.updated_at,
  description: (r: RunRow) => r.description,
  notes: (r: RunRow) => r.notes,
  historyLineCount: (r: RunRow) => r.history_line_count,
  historyKeys: (r: RunRow) => (r.history_keys ? (JSON.parse(r.history_keys) as unknown) : NO_HISTORY),
  user: (r: RunRow, _: unknown, ctx: Context) => (r.user_id === null ? null : ctx.user(r.user_id)),
  // The state flags W&B's agent queries read (wandb.wandb_agent via _sweep_with_runs).
  running: (r: RunRow) => r.state === 'running',
  failed: (r: RunRow) => r.state === 'failed' || r.state === 'crashed',
  stopped: (r: RunRow) => TERMINAL_STATES.has(r.state),
  // Only a finished run's exit code is known (0); the file stream's exitcode is not kept.
  exitcode: (r: RunRow) => (r.state === 'finished' ? 0 : null),
};

const TERMINAL_STATES = new Set(['finished', 'failed', 'crashed', 'killed', 'preempted']);
