// `wandb-api history <run path>`: every history row (scanHistory: parquet exports when the server
// has them, GraphQL step windows otherwise), streamed as CSV or JSON lines. Nothing waits for the
// last row: the CSV header is `_step` and the requested keys, or else the run's history keys.
import { getHistoryKeys, scanHistory } from '@wandb-api/runs';
import { type ParsedCommand, choiceOption, intOption, listOption } from './args.js';
import type { Command, CommandContext } from './command.js';
import { RowWriter } from './format.js';
import { Progress } from './progress.js';

export const HISTORY_USAGE =
  'wandb-api history <entity/project/run-id> [--keys a,b] [--match all|any] [--min-step N] [--max-step N] [--format csv|jsonl]';

export const HISTORY_OPTIONS = {
  keys: { type: 'string', value: 'LIST', description: 'comma-separated keys: rows holding them (see --match), with only them and _step' },
  match: { type: 'string', value: 'all|any', description: 'with --keys: rows holding all of them (default) or any' },
  'min-step': { type: 'string', value: 'N', description: 'first step (default 0)' },
  'max-step': { type: 'string', value: 'N', description: 'stop before this step (default: after the last)' },
  format: { type: 'string', value: 'csv|jsonl', description: 'output format (default csv)' },
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
 * Writes the run's history rows as they arrive. CSV columns are `_step` and the `--keys`, or
 * without them `_step` and every history key the run reports; a key it does not report is
 * warned about on stderr (asked for with `--keys`, or found in a row and left out of the CSV).
 * JSON lines carry each row's own keys.
 * @example await historyCommand(ctx, historySettings(cmd));
 */
export async function historyCommand(ctx: CommandContext, s: ReturnType<typeof historySettings>): Promise<void> {
  const client = ctx.client();
  const call = ctx.signal ? { signal: ctx.signal } : {};
  const { keys: known, lastStep } = await getHistoryKeys(client, s.run, call);
  const absent = (s.keys ?? []).filter((k) => k !== '_step' && !Object.hasOwn(known, k));
  if (absent.length > 0) ctx.warn(`run ${s.run} has no history key ${absent.map((k) => `'${k}'`).join(', ')}`);
  const columns = ['_step', ...(s.keys ?? Object.keys(known)).filter((k) => k !== '_step')];
  const header = new Set(columns);
  const writer = new RowWriter(ctx.out, s.format, s.format === 'csv' ? columns : undefined);
  const progress = new Progress('history', ctx.err);
  const totalSteps = Math.min(s.maxStep ?? lastStep + 1, lastStep + 1);
  const leftOut = new Set<string>();
  let rows = 0;
  const scan = scanHistory(client, s.run, {
    ...call,
    match: s.match,
    ...(s.keys ? { keys: s.keys } : {}),
    ...(s.minStep !== undefined ? { minStep: s.minStep } : {}),
    ...(s.maxStep !== undefined ? { maxStep: s.maxStep } : {}),
    // Keys the run lacks were warned about above; an empty result is then the answer.
    onWarning: () => {},
  });
  try {
    for await (const row of scan) {
      if (s.format === 'csv' && !s.keys) {
        for (const key of Object.keys(row)) {
          if (header.has(key) || leftOut.has(key)) continue;
          leftOut.add(key);
          ctx.warn(`history key '${key}' is not among the run's history keys: left out of the CSV (--format jsonl keeps every key)`);
        }
      }
      await writer.write(row);
      rows++;
      progress.update({ rows, step: typeof row._step === 'number' ? row._step + 1 : undefined, totalSteps });
    }
    progress.done();
  } finally {
    progress.stop();
  }
  await writer.end();
}

/** `wandb-api history`. */
export const HISTORY: Command = {
  name: 'history',
  summary: "every history row of a run (not sampled), as CSV or JSON lines",
  usage: HISTORY_USAGE,
  options: HISTORY_OPTIONS,
  positionals: ['run path'],
  details:
    "Rows are written as they arrive (parquet exports when the server has them, GraphQL otherwise). Without --keys the CSV columns are _step and the run's history keys; JSON lines keep each row's own keys.",
  run: (cmd, ctx) => historyCommand(ctx, historySettings(cmd)),
};
