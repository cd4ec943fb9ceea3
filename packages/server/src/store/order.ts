/**
 * Parses the runs `order` argument ("+created_at", "-summary_metrics.loss", "config.lr.value").
 * No sign or "+" is ascending. The row id is always the final tie-breaker (added by the pager).
 */
import { UserInputError } from '../errors';
import { runField } from './fields';
import type { SqlFragment } from './filters';

export interface RunOrder {
  /** The sort-key expression over `runs r`, with its bound parameters. */
  key: SqlFragment;
  desc: boolean;
}

export const DEFAULT_RUN_ORDER = '+created_at';

export function parseRunOrder(order: string | null | undefined): RunOrder {
  let text = (order ?? '').trim() || DEFAULT_RUN_ORDER;
  let desc = false;
  if (text.startsWith('-') || text.startsWith('+')) {
    desc = text.startsWith('-');
    text = text.slice(1).trim();
  }
  const field = text ? runField(text) : undefined;
  if (!field || field.kind === 'tags') {
    throw new UserInputError(
      `unknown order key ${JSON.stringify(order)}: use [+|-] followed by created_at, heartbeat_at, updated_at, name, ` +
        'display_name, state, group, job_type, host, username, duration, config.<key>.value or summary_metrics.<key>',
    );
  }
  const key: SqlFragment =
    field.kind === 'json'
      ? { sql: `json_extract(${field.column}, ?)`, params: [field.path] }
      : { sql: field.sql, params: [] };
  return { key, desc };
}
