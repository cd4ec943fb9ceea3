import {
  type CallOptions,
  NotFoundError,
  type PageResult,
  Paginated,
  type ProjectPath,
  ValidationError,
  type WandbClient,
  parseProjectPath,
  resolveProjectPath,
  checkPerPage,
} from '@wandb-api/core';
import { RunCountDocument, RunsDocument } from './generated/graphql.js';
import { type LightRun, type Run, type RunValidators, checkValidators, toLightRun, toRun, validateRun } from './run.js';
import { type RunFilter, type RunOrder, checkRunOrder } from './runQuery.js';
import { appUrl } from './url.js';

/** Options of `listRuns`; C and S type the config and summary paths that filters and order may name. */
export interface ListRunsOptions<C = Record<string, unknown>, S = Record<string, unknown>> extends CallOptions {
  /** A MongoDB-style filter, as in Python: `{ 'config.lr': { $gt: 0.01 }, state: 'finished' }`. Default: every run. */
  filters?: RunFilter<NoInfer<C>, NoInfer<S>>;
  /** `+`/`-` then a run field (`created_at` …), `config.<key>` or `summary_metrics.<key>`. Default `+created_at`. */
  order?: RunOrder<NoInfer<C>, NoInfer<S>>;
  /** Runs per request. Default 50. */
  perPage?: number;
  /** Also load config, summary, system metrics and history keys with every page. Default false. */
  full?: boolean;
  /** With `full: true`: checks (and types) each run's config and summary, e.g. `{ config: Config.parse }`. */
  validate?: RunValidators<C, S>;
  /**
   * Requests in flight at most while iterating a listing ordered by creation (the default order,
   * or `-created_at`) of more than one page: the rest is fetched in that many `createdAt` windows
   * at once (fewer after a 429), and the runs come out exactly as one sequential listing gives
   * them. 1: one page after another. Default 8. Other orders page sequentially.
   */
  windows?: number;
}

/** Checks filters, order and validators, and serialises the filters, before any request. */
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
  checkValidators(options.validate, options.full);
  return { filters: text, order: checkRunOrder(order) };
}

const missing = (entity: string, project: string) => new NotFoundError(`Could not find project ${entity}/${project}.`, { status: 404 });

/**
 * The runs of a project, lazily paged: `await` gives the first page, `for await` every run,
 * `.count()` the server's total for the filters. `listRuns<Config, Summary>` types the runs' config
 * and summary and the paths filters and order may name.
 * @example
 * const runs = listRuns(client, 'acme/mnist', { filters: { 'config.lr': { $lt: 0.01 } }, order: '-summary_metrics.accuracy' });
 * for await (const run of runs) console.log(run.id, run.state);
 * @typeParam C - The config's type: the `config.<path>` keys filters and order may name, and `run.config`.
 * @typeParam S - The summary's type: the `summary_metrics.<path>` keys, and `run.summary`.
 */
export function listRuns<C = Record<string, unknown>, S = Record<string, unknown>>(
  client: WandbClient,
  path: string | ProjectPath | undefined,
  options: ListRunsOptions<C, S> & { full: true },
): Paginated<Run<C, S>>;
export function listRuns<C = Record<string, unknown>, S = Record<string, unknown>>(
  client: WandbClient,
  path?: string | ProjectPath,
  options?: ListRunsOptions<C, S>,
): Paginated<LightRun>;
export function listRuns(client: WandbClient, path?: string | ProjectPath, options: ListRunsOptions = {}): Paginated<LightRun | Run> {
  const perPage = checkPerPage(options.perPage, 50);
  const { filters, order } = checkQuery(options);
  const { windows = 8 } = options;
  if (!Number.isInteger(windows) || windows < 1 || windows > 64) throw new ValidationError(`windows must be an integer in 1..64, got ${String(windows)}.`);
  const parsed = typeof path === 'string' ? parseProjectPath(path) : path;
  const full = options.full ?? false;
  const where = (signal: AbortSignal | undefined) => resolveProjectPath(client, parsed, { ...options, signal });
  // `boundOrder`: the first page of a windowed listing also asks for its last run's createdAt.
  const fetchPage = async (
    cursor: string | null,
    signal: AbortSignal | undefined,
    call: CallOptions = {},
    pageFilters = filters,
    boundOrder?: string,
  ): Promise<PageResult<LightRun | Run> & { bound?: string | undefined }> => {
    const { entity, project } = await where(signal);
    const variables = { entity, project, cursor, perPage, order, filters: pageFilters, full, withBound: !!boundOrder, boundOrder };
    const data = await client.request(RunsDocument, variables, { ...options, signal, ...call });
    const runs = data.project?.runs;
    if (!runs) throw missing(entity, project);
    const decode = full ? (...args: Parameters<typeof toRun>) => validateRun(toRun(...args), options.validate) : toLightRun;
    const runsUrl = appUrl(client, entity, project, 'runs', '');
    return {
      items: runs.edges.map((e) => decode(client, e.node, entity, project, runsUrl)),
      // The last edge's cursor, as W&B's runs paging expects.
      cursor: runs.edges.at(-1)?.cursor ?? null,
      hasNextPage: runs.pageInfo.hasNextPage,
      bound: data.project?.bound?.edges[0]?.node.createdAt,
    };
  };
  // A listing ordered by creation is fetched in createdAt windows side by side (./runWindows.ts,
  // loaded on demand, beside the first page).
  const creation = /^([+-]?)(created_at|createdAt)$/.exec(order);
  return new Paginated<LightRun | Run>({
    signal: options.signal,
    idOf: (run) => run.storageId,
    fetchPage: (cursor, signal) => fetchPage(cursor, signal),
    ...(creation &&
      windows > 1 && {
        async *pages(signal, limit) {
          // The last run's createdAt comes with the first page when the caller may take more.
          const first = fetchPage(null, signal, {}, filters, limit > perPage ? (creation[1] === '-' ? '+created_at' : '-created_at') : undefined);
          first.catch(() => {});
          yield* (await import('./runWindows.js')).windowedRuns({
            filters,
            desc: creation[1] === '-',
            perPage,
            windows,
            limit,
            signal,
            first,
            page: (pageFilters, cursor, call) => fetchPage(cursor, call.signal, call, pageFilters),
          });
        },
      }),
    count: async (signal) => {
      const { entity, project } = await where(signal);
      const data = await client.request(RunCountDocument, { entity, project, filters }, { ...options, signal });
      if (!data.project) throw missing(entity, project);
      return data.project.runCount;
    },
  });
}
