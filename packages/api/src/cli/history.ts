// `wandb-api history <run path>`: every history row (scanHistory: parquet exports when the server
// has them, GraphQL step windows otherwise), streamed as CSV or JSON lines.
import type { WandbClient } from '@wandb-api/core';
import { getHistoryKeys, scanHistory } from '@wandb-api/runs';
import { type ParsedCommand, choiceOption, intOption, listOption } from './args.js';
import { RowWriter } from './format.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';

export const HISTORY_USAGE =
  'wandb-api history <entity/project/run-id> [--keys a,b] [--match all|any] [--min-step N] [--max-step N] [--format csv|jsonl]';

export const HISTORY_OPTIONS = {
  keys: { type: 'string' },
  match: { type: 'string' },
  'min-step': { type: 'string' },
  'max-step': { type: 'string' },
  format: { type: 'string' },
} as const;

/** The options of `history`, checked (bad ones throw a UsageError before any request). */
export function historySettings(cmd: ParsedCommand) {
  const v = cmd.values;
  return {
    run: cmd.positionals[0] as string,
    keys: listOption(v.keys, 'keys', HISTORY_USAGE),
    match: choiceOption(v.match, 'match', ['all', 'any'] as const, 'all', HISTORY_USAGE),
    minStep: intOption(v['min-step'], 'min-step', HISTORY_USAGE),
    maxStep: intOption(v['max-step'], 'max-step', HISTORY_USAGE),
    format: choiceOption(v.format, 'format', ['csv', 'jsonl'] as const, 'csv', HISTORY_USAGE),
  };
}

/**
 * Writes the run's history rows. With `--keys` the CSV columns are `_step` and the keys, written
 * as rows arrive; without, the header is every key seen, so CSV waits for the last row (JSON lines
 * always stream).
 * @example await historyCommand(client, historySettings(cmd), new Output(process.stdout));
 */
export async function historyCommand(client: WandbClient, s: ReturnType<typeof historySettings>, out: Output): Promise<void> {
  const { lastStep } = await getHistoryKeys(client, s.run);
  const columns = s.keys ? ['_step', ...s.keys.filter((k) => k !== '_step')] : undefined;
  const writer = new RowWriter(out, s.format, s.format === 'csv' ? columns : undefined);
  const progress = new Progress('history');
  const totalSteps = Math.min(s.maxStep ?? lastStep + 1, lastStep + 1);
  let rows = 0;
  const scan = scanHistory(client, s.run, {
    match: s.match,
    ...(s.keys ? { keys: s.keys } : {}),
    ...(s.minStep !== undefined ? { minStep: s.minStep } : {}),
    ...(s.maxStep !== undefined ? { maxStep: s.maxStep } : {}),
    // A CLI user asked for these keys; an empty result is the answer, not a warning.
    onWarning: () => {},
  });
  for await (const row of scan) {
    await writer.write(row);
    rows++;
    progress.update({ rows, step: typeof row._step === 'number' ? row._step + 1 : undefined, totalSteps });
  }
  progress.done();
  await writer.end();
}
