import {
  type CallOptions,
  NotFoundError,
  Paginated,
  type ProjectPath,
  ValidationError,
  type WandbClient,
  parseProjectPath,
  resolveProjectPath,
  checkPerPage,
} from '@wandb-api/core';
import { RunCountDocument, RunsDocument } from './generated/graphql.js';
import { type LightRun, type Run, toLightRun, toRun } from './run.js';

/**
 * A MongoDB-style run filter, sent to the server as it is. Fields: `config.<key>`,
 * `summary_metrics.<key>`, `tags`, `state`, `createdAt`, `displayName`, `name`, `group`, `jobType`,
 * `username`, `host`, `sweep`; operators `$and $or $nor $eq $ne $gt $gte $lt $lte $in $nin $exists $regex`.
 */
export type RunFilter = Readonly<Record<string, unknown>>;

/** Options of `listRuns`. */
export interface ListRunsOptions extends CallOptions {
  /** A MongoDB-style filter, as in Python: `{ 'config.lr': { $gt: 0.01 }, state: 'finished' }`. Default: every run. */
  filters?: RunFilter;
  /** `+`/`-` then a key: `created_at`, `heartbeat_at`, `name`, `config.<key>.value`, `summary_metrics.<key>`. Default `+created_at`. */
  order?: string;
  /** Runs per request. Default 50. */
  perPage?: number;
  /** Also load config, summary, system metrics and history keys with every page. Default false. */
  full?: boolean;
}

const ORDER = /^[+-]?[A-Za-z_][\w./\- ]*$/; // W&B metric names often hold "/" (val/loss)

/** Checks filters and order, and serialises the filters, before any request. */
function checkQuery(options: ListRunsOptions): { filters: string; order: string } {
  const { filters = {}, order = '+created_at' } = options;
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw new ValidationError('filters must be an object, e.g. { state: "finished" }.');
  }
  let text: string;
  try {
    text = JSON.stringify(filters);
  } catch (error) {
    throw new ValidationError(`filters cannot be serialised: ${(error as Error).message}`);
  }
  if (typeof order !== 'string' || !ORDER.test(order)) {
    throw new ValidationError(`Invalid order '${String(order)}': expected e.g. '-created_at'.`);
  }
  return { filters: text, order };
}

const missing = (entity: string, project: string) => new NotFoundError(`Could not find project ${entity}/${project}.`, { status: 404 });

/**
 * The runs of a project, lazily paged: `await` gives the first page, `for await` every run,
 * `.count()` the server's total for the filters.
 * @example
 * const runs = listRuns(client, 'acme/mnist', { filters: { 'config.lr': { $lt: 0.01 } }, order: '-summary_metrics.accuracy' });
 * for await (const run of runs) console.log(run.id, run.state);
 */
export function listRuns(client: WandbClient, path: string | ProjectPath | undefined, options: ListRunsOptions & { full: true }): Paginated<Run>;
export function listRuns(client: WandbClient, path?: string | ProjectPath, options?: ListRunsOptions): Paginated<LightRun>;
export function listRuns(client: WandbClient, path?: string | ProjectPath, options: ListRunsOptions = {}): Paginated<LightRun | Run> {
  const perPage = checkPerPage(options.perPage, 50);
  const { filters, order } = checkQuery(options);
  const parsed = typeof path === 'string' ? parseProjectPath(path) : path;
  const full = options.full ?? false;
  const where = (signal: AbortSignal | undefined) => resolveProjectPath(client, parsed, { ...options, signal });
  return new Paginated<LightRun | Run>({
    signal: options.signal,
    idOf: (run) => run.storageId,
    fetchPage: async (cursor, signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(RunsDocument, { entity, project, cursor, perPage, order, filters, full }, { ...options, signal });
      const runs = data.project?.runs;
      if (!runs) throw missing(entity, project);
      const decode = full ? toRun : toLightRun;
      return {
        items: runs.edges.map((e) => decode(client, e.node, entity, project)),
        // The last edge's cursor, as W&B's runs paging expects.
        cursor: runs.edges.at(-1)?.cursor ?? null,
        hasNextPage: runs.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(RunCountDocument, { entity, project, filters }, { ...options, signal });
      if (!data.project) throw missing(entity, project);
      return data.project.runCount;
    },
  });
}
