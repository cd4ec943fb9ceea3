// The client side of W&B's file-stream protocol, the way the SDK (wandb-core,
// core/internal/filestream) streams a run: POST {baseUrl}/files/{entity}/{project}/{run}/file_stream
// with a JSON body
//   {"files": {"wandb-history.jsonl": {"offset": n, "content": [line, …]},
//              "wandb-summary.json": {"offset": 0, "content": [whole summary]}, …},
//    "complete": true, "exitcode": 0}
// History lines are appended at `offset` (the number of lines sent before); the summary line is the
// run's whole summary every time; `complete` + `exitcode` end the run (finished / failed). The
// request goes through `client.fetch`, so it carries the API key (the URL is under the base URL) and
// is retried like every call — safe, since the server places lines by offset and `_step`.
import { type CallOptions, ValidationError, type WandbClient, stringifyJson } from '@wandb-api/core';

/** The streamed file of history rows (one JSON line per step). */
export const HISTORY_FILE = 'wandb-history.jsonl';
/** The streamed file of system metrics. */
export const EVENTS_FILE = 'wandb-events.jsonl';
/** The streamed file holding the run's whole summary (one line, replaced each time). */
export const SUMMARY_FILE = 'wandb-summary.json';
/** The streamed console log. */
export const OUTPUT_FILE = 'output.log';

/** wandb-core's default cap on one request (approximate: the sum of the lines' lengths). */
export const DEFAULT_MAX_REQUEST_BYTES = 10 << 20;

/** The run a stream writes to. */
export interface FileStreamRun {
  /** The run's entity. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The run's id (its name in URLs, e.g. `abc123`). */
  readonly runId: string;
}

/** Lines to write into one streamed file, starting at line `offset`. */
export interface FileStreamChunk {
  /** The line number of the first line in `content` (lines already sent before it). */
  offset: number;
  /** The lines, without trailing newlines. */
  content: string[];
}

/** One request's body, as wandb-core's FileStreamRequestJSON. */
export interface FileStreamPayload {
  /** Lines to write, by file name (e.g. `wandb-history.jsonl`). */
  files?: Record<string, FileStreamChunk>;
  /** Names of run files fully uploaded (deployments that cannot tell by themselves). */
  uploaded?: string[];
  /** Marks the run as about to be preempted, so W&B can tell a preemption from a crash. */
  preempting?: boolean;
  /** Ends the run; goes with `exitcode`. */
  complete?: boolean;
  /** The run's exit code when `complete`: 0 finished, anything else failed. */
  exitcode?: number;
}

/**
 * The file-stream URL of a run.
 * @example fileStreamUrl(client, { entity: 'acme', project: 'mnist', runId: 'abc123' })
 */
export function fileStreamUrl(client: WandbClient, run: FileStreamRun): string {
  for (const key of ['entity', 'project', 'runId'] as const) {
    if (typeof run?.[key] !== 'string' || run[key] === '') throw new ValidationError(`The file stream needs a run ${key}.`);
  }
  const seg = encodeURIComponent;
  return `${client.config.baseUrl}/files/${seg(run.entity)}/${seg(run.project)}/${seg(run.runId)}/file_stream`;
}

/**
 * Sends one file-stream request and returns the server's JSON answer (W&B's holds `exitcode`,
 * `limits`, and `stopped` when someone asked the run to stop).
 * @example await postFileStream(client, run, { files: { 'wandb-history.jsonl': { offset: 0, content: ['{"_step":0,"loss":1}'] } } });
 */
export async function postFileStream(
  client: WandbClient,
  run: FileStreamRun,
  payload: FileStreamPayload,
  options: CallOptions = {},
): Promise<Record<string, unknown>> {
  const url = fileStreamUrl(client, run);
  const response = await client.fetch(
    url,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) },
    options,
  );
  const text = await response.text();
  try {
    const answer = JSON.parse(text) as unknown;
    return answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What {@link streamRun} sends: rows, summary, and whether to end the run. */
export interface StreamRunInput extends CallOptions {
  /** History rows, each with an integer `_step`, in order. */
  history?: readonly Readonly<Record<string, unknown>>[];
  /** Line number of the first row (rows already streamed earlier). Default 0. */
  historyOffset?: number;
  /** The run's whole summary, sent once with the last request. */
  summary?: Readonly<Record<string, unknown>>;
  /** End the run with this exit code (0: finished, else failed); leave undefined to keep it running. */
  exitCode?: number;
  /** Approximate cap on the lines of one request. Default 10 MiB, as wandb-core. */
  maxRequestBytes?: number;
}

/**
 * Streams history rows (in requests of at most `maxRequestBytes` of lines), then the summary and
 * the completion in a last request, as wandb-core does at the end of a run. NaN and ±Infinity are
 * written as bare tokens, as the SDK writes them. Returns the number of requests sent.
 * @example await streamRun(client, { entity: 'acme', project: 'mnist', runId: 'abc123' }, { history: [{ _step: 0, loss: 1 }], summary: { loss: 1 }, exitCode: 0 });
 */
export async function streamRun(client: WandbClient, run: FileStreamRun, input: StreamRunInput): Promise<number> {
  const { history = [], historyOffset = 0, summary, exitCode, maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES, ...options } = input;
  if (!Number.isSafeInteger(historyOffset) || historyOffset < 0) throw new ValidationError('historyOffset must be a non-negative integer.');
  if (exitCode !== undefined && !Number.isSafeInteger(exitCode)) throw new ValidationError('exitCode must be an integer.');
  if (!(maxRequestBytes > 0)) throw new ValidationError('maxRequestBytes must be positive.');
  const lines = history.map((row) => {
    if (!Number.isSafeInteger(row._step)) throw new ValidationError('Every history row needs an integer _step.');
    return stringifyJson(row);
  });
  fileStreamUrl(client, run);

  let requests = 0;
  let offset = historyOffset;
  let next = 0;
  // Like wandb-core's request builder: at least one line per request, more while under the cap.
  while (next < lines.length) {
    const content: string[] = [];
    let size = 0;
    while (next < lines.length && (content.length === 0 || size + (lines[next] as string).length <= maxRequestBytes)) {
      size += (lines[next] as string).length;
      content.push(lines[next++] as string);
    }
    await postFileStream(client, run, { files: { [HISTORY_FILE]: { offset, content } } }, options);
    offset += content.length;
    requests++;
  }
  const last: FileStreamPayload = {};
  if (summary) last.files = { [SUMMARY_FILE]: { offset: 0, content: [stringifyJson(summary)] } };
  if (exitCode !== undefined) Object.assign(last, { complete: true, exitcode: exitCode });
  if (last.files || last.complete) {
    await postFileStream(client, run, last, options);
    requests++;
  }
  return requests;
}
