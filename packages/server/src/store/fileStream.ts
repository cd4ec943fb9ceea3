/**
 * What one file-stream request (POST /files/<entity>/<project>/<run>/file_stream) does to a run, the
 * way W&B's backend applies the SDK's streamed files:
 * - `wandb-history.jsonl`: history lines (each with `_step`; a step sent again replaces its row, so a
 *   retried request is harmless);
 * - `wandb-events.jsonl`: system-metrics lines, placed at `offset + i` (a retry overwrites);
 * - `wandb-summary.json`: the run's WHOLE summary, one line (the SDK always sends all of it; the
 *   backend keeps the last line);
 * - `output.log`: console lines at `offset + i` (the SDK rewrites earlier lines for progress bars),
 *   as `[ERROR ]<time> [<label>] text`;
 * - `complete` + `exitcode`: the run ends, `finished` for 0 and `failed` otherwise.
 */
import { UserInputError } from '../errors';
import { objectPayload, parseLenient, stringifyLenient } from './json';
import type { RunRow } from './runs';
import type { Store } from './store';
import { wandbTime } from './time';

export const HISTORY_FILE = 'wandb-history.jsonl';
export const EVENTS_FILE = 'wandb-events.jsonl';
export const SUMMARY_FILE = 'wandb-summary.json';
export const OUTPUT_FILE = 'output.log';

/** A run of lines to write, starting at line `offset` of the streamed file. */
export interface FileChunk {
  offset: number;
  content: string[];
}

/** The request body, checked (see parseFileStreamBody). */
export interface FileStreamUpdate {
  files: Record<string, FileChunk>;
  complete: boolean;
  exitcode: number | null;
}

type Row = Record<string, unknown>;

/** Checks the JSON body's shape; a message for the client when it is wrong. */
export function parseFileStreamBody(value: unknown): FileStreamUpdate {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserInputError('the file_stream body must be a JSON object');
  const body = value as Record<string, unknown>;
  const files: Record<string, FileChunk> = {};
  if (body.files != null) {
    if (typeof body.files !== 'object' || Array.isArray(body.files)) throw new UserInputError('"files" must be an object');
    for (const [name, chunk] of Object.entries(body.files as Record<string, unknown>)) {
      const c = chunk as Partial<Record<'offset' | 'content', unknown>> | null;
      if (!c || typeof c !== 'object') throw new UserInputError(`files[${JSON.stringify(name)}] must be {offset, content}`);
      const offset = c.offset ?? 0;
      if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new UserInputError(`files[${JSON.stringify(name)}].offset must be a non-negative integer`);
      if (!Array.isArray(c.content) || !c.content.every((l) => typeof l === 'string')) {
        throw new UserInputError(`files[${JSON.stringify(name)}].content must be a list of strings`);
      }
      files[name] = { offset: offset as number, content: c.content as string[] };
    }
  }
  const exitcode = body.exitcode ?? null;
  if (exitcode !== null && !Number.isSafeInteger(exitcode)) throw new UserInputError('"exitcode" must be an integer');
  return { files, complete: body.complete === true, exitcode: exitcode as number | null };
}

function parseObjectLine(line: string, what: string): Row {
  let value: unknown;
  try {
    value = parseLenient(line);
  } catch (err) {
    throw new UserInputError(`${what} holds a line that is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserInputError(`${what} lines must be JSON objects`);
  return value as Row;
}

const CONSOLE_LINE = /^(ERROR )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?) (?:\[([^\]]*)\] )?([\s\S]*)$/;

/** Applies one request to the run, all or nothing; returns the history rows it logged, in order. */
export function applyFileStream(store: Store, run: RunRow, update: FileStreamUpdate): Row[] {
  const history = update.files[HISTORY_FILE];
  const events = update.files[EVENTS_FILE];
  const summary = update.files[SUMMARY_FILE];
  const output = update.files[OUTPUT_FILE];
  // Parse everything first so a bad line changes nothing.
  const historyRows = history?.content.map((line, i) => {
    const row = parseObjectLine(line, HISTORY_FILE);
    // Every SDK line has _step; an old or hand-made client may rely on the line number instead.
    if (row._step === undefined) row._step = history.offset + i;
    if (!Number.isSafeInteger(row._step)) throw new UserInputError(`${HISTORY_FILE}: _step must be an integer`);
    return row;
  });
  const eventRows = events?.content.map((line) => parseObjectLine(line, EVENTS_FILE));
  const lastSummary = summary?.content.at(-1);
  const summaryPayload = lastSummary === undefined ? undefined : objectPayload(lastSummary, SUMMARY_FILE);

  store.db.transaction(() => {
    if (historyRows?.length) store.history.append(run.id, historyRows);
    if (events && eventRows?.length) {
      const put = store.db.prepare('INSERT OR REPLACE INTO events (run_id, seq, row) VALUES (?, ?, ?)');
      eventRows.forEach((row, i) => put.run(run.id, events.offset + i, stringifyLenient(row)));
    }
    if (output?.content.length) writeConsole(store, run.id, output);
    const state = update.complete ? (update.exitcode ?? 0) === 0 ? 'finished' : 'failed' : undefined;
    // Every request is also a heartbeat.
    store.runs.update(run.id, {
      heartbeatAt: wandbTime(),
      ...(summaryPayload ? { summary: summaryPayload } : {}),
      ...(state ? { state } : {}),
    });
  });
  return historyRows ?? [];
}

/** Console lines replace those at their numbers; a gap past the end is closed (numbers stay dense). */
function writeConsole(store: Store, runId: number, chunk: FileChunk): void {
  const count = store.logLines.count(runId);
  const start = Math.min(chunk.offset, count);
  const put = store.db.prepare(
    'INSERT OR REPLACE INTO log_lines (run_id, number, timestamp, level, label, line) VALUES (?, ?, ?, ?, ?, ?)',
  );
  chunk.content.forEach((text, i) => {
    const m = CONSOLE_LINE.exec(text);
    if (m) put.run(runId, start + i, m[2] as string, m[1] ? 'error' : 'info', m[3] ?? null, m[4] as string);
    else put.run(runId, start + i, null, 'info', null, text);
  });
}
