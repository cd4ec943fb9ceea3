/**
 * The execution history of automations: one row each time the server fires a trigger, from PENDING
 * (the action is under way) to SUCCEEDED, FAILED (the webhook answered an error or could not be
 * reached) or SKIPPED (a Slack notification: this server never calls Slack). What was sent is kept
 * with every secret value masked. SQL only.
 */
import type { Db } from './db';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

/** Where a firing is: its webhook request under way, done, failed, or not sent (Slack). */
export type ExecutionState = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';

export interface ExecutionRow {
  id: number;
  trigger_id: number;
  trigger_name: string;
  entity_name: string;
  event_type: string;
  /** JSON: the payload variables of the event, secrets masked. */
  event: string;
  action_type: string;
  state: ExecutionState;
  /** JSON: `{url, headers, body}` of the webhook request, secrets masked; null for other actions. */
  request: string | null;
  response_status: number | null;
  error: string | null;
  triggered_at: string;
  finished_at: string | null;
}

const SELECT = `SELECT x.*, t.name AS trigger_name, e.name AS entity_name
  FROM trigger_executions x JOIN triggers t ON t.id = x.trigger_id JOIN entities e ON e.id = t.entity_id`;

export class TriggerExecutions {
  constructor(private readonly db: Db) {}

  start(input: { triggerId: number; eventType: string; event: string; actionType: string; state: ExecutionState; request: string | null }): number {
    const finished = input.state === 'PENDING' ? null : wandbTime();
    return this.db
      .prepare(
        'INSERT INTO trigger_executions (trigger_id, event_type, event, action_type, state, request, triggered_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .pluck()
      .get(input.triggerId, input.eventType, input.event, input.actionType, input.state, input.request, wandbTime(), finished) as number;
  }

  finish(id: number, outcome: { state: ExecutionState; responseStatus?: number | null; error?: string | null }): void {
    this.db
      .prepare('UPDATE trigger_executions SET state = ?, response_status = ?, error = ?, finished_at = ? WHERE id = ?')
      .run(outcome.state, outcome.responseStatus ?? null, outcome.error ?? null, wandbTime(), id);
  }

  /**
   * Executions, oldest first: of one entity, or of the entities a user belongs to (all when neither
   * is given), optionally of one trigger by name.
   */
  list(filter: { entityId?: number; memberId?: number; triggerName?: string } = {}): ExecutionRow[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.entityId !== undefined) {
      where.push('t.entity_id = ?');
      params.push(filter.entityId);
    }
    if (filter.memberId !== undefined) {
      where.push('t.entity_id IN (SELECT entity_id FROM members WHERE user_id = ?)');
      params.push(filter.memberId);
    }
    if (filter.triggerName !== undefined) {
      where.push('t.name = ?');
      params.push(filter.triggerName);
    }
    return this.db.prepare(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY x.id`).all(...params) as ExecutionRow[];
  }
}

/**
 * The execution history of a Store.
 * @example triggerExecutions(store).list({ triggerName: 'deploy-on-prod' })
 */
export const triggerExecutions: (store: Store) => TriggerExecutions = storePart((store) => new TriggerExecutions(store.db));

/** One firing of an automation, as the execution history reports it. */
export interface AutomationExecution {
  /** Its number in the history (ascending in firing order). */
  id: number;
  /** The automation's name. */
  automation: string;
  /** The entity the automation belongs to. */
  entity: string;
  /** The automation's event type (`ADD_ARTIFACT_ALIAS`, `RUN_METRIC` …). */
  eventType: string;
  /** The payload variables of the event (`event_type`, `event_author`, `alias`, `run_id`, `metric_value` …). */
  event: Record<string, string>;
  /** `GENERIC_WEBHOOK`, `NOTIFICATION` or `NO_OP`. */
  actionType: string;
  /** `PENDING` while the webhook request runs, then `SUCCEEDED`, `FAILED` or `SKIPPED` (Slack: recorded, not sent). */
  state: ExecutionState;
  /** What was sent (a webhook: url, headers, body; a notification: channel, title, message), secrets masked as `***`. */
  request: Record<string, unknown> | null;
  /** The webhook's HTTP status, when it answered. */
  responseStatus: number | null;
  /** Why it failed or was skipped. */
  error: string | null;
  /** When it fired (W&B's UTC format). */
  triggeredAt: string;
  /** When the action finished, if it has. */
  finishedAt: string | null;
}

/** An execution row as the history reports it. */
export function toExecution(row: ExecutionRow): AutomationExecution {
  return {
    id: row.id,
    automation: row.trigger_name,
    entity: row.entity_name,
    eventType: row.event_type,
    event: JSON.parse(row.event) as Record<string, string>,
    actionType: row.action_type,
    state: row.state,
    request: row.request === null ? null : (JSON.parse(row.request) as Record<string, unknown>),
    responseStatus: row.response_status,
    error: row.error,
    triggeredAt: row.triggered_at,
    finishedAt: row.finished_at,
  };
}
