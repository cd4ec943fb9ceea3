/**
 * Automation event filters: the `eventFilter` JSON a client sends with createFilterTrigger, checked per
 * event type and parsed into one typed form that both the write path (a bad filter is a 400) and the
 * evaluation path (does this event fire the trigger?) use. The shapes are those Python's
 * wandb.automations sends:
 * - artifact events: a MongoDB-like filter on `alias` / `tag`, `{"$or": [{"$and": [...]}]}`;
 * - RUN_METRIC / _CHANGE / _ZSCORE: `{"run_filter": "<JSON text>", "run_metric_filter": {"threshold_filter" |
 *   "change_filter" | "zscore_filter": {...}}}` (or the legacy `"metric_filter": "<JSON text>"`);
 * - RUN_STATE: `{"run_filter": "<JSON text>", "run_state_filter": {"states": ["FINISHED", ...]}}`.
 * Saved triggers read back the artifact filters wrapped once more (`{"filter": ...}`), as W&B answers.
 */
import { UserInputError } from '../errors';
import { parseLenient } from './json';
import { compileRegExp } from './regexp';

/** The event types of run conditions (the others are artifact mutations). */
export const RUN_EVENTS = ['RUN_METRIC', 'RUN_METRIC_CHANGE', 'RUN_METRIC_ZSCORE', 'RUN_STATE'] as const;

/** A MongoDB-like filter over one flat document, kept as the client sent it. */
export type MongoFilter = Record<string, unknown>;

export type Aggregation = 'MAX' | 'MIN' | 'AVERAGE';
export type ChangeDirection = 'INCREASE' | 'DECREASE' | 'ANY';

/** `agg(last window values of name) cmp threshold` (agg null: the last value). */
export interface ThresholdCondition {
  kind: 'threshold';
  name: string;
  agg: Aggregation | null;
  window: number;
  cmp: '$gt' | '$gte' | '$lt' | '$lte';
  threshold: number;
}

/** The change between the current window and the prior one, absolute or relative. */
export interface ChangeCondition {
  kind: 'change';
  name: string;
  agg: Aggregation | null;
  window: number;
  priorWindow: number;
  changeType: 'ABSOLUTE' | 'RELATIVE';
  direction: ChangeDirection;
  amount: number;
}

/** The z-score of the last value against the `window` values before it. */
export interface ZScoreCondition {
  kind: 'zscore';
  name: string;
  window: number;
  threshold: number;
  direction: ChangeDirection;
}

export type MetricCondition = ThresholdCondition | ChangeCondition | ZScoreCondition;

/** A checked event filter. */
export type EventFilter =
  | { kind: 'artifact'; filter: MongoFilter }
  | { kind: 'metric'; runFilter: MongoFilter; metric: MetricCondition }
  | { kind: 'state'; runFilter: MongoFilter; states: readonly string[] };

const bad = (eventType: string, why: string): UserInputError => new UserInputError(`invalid eventFilter for ${eventType}: ${why}`);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseJson(text: string, what: string, eventType: string): unknown {
  try {
    return parseLenient(text);
  } catch {
    throw bad(eventType, `${what} is not JSON`);
  }
}

/** A run filter arrives as JSON text inside the JSON (Python JSON-encodes it); an object is taken too. */
function runFilterOf(value: unknown, eventType: string): MongoFilter {
  const parsed = typeof value === 'string' ? parseJson(value, 'run_filter', eventType) : (value ?? {});
  if (!isObject(parsed)) throw bad(eventType, 'run_filter must be a JSON object');
  checkMongoFilter(parsed, eventType);
  return parsed;
}

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$lt', '$gte', '$lte', '$in', '$nin', '$exists', '$regex', '$contains', '$options']);

