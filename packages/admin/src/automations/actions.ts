// What an automation does when it fires (Python's SendWebhook, SendNotification, DoNothing), checked
// before any request: a webhook payload must be a JSON object (the types say so where they can; a
// value JSON cannot hold — undefined, a function, NaN, a cycle — is a ValidationError).
import { ValidationError } from '@wandb-api/core';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object: what a webhook payload is. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** Sends a webhook request with `payload` (W&B's `${...}` variables substituted) to a webhook integration. */
export interface SendWebhook {
  /** The action type W&B knows it by. */
  readonly actionType: 'GENERIC_WEBHOOK';
  /** The webhook integration's id. */
  readonly integrationId: string;
  /** The request body, with `${event_type}`, `${artifact_version_string}` … to substitute; null for none. */
  readonly requestPayload: JsonObject | null;
}

/** Alert severities of a Slack notification. */
export type AlertSeverity = 'INFO' | 'WARN' | 'ERROR';

/** Posts a message to a Slack integration's channel. */
export interface SendNotification {
  /** The action type W&B knows it by. */
  readonly actionType: 'NOTIFICATION';
  /** The Slack integration's id. */
  readonly integrationId: string;
  /** The title (default ''). */
  readonly title: string;
  /** The message body (default ''). */
  readonly message: string;
  /** `INFO` (default), `WARN` or `ERROR`. */
  readonly severity: AlertSeverity;
}

/** Does nothing (to test an automation's event without an action). */
export interface DoNothing {
  /** The action type W&B knows it by. */
  readonly actionType: 'NO_OP';
}

/** Any action a new automation may take. */
export type AutomationAction = SendWebhook | SendNotification | DoNothing;

/** An integration given by id, or as listed (a webhook must not be given where Slack is expected, or the reverse). */
type IntegrationRef<T extends 'webhook' | 'slack'> = string | { readonly id: string; readonly type?: T };

function integrationId(ref: IntegrationRef<'webhook' | 'slack'>, type: 'webhook' | 'slack'): string {
  if (typeof ref === 'string') {
    if (ref.trim() === '') throw new ValidationError('An integration id must not be empty.');
    return ref;
  }
  if (ref === null || typeof ref !== 'object' || typeof ref.id !== 'string' || ref.id === '') throw new ValidationError('Pass an integration or its id.');
  if (ref.type !== undefined && ref.type !== type) throw new ValidationError(`Expected a ${type} integration, got a ${String(ref.type)} one.`);
  return ref.id;
}

/** A copy of `value` when JSON can hold it exactly; a ValidationError naming the first path it cannot. */
export function checkJson(value: unknown, path = 'payload', seen = new Set<object>()): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(`${path} is ${value}, which JSON cannot hold.`);
    return value;
  }
  if (typeof value !== 'object') throw new ValidationError(`${path} is a ${typeof value}, which JSON cannot hold.`);
  if (seen.has(value)) throw new ValidationError(`${path} refers back to itself: JSON cannot hold a cycle.`);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => checkJson(v, `${path}[${i}]`, seen));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new ValidationError(`${path} is not a plain object (a ${(value as object).constructor?.name ?? 'class instance'}).`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, checkJson(v, `${path}.${k}`, seen)]));
  } finally {
    seen.delete(value);
  }
}

/** A payload given as an object or as JSON text, checked to be a JSON object. */
function payloadOf(payload: JsonObject | string): JsonObject {
  let value: unknown = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch {
      throw new ValidationError('The webhook payload text is not JSON.');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('A webhook payload must be a JSON object.');
  return checkJson(value) as JsonObject;
}

/**
 * Sends a webhook request to a webhook integration (Python's `SendWebhook.from_integration(hook,
 * payload=...)`). `payload` is a JSON object (or its text) where W&B substitutes `${event_type}`,
 * `${event_author}`, `${alias}`, `${artifact_version_string}`, `${project_name}` …; without one the
 * body is `{}`.
 * @example sendWebhook(hook, { text: '${event_author} set ${alias} on ${artifact_version_string}' })
 */
export function sendWebhook(integration: IntegrationRef<'webhook'>, payload?: JsonObject | string | null): SendWebhook {
  return Object.freeze({
    actionType: 'GENERIC_WEBHOOK',
    integrationId: integrationId(integration, 'webhook'),
    requestPayload: payload === undefined || payload === null ? null : payloadOf(payload),
  });
}

/**
 * Posts to a Slack integration's channel (Python's `SendNotification.from_integration(slack, title=,
 * text=, level=)`). The local server records it and posts nothing.
 * @example sendNotification(slack, { title: 'Loss spiked', text: '${run_name}', level: 'WARN' })
 */
export function sendNotification(integration: IntegrationRef<'slack'>, options: { title?: string; text?: string; level?: AlertSeverity | Lowercase<AlertSeverity> } = {}): SendNotification {
  const severity = (options.level ?? 'INFO').toUpperCase();
  if (severity !== 'INFO' && severity !== 'WARN' && severity !== 'ERROR') throw new ValidationError(`Unknown severity ${JSON.stringify(options.level)}: INFO, WARN or ERROR.`);
  for (const [key, value] of Object.entries({ title: options.title, text: options.text })) {
    if (value !== undefined && typeof value !== 'string') throw new ValidationError(`${key} must be a string.`);
  }
  return Object.freeze({ actionType: 'NOTIFICATION', integrationId: integrationId(integration, 'slack'), title: options.title ?? '', message: options.text ?? '', severity });
}

/**
 * Does nothing when the automation fires (Python's DoNothing): the execution is still recorded.
 * @example onCreateArtifact({ scope: collection }).do(doNothing())
 */
export function doNothing(): DoNothing {
  return Object.freeze({ actionType: 'NO_OP' });
}

/**
 * GraphQL's TriggeredActionConfig for an action, as Python's ActionSpecInput dumps it.
 * @internal
 */
export function actionConfig(action: AutomationAction): Record<string, unknown> {
  if (action.actionType === 'GENERIC_WEBHOOK') {
    return {
      genericWebhookActionInput: {
        integrationID: action.integrationId,
        ...(action.requestPayload === null ? {} : { requestPayload: JSON.stringify(action.requestPayload) }),
      },
    };
  }
  if (action.actionType === 'NOTIFICATION') {
    return { notificationActionInput: { integrationID: action.integrationId, message: action.message, severity: action.severity, title: action.title } };
  }
  return { noOpActionInput: { noOp: true } };
}

/**
 * A ValidationError unless `action` is one `sendWebhook`, `sendNotification` or `doNothing` made.
 * @internal
 */
export function checkAction(action: unknown): AutomationAction {
  const type = (action as { actionType?: unknown } | null)?.actionType;
  if (type !== 'GENERIC_WEBHOOK' && type !== 'NOTIFICATION' && type !== 'NO_OP') {
    throw new ValidationError(`Not an automation action: ${JSON.stringify(type ?? action)} (use sendWebhook, sendNotification or doNothing).`);
  }
  return action as AutomationAction;
}
