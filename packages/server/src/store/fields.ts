/**
 * The run fields that filters and order can address, mapped to SQL over the `runs` table aliased `r`.
 * JSON fields address the strict copies (config_json / summary_json) by a JSON path that is bound as
 * a parameter, never spliced into the SQL.
 */
import { UserInputError } from '../errors';

export type ColumnKind = 'text' | 'date' | 'number';

export interface ColumnField {
  kind: ColumnKind;
  sql: string;
}

export interface JsonField {
  kind: 'json';
  column: 'r.config_json' | 'r.summary_json';
  path: string;
}

export interface TagsField {
  kind: 'tags';
}

export type RunField = ColumnField | JsonField | TagsField;

const text = (sql: string): ColumnField => ({ kind: 'text', sql });
const date = (sql: string): ColumnField => ({ kind: 'date', sql });

/** Run columns by every spelling clients send (camelCase from the GraphQL names, snake_case from Python). */
const COLUMNS: Record<string, ColumnField> = {
  name: text('r.name'),
  displayName: text('r.display_name'),
  display_name: text('r.display_name'),
  state: text('r.state'),
  group: text('r.group_name'),
  jobType: text('r.job_type'),
  job_type: text('r.job_type'),
  host: text('r.host'),
  commit: text('r.commit_sha'),
  sweep: text('r.sweep_name'),
  sweepName: text('r.sweep_name'),
  username: text('(SELECT u.username FROM users u WHERE u.id = r.user_id)'),
  createdAt: date('r.created_at'),
  created_at: date('r.created_at'),
  heartbeatAt: date('r.heartbeat_at'),
  heartbeat_at: date('r.heartbeat_at'),
  updatedAt: date('r.updated_at'),
  updated_at: date('r.updated_at'),
  // Seconds between creation and the last heartbeat, as W&B's "duration" filter field.
  duration: { kind: 'number', sql: '((julianday(r.heartbeat_at) - julianday(r.created_at)) * 86400.0)' },
};

/** Resolves a filter/order key to a field, or undefined when the key names nothing we know. */
export function runField(key: string): RunField | undefined {
  if (key === 'tags') return { kind: 'tags' };
  if (Object.hasOwn(COLUMNS, key)) return COLUMNS[key];
  if (key.startsWith('config.')) {
    const segments = splitPath(key, 'config.'.length);
    // config.<k> and config.<k>.value both address the unwrapped value of key k.
    if (segments[1] === 'value') segments.splice(1, 1);
    segments.splice(1, 0, 'value');
    return { kind: 'json', column: 'r.config_json', path: jsonPath(segments, key) };
  }
  for (const prefix of ['summary_metrics.', 'summaryMetrics.']) {
    if (key.startsWith(prefix)) {
      return { kind: 'json', column: 'r.summary_json', path: jsonPath(splitPath(key, prefix.length), key) };
    }
  }
  return undefined;
}

function splitPath(key: string, from: number): string[] {
  const segments = key.slice(from).split('.');
  if (segments.some((s) => s === '')) throw new UserInputError(`invalid field path ${JSON.stringify(key)}: empty segment`);
  return segments;
}

/** `$."a"."value"."b"`: every label quoted, so keys with spaces, slashes or dashes work. */
function jsonPath(segments: string[], key: string): string {
  if (segments.some((s) => s.includes('"'))) {
    throw new UserInputError(`invalid field path ${JSON.stringify(key)}: keys may not contain '"'`);
  }
  return `$${segments.map((s) => `."${s}"`).join('')}`;
}