/** Checks operators and regexes now, so evaluation never meets a filter it cannot run. */
function checkMongoFilter(filter: MongoFilter, eventType: string): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || !value.every(isObject)) throw bad(eventType, `${key} takes a list of filters`);
      for (const f of value) checkMongoFilter(f as MongoFilter, eventType);
    } else if (key === '$not') {
      if (!isObject(value)) throw bad(eventType, '$not takes a filter');
      checkMongoFilter(value, eventType);
    } else if (key.startsWith('$')) {
      throw bad(eventType, `unsupported operator ${key}`);
    } else if (isObject(value)) {
      for (const [op, operand] of Object.entries(value)) {
        if (op === '$not' && isObject(operand)) continue;
        if (!COMPARISONS.has(op)) throw bad(eventType, `unsupported operator ${op} on ${key}`);
        if (op === '$regex') compileRegExp(String(operand), typeof value.$options === 'string' ? value.$options : '');
        if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) throw bad(eventType, `${op} takes a list`);
      }
    }
  }
}

const positiveInt = (v: unknown, what: string, eventType: string, fallback?: number): number => {
  const n = v ?? fallback;
  if (!Number.isSafeInteger(n) || (n as number) < 1) throw bad(eventType, `${what} must be a positive integer`);
  return n as number;
};

const finite = (v: unknown, what: string, eventType: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(eventType, `${what} must be a number`);
  return v;
};

function aggregation(v: unknown, eventType: string): Aggregation | null {
  if (v === null || v === undefined) return null;
  if (v === 'MAX' || v === 'MIN' || v === 'AVERAGE') return v;
  throw bad(eventType, 'agg_op must be MAX, MIN, AVERAGE or null');
}

function direction(v: unknown, eventType: string): ChangeDirection {
  if (v === 'INCREASE' || v === 'DECREASE' || v === 'ANY') return v;
  throw bad(eventType, 'change_dir must be INCREASE, DECREASE or ANY');
}

function metricName(v: unknown, eventType: string): string {
  if (typeof v !== 'string' || v === '') throw bad(eventType, 'the metric needs a name');
  return v;
}

function thresholdCondition(f: Record<string, unknown>, eventType: string): ThresholdCondition {
  const cmp = f.cmp_op;
  if (cmp !== '$gt' && cmp !== '$gte' && cmp !== '$lt' && cmp !== '$lte') throw bad(eventType, 'cmp_op must be $gt, $gte, $lt or $lte');
  return {
    kind: 'threshold',
    name: metricName(f.name, eventType),
    agg: aggregation(f.agg_op, eventType),
    window: positiveInt(f.window_size, 'window_size', eventType, 1),
    cmp,
    threshold: finite(f.threshold, 'threshold', eventType),
  };
}

function metricCondition(eventType: string, body: Record<string, unknown>): MetricCondition {
  const wrapped = body.run_metric_filter;
  if (wrapped === undefined || wrapped === null) {
    // The legacy form: a threshold filter as JSON text under metric_filter.
    if (eventType !== 'RUN_METRIC' || typeof body.metric_filter !== 'string') throw bad(eventType, 'run_metric_filter is missing');
    const legacy = parseJson(body.metric_filter, 'metric_filter', eventType);
    if (!isObject(legacy)) throw bad(eventType, 'metric_filter must be a JSON object');
    return thresholdCondition(legacy, eventType);
  }
  if (!isObject(wrapped)) throw bad(eventType, 'run_metric_filter must be an object');
  const key = { RUN_METRIC: 'threshold_filter', RUN_METRIC_CHANGE: 'change_filter', RUN_METRIC_ZSCORE: 'zscore_filter' }[eventType] as string;
  const f = wrapped[key];
  if (!isObject(f)) throw bad(eventType, `run_metric_filter needs ${key}`);
  if (eventType === 'RUN_METRIC') return thresholdCondition(f, eventType);
  if (eventType === 'RUN_METRIC_CHANGE') {
    const changeType = f.change_type;
    if (changeType !== 'ABSOLUTE' && changeType !== 'RELATIVE') throw bad(eventType, 'change_type must be ABSOLUTE or RELATIVE');
    const window = positiveInt(f.current_window_size, 'current_window_size', eventType, 1);
    const amount = finite(f.change_amount, 'change_amount', eventType);
    if (amount <= 0) throw bad(eventType, 'change_amount must be positive');
    return {
      kind: 'change',
      name: metricName(f.name, eventType),
      agg: aggregation(f.agg_op, eventType),
      window,
      priorWindow: positiveInt(f.prior_window_size, 'prior_window_size', eventType, window),
      changeType,
      direction: direction(f.change_dir, eventType),
      amount,
    };
  }
  const threshold = finite(f.threshold ?? 3, 'threshold', eventType);
  if (threshold <= 0) throw bad(eventType, 'threshold must be positive');
  return {
    kind: 'zscore',
    name: metricName(f.name, eventType),
    window: positiveInt(f.window_size, 'window_size', eventType, 30),
    threshold,
    direction: direction(f.change_dir ?? 'ANY', eventType),
  };
}

