// `wandb-api runs <entity/project>`: one row per run from the pages of ONE paged runs query (config
// and summary come with each page: no request per run), written as each page arrives.
import type { WandbClient } from '@wandb-api/core';
import { listRuns, runsToRows } from '@wandb-api/runs';
import { type ParsedCommand, choiceOption, intOption, jsonObjectOption, listOption } from './args.js';
import { type Format, RowWriter } from './format.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';

export const RUNS_USAGE =
  'wandb-api runs <entity/project> [--filter JSON] [--order KEY] [--columns id,config.lr,summary.loss] [--format table|csv|jsonl] [--per-page N] [--limit N]';

export const RUNS_OPTIONS = {
  filter: { type: 'string' },
  order: { type: 'string' },
  columns: { type: 'string' },
  format: { type: 'string' },
  'per-page': { type: 'string' },
  limit: { type: 'string' },
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
 * @example await runsCommand(client, runsSettings(cmd), new Output(process.stdout));
 */
export async function runsCommand(client: WandbClient, s: ReturnType<typeof runsSettings>, out: Output): Promise<void> {
  const runs = listRuns(client, s.path, {
    full: true,
    ...(s.filters ? { filters: s.filters } : {}),
    ...(s.order ? { order: s.order } : {}),
    ...(s.perPage ? { perPage: s.perPage } : {}),
  });
  const writer = new RowWriter(out, s.format, s.columns);
  const progress = new Progress('runs');
  let written = 0;
  pages: for await (const page of runs.pages()) {
    for (const row of await runsToRows(page, s.columns ? { columns: s.columns } : {})) {
      if (s.limit !== undefined && written >= s.limit) break pages;
      await writer.write(row);
      written++;
    }
    progress.update({ rows: written });
  }
  progress.done();
  await writer.end();
}
