// Console logs: the stdout/stderr lines W&B streamed while a run lived (the UI's Logs tab).
import { type CallOptions, NotFoundError, Paginated, ValidationError, type WandbClient, endCursorOf, parseRunPath } from '@wandb-api/core';
import { type LogLineFieldsFragment, RunLogLinesDocument, RunLogLinesTailDocument } from './generated/graphql.js';
import { type RunLocator, locateRun } from './locate.js';

/** One console line, as Python's `console_logs` yields it. */
export interface ConsoleLine {
  /** The line's number within the run. */
  readonly number: number | null;
  /** ISO 8601 in UTC (a zone-less server time is UTC); null when missing or unparsable. */
  readonly timestamp: string | null;
  /** `'error'` for stderr, else `''`. */
  readonly level: 'error' | '';
  /** E.g. the rank of a distributed worker; null when none. */
  readonly label: string | null;
  /** The text of the line. */
  readonly content: string;
}

export interface ConsoleLogsOptions extends CallOptions {
  /** Lines per request when paging forward. Default 1000. */
  perPage?: number;
  /** Only the last N lines, in one request. */
  last?: number;
}

/** W&B sends times like `2026-01-01T12:00:00.123456` (no zone: UTC). Fractions beyond ms are cut for Date. */
export function parseLogTimestamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!match) return null;
  const [, date, time, fraction = '0', zone = 'Z'] = match;
  const ms = Date.parse(`${date}T${time}.${fraction.slice(0, 3).padEnd(3, '0')}${zone}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function toConsoleLine(node: LogLineFieldsFragment): ConsoleLine {
  return {
    number: node.number ?? null,
    timestamp: parseLogTimestamp(node.timestamp),
    level: node.level === 'error' ? 'error' : '',
    label: node.label ?? null,
    content: node.line ?? '',
  };
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new ValidationError(`${name} must be an integer ≥ 1, got ${String(value)}.`);
}

/**
 * The run's console lines in order, as a Paginated list. With `last`, the tail in one request;
 * otherwise every line, paged forward `perPage` at a time (needs W&B server ≥ 0.77, as Python).
 * A server that claims more lines without a new cursor is a PaginationError (Python stops there).
 * @example
 * for await (const line of consoleLogs(client, 'acme/mnist/abc123', { last: 50 })) console.log(line.level, line.content);
 */
export function consoleLogs(client: WandbClient, run: RunLocator, options: ConsoleLogsOptions = {}): Paginated<ConsoleLine> {
  const { perPage = 1000, last } = options;
  if (typeof run === 'string') parseRunPath(run);
  else if (!run || typeof run.entity !== 'string' || typeof run.project !== 'string' || typeof run.id !== 'string') {
    throw new ValidationError('run must be a path such as "entity/project/run-id" or a run object.');
  }
  checkCount('perPage', perPage);
  checkCount('last', last);
  return new Paginated<ConsoleLine>({
    signal: options.signal,
    fetchPage: async (after, signal) => {
      const call = { ...options, signal };
      const { entity, project, runId } = await locateRun(client, run, call);
      const where = { entity, project, name: runId };
      // Forward pages carry pageInfo; the tail (`last`) is one page.
      const forward = last === undefined ? await client.request(RunLogLinesDocument, { ...where, first: perPage, after }, call) : undefined;
      const data = forward ?? (await client.request(RunLogLinesTailDocument, { ...where, last: last! }, call));
      if (!data.project?.run) throw new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
      const lines = data.project.run.logLines;
      const page = forward?.project?.run?.logLines;
      return { items: (lines?.edges ?? []).map((e) => toConsoleLine(e.node)), cursor: page ? endCursorOf(page) : null, hasNextPage: !!page?.pageInfo.hasNextPage };
    },
  });
}