/** Run states an automation can watch (W&B's coarse states: crashed and killed read as FAILED). */
const WATCHED_STATES = new Set(['RUNNING', 'FINISHED', 'FAILED']);

/**
 * Checks and parses the eventFilter text of a trigger of `eventType`.
 * @example parseEventFilter('ADD_ARTIFACT_ALIAS', '{"$or":[{"$and":[{"alias":{"$eq":"prod"}}]}]}')
 */
export function parseEventFilter(eventType: string, text: string): EventFilter {
  const body = parseJson(text, 'eventFilter', eventType);
  if (!isObject(body)) throw bad(eventType, 'it must be a JSON object');
  if (eventType === 'RUN_STATE') {
    const states = isObject(body.run_state_filter) ? body.run_state_filter.states : undefined;
    if (!Array.isArray(states) || states.length === 0 || !states.every((s) => typeof s === 'string' && WATCHED_STATES.has(s.toUpperCase()))) {
      throw bad(eventType, 'run_state_filter.states must list RUNNING, FINISHED or FAILED');
    }
    return { kind: 'state', runFilter: runFilterOf(body.run_filter, eventType), states: states.map((s: string) => s.toUpperCase()) };
  }
  if ((RUN_EVENTS as readonly string[]).includes(eventType)) {
    return { kind: 'metric', runFilter: runFilterOf(body.run_filter, eventType), metric: metricCondition(eventType, body) };
  }
  checkMongoFilter(body, eventType);
  return { kind: 'artifact', filter: body };
}

/** The filter as Trigger.triggeringCondition reads it back: artifact filters wrapped in `{"filter": ...}`. */
export function savedEventFilter(eventType: string, text: string): string {
  if ((RUN_EVENTS as readonly string[]).includes(eventType)) return text;
  return JSON.stringify({ filter: parseLenient(text) });
}

// ---- evaluation

/** A flat document a filter is matched against; an array field matches when any element does (as MongoDB). */
export type FilterDocument = Readonly<Record<string, unknown>>;

function compare(op: string, actual: unknown, operand: unknown, options: string): boolean {
  switch (op) {
    case '$eq':
      return Array.isArray(operand) ? JSON.stringify(actual) === JSON.stringify(operand) : actual === operand;
    case '$ne':
      return !compare('$eq', actual, operand, options);
    case '$gt':
      return typeof actual === typeof operand && (actual as number) > (operand as number);
    case '$lt':
      return typeof actual === typeof operand && (actual as number) < (operand as number);
    case '$gte':
      return typeof actual === typeof operand && (actual as number) >= (operand as number);
    case '$lte':
      return typeof actual === typeof operand && (actual as number) <= (operand as number);
    case '$in':
      return (operand as unknown[]).some((v) => v === actual);
    case '$nin':
      return !(operand as unknown[]).some((v) => v === actual);
    case '$regex':
      return typeof actual === 'string' && compileRegExp(String(operand), options).test(actual);
    case '$contains':
      return typeof actual === 'string' && actual.includes(String(operand));
    default:
      return false;
  }
}

