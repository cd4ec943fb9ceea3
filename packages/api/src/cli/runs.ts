// `wandb-api runs <entity/project>`: one row per run from the pages of ONE paged runs query (config
// and summary come with each page: no request per run), written as each page arrives.
import { type RunColumn, type RunFilter, type RunOrder, listRuns, runsToRows } from '@wandb-api/runs';
import { type ParsedCommand, choiceOption, intOption, jsonObjectOption, listOption } from './args.js';
import type { Command, CommandContext } from './command.js';
import { type Format, RowWriter } from './format.js';
import { Progress } from './progress.js';

export const RUNS_USAGE =
  'wandb-api runs <entity/project> [--filter JSON] [--order KEY] [--columns id,config.lr,summary.loss] [--format table|csv|jsonl] [--per-page N] [--limit N]';

export const RUNS_OPTIONS = {
  filter: { type: 'string', value: 'JSON', description: `a MongoDB-style filter, e.g. '{"state": "finished", "config.lr": {"$lt": 0.01}}'` },
  order: { type: 'string', value: 'KEY', description: "sort key, '-' first for descending, e.g. -summary_metrics.acc (default +created_at)" },
  columns: { type: 'string', value: 'LIST', description: 'comma-separated columns: id, name, state, createdAt, config.<key>, summary.<key> … (default: all)' },
  format: { type: 'string', value: 'table|csv|jsonl', description: 'output format (default table; csv and jsonl stream)' },
  'per-page': { type: 'string', value: 'N', description: 'runs per request (default 50)' },
  limit: { type: 'string', value: 'N', description: 'stop after N runs' },
} as const;

/** The options of `runs`, checked (bad ones throw a UsageError before any request). */
export function runsSettings(cmd: ParsedCommand) {
  const v = cmd.values;
  return {
    path: cmd.positionals[0] as string,
    filters: jsonObjectOption(v.filter, 'filter', RUNS_USAGE),
    order: typeof v.order === 'string' ? v.order : undefined,
    columns: listOption(v.columns, 'columns', RUNS_USAGE),
    format: choiceOption<Format>(v.format, 'format', ['table', 'csv', 'jsonl'], 'table', RUNS_USAGE),
    perPage: intOption(v['per-page'], 'per-page', RUNS_USAGE, 1),
    limit: intOption(v.limit, 'limit', RUNS_USAGE, 1),
  };
}

/**
 * Writes the project's runs as rows.
 * @example await runsCommand(ctx, runsSettings(cmd));
 */
export async function runsCommand(ctx: CommandContext, s: ReturnType<typeof runsSettings>): Promise<void> {
  const runs = listRuns(ctx.client(), s.path, {
    full: true,
    // Typed at runtime: the order is checked before any request, the filter by the server.
    ...(s.filters ? { filters: s.filters as RunFilter } : {}),
    ...(s.order ? { order: s.order as RunOrder } : {}),
    ...(s.perPage ? { perPage: s.perPage } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const writer = new RowWriter(ctx.out, s.format, s.columns);
  const progress = new Progress('runs', ctx.err);
  try {
    let written = 0;
    pages: for await (const page of runs.pages()) {
      for (const row of await runsToRows(page, s.columns ? { columns: s.columns as RunColumn[] } : {})) {
        if (s.limit !== undefined && written >= s.limit) break pages;
        await writer.write(row);
        written++;
      }
      progress.update({ rows: written });
    }
    progress.done();
  } finally {
    progress.stop();
  }
  await writer.end();
}

/** `wandb-api runs`. */
export const RUNS: Command = {
  name: 'runs',
  summary: "a project's runs, one row each (config and summary included)",
  usage: RUNS_USAGE,
  options: RUNS_OPTIONS,
  positionals: ['entity/project'],
  details:
    'Rows come from the pages of one runs query (no request per run). csv and jsonl are written as pages arrive; a table waits for the last row to align its columns. JSON lines use W&B\'s JSON dialect (bare NaN, Infinity).',
  run: (cmd, ctx) => runsCommand(ctx, runsSettings(cmd)),
};