/** One field condition (`{"$eq": "prod"}` or a bare value) against a field's value or values. */
function matchField(value: unknown, condition: unknown): boolean {
  if (!isObject(condition)) return Array.isArray(value) ? value.includes(condition) : value === condition;
  const options = typeof condition.$options === 'string' ? condition.$options : '';
  return Object.entries(condition).every(([op, operand]) => {
    if (op === '$options') return true;
    if (op === '$not') return !matchField(value, operand);
    if (op === '$exists') return (value !== undefined && value !== null) === Boolean(operand);
    const negative = op === '$ne' || op === '$nin';
    if (Array.isArray(value) && op !== '$eq' && op !== '$ne') {
      return negative ? value.every((v) => compare(op, v, operand, options)) : value.some((v) => compare(op, v, operand, options));
    }
    if (Array.isArray(value) && op === '$eq' && !Array.isArray(operand)) return value.includes(operand);
    if (Array.isArray(value) && op === '$ne' && !Array.isArray(operand)) return !value.includes(operand);
    return compare(op, value, operand, options);
  });
}

/**
 * Whether a document passes a MongoDB-like filter ($and, $or, $nor, $not and the field operators).
 * @example matchesFilter({ alias: 'prod' }, { $or: [{ $and: [{ alias: { $eq: 'prod' } }] }] }) // true
 */
export function matchesFilter(doc: FilterDocument, filter: MongoFilter): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === '$and') return (value as MongoFilter[]).every((f) => matchesFilter(doc, f));
    // An empty $or is W&B's "no condition" (Python sends {"$or": [{"$and": []}]} for none).
    if (key === '$or') return (value as MongoFilter[]).length === 0 || (value as MongoFilter[]).some((f) => matchesFilter(doc, f));
    if (key === '$nor') return !(value as MongoFilter[]).some((f) => matchesFilter(doc, f));
    if (key === '$not') return !matchesFilter(doc, value as MongoFilter);
    return matchField(doc[key], value);
  });
}

function aggregate(values: readonly number[], agg: Aggregation | null): number {
  if (agg === null) return values[values.length - 1] as number;
  if (agg === 'MAX') return Math.max(...values);
  if (agg === 'MIN') return Math.min(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** How many of the latest values a condition reads. */
export function valuesNeeded(m: MetricCondition): number {
  if (m.kind === 'threshold') return m.agg === null ? 1 : m.window;
  if (m.kind === 'change') return m.agg === null ? 2 : m.window + m.priorWindow;
  return m.window + 1;
}

const crosses = (change: number, amount: number, dir: ChangeDirection): boolean =>
  dir === 'INCREASE' ? change >= amount : dir === 'DECREASE' ? -change >= amount : Math.abs(change) >= amount;

/**
 * Whether a metric's latest values (oldest first) meet the condition, and the value it compared;
 * null when there are not yet enough values.
 * @example evaluateMetric({ kind: 'threshold', name: 'loss', agg: null, window: 1, cmp: '$gt', threshold: 1 }, [0.5, 1.5]) // { met: true, value: 1.5 }
 */
export function evaluateMetric(m: MetricCondition, values: readonly number[]): { met: boolean; value: number } | null {
  const need = valuesNeeded(m);
  if (values.length < need) return null;
  const recent = values.slice(values.length - need);
  if (m.kind === 'threshold') {
    const value = aggregate(recent, m.agg);
    const met = m.cmp === '$gt' ? value > m.threshold : m.cmp === '$gte' ? value >= m.threshold : m.cmp === '$lt' ? value < m.threshold : value <= m.threshold;
    return { met, value };
  }
  if (m.kind === 'change') {
    const [priorValues, currentValues] = m.agg === null ? [recent.slice(0, 1), recent.slice(1)] : [recent.slice(0, m.priorWindow), recent.slice(m.priorWindow)];
    const prior = aggregate(priorValues, m.agg);
    const current = aggregate(currentValues, m.agg);
    const change = m.changeType === 'ABSOLUTE' ? current - prior : prior === 0 ? Number.NaN : (current - prior) / Math.abs(prior);
    return { met: Number.isFinite(change) && crosses(change, m.amount, m.direction), value: current };
  }
  const window = recent.slice(0, m.window);
  const latest = recent[recent.length - 1] as number;
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const std = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / window.length);
  if (std === 0) return { met: false, value: latest };
  return { met: crosses((latest - mean) / std, m.threshold, m.direction), value: latest };
}
