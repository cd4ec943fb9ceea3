// Automation filters, built as Python's wandb.automations builds them and serialized to the same JSON:
// MongoDB-like filters on the fields of an event (an artifact's `alias` and `tag`, a run's
// `display_name`), the run metric conditions (threshold, change, z-score) and run state conditions.
// The phantom type of a Filter says which event it is about, so an artifact filter on a run event
// (or the reverse) does not compile.
import { ValidationError } from '@wandb-api/core';

/** A value a field may be compared with. */
export type Scalar = string | number | boolean;

/** Which event a filter is about: an artifact event's fields, or a run's. */
export type FilterSubject = 'artifact' | 'run';

type Json = unknown;

const LOGICAL = ['$and', '$or', '$nor'] as const;
type Logical = (typeof LOGICAL)[number];

/** One node of a filter: a field expression, a variadic logical operator or a negation. */
type Node = { kind: 'field'; field: string; op: string; value: Json } | { kind: Logical; exprs: readonly Node[] } | { kind: '$not'; expr: Node };

/**
 * A MongoDB-like filter on the fields of an event (`ArtifactEvent.alias.eq('prod')`), combined with
 * `and`, `or` and `not`; it serializes to the JSON Python sends. Build one from `ArtifactEvent` or
 * `RunEvent`.
 * @example const prodOrStaging = ArtifactEvent.alias.eq('prod').or(ArtifactEvent.alias.eq('staging'));
 */
export class Filter<S extends FilterSubject> {
  /** @internal */
  readonly node: Node;
  /** Which event's fields it filters; a type only (no value at run time), so subjects cannot mix. */
  declare readonly subject?: S;

  /** @internal */
  constructor(node: Node) {
    this.node = node;
  }

  /** Both this filter and `other` hold (Python's `a & b`). */
  and(other: Filter<S>): Filter<S> {
    return new Filter<S>({ kind: '$and', exprs: [this.node, other.node] });
  }

  /** This filter or `other` holds (Python's `a | b`). */
  or(other: Filter<S>): Filter<S> {
    return new Filter<S>({ kind: '$or', exprs: [this.node, other.node] });
  }

  /** This filter does not hold (Python's `~a`: `$or` becomes `$nor` and back). */
  not(): Filter<S> {
    return new Filter<S>(invert(this.node));
  }

  /** The MongoDB JSON of the filter as written (not yet simplified). */
  toJSON(): Json {
    return toMongo(this.node);
  }
}

/** Every filter holds (`$and` of nothing): what an event without a filter sends. */
const EMPTY: Node = { kind: '$and', exprs: [] };

function invert(node: Node): Node {
  if (node.kind === '$or') return { kind: '$nor', exprs: node.exprs };
  if (node.kind === '$nor') return { kind: '$or', exprs: node.exprs };
  return { kind: '$not', expr: node };
}

function toMongo(node: Node): Json {
  if (node.kind === 'field') return { [node.field]: { [node.op]: node.value } };
  if (node.kind === '$not') return { $not: toMongo(node.expr) };
  return { [node.kind]: node.exprs.map(toMongo) };
}

/**
 * Python's simplify_expr: flattens nested same operators, unnests single children, folds double
 * negations and negated `$or`/`$nor`. A negated field expression stays `{"$not": {...}}`, as in Python.
 */
function simplify(node: Node): Node {
  if (node.kind === 'field') return node;
  if (node.kind === '$not') {
    const inner = node.expr;
    if (inner.kind === '$not') return simplify(inner.expr);
    if (inner.kind === '$or' || inner.kind === '$nor') return simplify(invert(inner));
    return { kind: '$not', expr: simplify(inner) };
  }
  const flat: Node[] = [];
  const flatten = (n: Node): void => {
    if (n.kind === node.kind) (n as { exprs: readonly Node[] }).exprs.forEach(flatten);
    else flat.push(n);
  };
  node.exprs.forEach(flatten);
  const exprs = flat.map(simplify);
  return exprs.length === 1 ? (exprs[0] as Node) : { kind: node.kind, exprs };
}

/** `{"$and": [...]}` around the simplified filter unless it is one already (Python's And.wrap). */
function wrap(kind: '$and' | '$or', node: Node): Node {
  return node.kind === kind ? node : { kind, exprs: [node] };
}

/**
 * The JSON of an artifact event's filter: `{"$or": [{"$and": [<filter>]}]}`, the shape W&B's app
 * expects (Python's wrap_mutation_event_filter).
 * @internal
 */
export function artifactFilterJson(filter: Filter<'artifact'> | undefined): Json {
  return toMongo(wrap('$or', wrap('$and', simplify(filter?.node ?? EMPTY))));
}

/**
 * The JSON text of a run filter: `{"$and": [...]}` (Python's wrap_run_filter), JSON-encoded once more
 * inside the event filter, as Python sends it.
 * @internal
 */
export function runFilterText(filter: Filter<'run'> | undefined): string {
  return JSON.stringify(toMongo(wrap('$and', simplify(filter?.node ?? EMPTY))));
}

/**
 * A field of an event that filters compare (Python's FilterableField).
 * @example ArtifactEvent.alias.matchesRegex('^prod-')
 */
export class FilterField<S extends FilterSubject> {
  /** The field's name on the server (`display_name` for a run's name). */
  readonly name: string;
  /** Which event's field it is; a type only (no value at run time). */
  declare readonly subject?: S;

  /** @internal */
  constructor(name: string) {
    this.name = name;
  }

  #expr(op: string, value: Json): Filter<S> {
    return new Filter<S>({ kind: 'field', field: this.name, op, value });
  }

  /** Equal to `value` (or to the list). */
  eq(value: Scalar | readonly Scalar[]): Filter<S> {
    return this.#expr('$eq', checkScalar(value, 'eq'));
  }

  /** Not equal to `value`. */
  ne(value: Scalar | readonly Scalar[]): Filter<S> {
    return this.#expr('$ne', checkScalar(value, 'ne'));
  }

  /** Greater than `value`. */
  gt(value: Scalar): Filter<S> {
    return this.#expr('$gt', checkScalar(value, 'gt'));
  }

  /** Less than `value`. */
  lt(value: Scalar): Filter<S> {
    return this.#expr('$lt', checkScalar(value, 'lt'));
  }

  /** Greater than or equal to `value`. */
  gte(value: Scalar): Filter<S> {
    return this.#expr('$gte', checkScalar(value, 'gte'));
  }

  /** Less than or equal to `value`. */
  lte(value: Scalar): Filter<S> {
    return this.#expr('$lte', checkScalar(value, 'lte'));
  }

  /** One of `values` (Python's `in_`). */
  in(values: readonly Scalar[]): Filter<S> {
    return this.#expr('$in', checkList(values, 'in'));
  }

  /** None of `values`. */
  notIn(values: readonly Scalar[]): Filter<S> {
    return this.#expr('$nin', checkList(values, 'notIn'));
  }

  /** Present (or absent with `false`). */
  exists(exists = true): Filter<S> {
    return this.#expr('$exists', exists);
  }

  /** Contains `text` (W&B's `$contains`). */
  contains(text: string): Filter<S> {
    return this.#expr('$contains', checkText(text, 'contains'));
  }

  /** Matches the regular expression `pattern` (RE2 syntax on W&B). */
  matchesRegex(pattern: string): Filter<S> {
    return this.#expr('$regex', checkText(pattern, 'matchesRegex'));
  }
}

function checkScalar<T extends Scalar | readonly Scalar[]>(value: T, op: string): T {
  const ok = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
  if (Array.isArray(value) ? !value.every(ok) : !ok(value)) throw new ValidationError(`${op}: expected a string, a finite number or a boolean, got ${String(value)}.`);
  return value;
}

function checkList(values: readonly Scalar[], op: string): readonly Scalar[] {
  if (!Array.isArray(values)) throw new ValidationError(`${op}: expected a list of values.`);
  return checkScalar(values, op);
}

function checkText(text: string, op: string): string {
  if (typeof text !== 'string') throw new ValidationError(`${op}: expected a string.`);
  return text;
}

// ---- run metric conditions

/** An aggregation over a window of logged values. */
export type Aggregation = 'MAX' | 'MIN' | 'AVERAGE';

/** Which way a change (or a z-score) must go. */
export type ChangeDirection = 'INCREASE' | 'DECREASE' | 'ANY';

/** `agg(last window values) cmp threshold` (Python's MetricThresholdFilter). */
export interface MetricThresholdFilter {
  /** The event type it makes: `RUN_METRIC`. */
  readonly eventType: 'RUN_METRIC';
  /** The metric's name. */
  readonly name: string;
  /** The aggregation over the window; null compares the last value. */
  readonly agg: Aggregation | null;
  /** How many of the latest values the aggregation covers. */
  readonly window: number;
  /** The comparison. */
  readonly cmp: '$gt' | '$gte' | '$lt' | '$lte';
  /** What the value is compared with. */
  readonly threshold: number;
}

/** The change between the current window and the prior one (Python's MetricChangeFilter). */
export interface MetricChangeFilter {
  /** The event type it makes: `RUN_METRIC_CHANGE`. */
  readonly eventType: 'RUN_METRIC_CHANGE';
  /** The metric's name. */
  readonly name: string;
  /** The aggregation over each window; null compares single values. */
  readonly agg: Aggregation | null;
  /** The current window's size. */
  readonly window: number;
  /** The prior window's size (default: the current one's). */
  readonly priorWindow: number;
  /** `ABSOLUTE` (a difference) or `RELATIVE` (a fraction of the prior value). */
  readonly changeType: 'ABSOLUTE' | 'RELATIVE';
  /** Which way the change must go. */
  readonly changeDir: ChangeDirection;
  /** How large the change must be (positive). */
  readonly threshold: number;
}

/** The z-score of the latest value against a window (Python's MetricZScoreFilter). */
export interface MetricZScoreFilter {
  /** The event type it makes: `RUN_METRIC_ZSCORE`. */
  readonly eventType: 'RUN_METRIC_ZSCORE';
  /** The metric's name. */
  readonly name: string;
  /** The window the mean and standard deviation come from. */
  readonly window: number;
  /** The z-score threshold (positive). */
  readonly threshold: number;
  /** Which way the z-score must cross it. */
  readonly changeDir: ChangeDirection;
}

/** Any run metric condition. */
export type MetricFilter = MetricThresholdFilter | MetricChangeFilter | MetricZScoreFilter;

/** A metric condition restricted to the runs a run filter keeps (Python's `metric_filter & run_filter`). */
export interface RunMetricFilter<M extends MetricFilter = MetricFilter> {
  /** The metric condition. */
  readonly metric: M;
  /** The runs it applies to. */
  readonly run: Filter<'run'> | undefined;
}

/** The run states an automation can watch (`crashed` is `failed`, as in Python). */
export type RunStateName = 'running' | 'finished' | 'failed' | 'crashed';

/** A run state condition (Python's StateFilter). */
export interface StateFilter {
  /** The states, deduplicated and sorted as Python sends them. */
  readonly states: readonly ('RUNNING' | 'FINISHED' | 'FAILED')[];
}

/** A state condition restricted to the runs a run filter keeps. */
export interface RunStateFilter {
  /** The state condition. */
  readonly state: StateFilter;
  /** The runs it applies to. */
  readonly run: Filter<'run'> | undefined;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ValidationError(`${what} must be a positive integer, got ${String(value)}.`);
  return value;
}

function finite(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(`${what} must be a finite number, got ${String(value)}.`);
  return value;
}

function positive(value: number, what: string): number {
  if (finite(value, what) <= 0) throw new ValidationError(`${what} must be positive, got ${value}.`);
  return value;
}

/** A metric condition; `and(runFilter)` restricts it to the runs the filter keeps. */
export type MetricCondition<M extends MetricFilter> = M & {
  /** The condition, for the runs `run` keeps only (Python's `metric_filter & run_filter`). */
  and(run: Filter<'run'>): RunMetricFilter<M>;
};

/** A run state condition; `and(runFilter)` restricts it to the runs the filter keeps. */
export type StateCondition = StateFilter & {
  /** The condition, for the runs `run` keeps only. */
  and(run: Filter<'run'>): RunStateFilter;
};

function withRuns<M extends MetricFilter>(metric: M): MetricCondition<M> {
  const condition: MetricCondition<M> = { ...metric, and: (run: Filter<'run'>) => Object.freeze({ metric, run }) };
  return Object.freeze(condition);
}

/** How a change is measured: exactly one of `diff` (a difference) or `frac` (a fraction, 0.1 = 10%). */
export type ChangeAmount =
  | {
      /** The difference the value must change by (positive). */
      readonly diff: number;
      /** Not with `diff`. */
      readonly frac?: never;
    }
  | {
      /** The fraction of the prior value it must change by (positive; 0.1 is 10%). */
      readonly frac: number;
      /** Not with `frac`. */
      readonly diff?: never;
    };

/** What compares a metric value (one, or aggregated over a window) with a threshold. */
export class MetricOperand {
  /** The metric's name. */
  readonly name: string;
  /** The aggregation, or null for the last value. */
  readonly agg: Aggregation | null;
  /** The window the aggregation covers. */
  readonly window: number;

  /** @internal */
  constructor(name: string, agg: Aggregation | null, window: number) {
    this.name = name;
    this.agg = agg;
    this.window = window;
  }

  #threshold(cmp: MetricThresholdFilter['cmp'], value: number): MetricCondition<MetricThresholdFilter> {
    return withRuns<MetricThresholdFilter>({ eventType: 'RUN_METRIC', name: this.name, agg: this.agg, window: this.window, cmp, threshold: finite(value, 'threshold') });
  }

  /** The value is above `value`. */
  gt(value: number): MetricCondition<MetricThresholdFilter> {
    return this.#threshold('$gt', value);
  }

  /** The value is below `value`. */
  lt(value: number): MetricCondition<MetricThresholdFilter> {
    return this.#threshold('$lt', value);
  }

  /** The value is at least `value`. */
  gte(value: number): MetricCondition<MetricThresholdFilter> {
    return this.#threshold('$gte', value);
  }

  /** The value is at most `value`. */
  lte(value: number): MetricCondition<MetricThresholdFilter> {
    return this.#threshold('$lte', value);
  }

  /** The value changes (up or down) by `diff` or by the fraction `frac` from the prior window. */
  changesBy(amount: ChangeAmount): MetricCondition<MetricChangeFilter> {
    return this.#change(amount, 'ANY');
  }

  /** The value rises by `diff` or by the fraction `frac`. */
  increasesBy(amount: ChangeAmount): MetricCondition<MetricChangeFilter> {
    return this.#change(amount, 'INCREASE');
  }

  /** The value falls by `diff` or by the fraction `frac`. */
  decreasesBy(amount: ChangeAmount): MetricCondition<MetricChangeFilter> {
    return this.#change(amount, 'DECREASE');
  }

  #change(amount: ChangeAmount, changeDir: ChangeDirection): MetricCondition<MetricChangeFilter> {
    const { diff, frac } = (amount ?? {}) as { diff?: number; frac?: number };
    if ((diff === undefined) === (frac === undefined)) throw new ValidationError('Give exactly one of `diff` or `frac`.');
    return withRuns<MetricChangeFilter>({
      eventType: 'RUN_METRIC_CHANGE',
      name: this.name,
      agg: this.agg,
      window: this.window,
      priorWindow: this.window,
      changeType: diff === undefined ? 'RELATIVE' : 'ABSOLUTE',
      changeDir,
      threshold: positive((diff ?? frac) as number, diff === undefined ? 'frac' : 'diff'),
    });
  }
}

/** A single metric value (`RunEvent.metric('loss')`), which may be aggregated over a window. */
export class MetricValue extends MetricOperand {
  /** @internal */
  constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw new ValidationError('A metric needs a name.');
    super(name, null, 1);
  }

  /** The largest of the last `window` values. */
  max(window: number): MetricOperand {
    return new MetricOperand(this.name, 'MAX', positiveInt(window, 'window'));
  }

  /** The smallest of the last `window` values. */
  min(window: number): MetricOperand {
    return new MetricOperand(this.name, 'MIN', positiveInt(window, 'window'));
  }

  /** The mean of the last `window` values. */
  avg(window: number): MetricOperand {
    return new MetricOperand(this.name, 'AVERAGE', positiveInt(window, 'window'));
  }

  /** Python's alias of `avg`. */
  mean(window: number): MetricOperand {
    return this.avg(window);
  }

  /** The z-score of the latest value against the last `window` values (default 30 in Python's filter). */
  zscore(window: number): ZScoreOperand {
    return new ZScoreOperand(this.name, positiveInt(window, 'window'), false);
  }
}

/** A z-score to compare: `gt(3)` above +3σ, `lt(-3)` below −3σ, `abs().gt(3)` either way. */
export class ZScoreOperand {
  /** @internal */
  constructor(
    private readonly name: string,
    private readonly window: number,
    private readonly absolute: boolean,
  ) {}

  /** Either direction (`|z| > threshold`). */
  abs(): ZScoreOperand {
    return new ZScoreOperand(this.name, this.window, true);
  }

  /** `z > value` (or `|z| > value` after `abs()`); `value` is positive. */
  gt(value: number): MetricCondition<MetricZScoreFilter> {
    return withRuns<MetricZScoreFilter>({
      eventType: 'RUN_METRIC_ZSCORE',
      name: this.name,
      window: this.window,
      threshold: positive(value, 'z-score threshold'),
      changeDir: this.absolute ? 'ANY' : 'INCREASE',
    });
  }

  /** `z < value`, `value` negative; not after `abs()`. */
  lt(value: number): MetricCondition<MetricZScoreFilter> {
    if (this.absolute) throw new ValidationError('An absolute z-score compares with gt only.');
    if (finite(value, 'z-score threshold') >= 0) throw new ValidationError(`A z-score lt needs a negative threshold, got ${value}.`);
    return withRuns<MetricZScoreFilter>({ eventType: 'RUN_METRIC_ZSCORE', name: this.name, window: this.window, threshold: -value, changeDir: 'DECREASE' });
  }
}

const STATES: Readonly<Record<string, StateFilter['states'][number]>> = { running: 'RUNNING', finished: 'FINISHED', failed: 'FAILED', crashed: 'FAILED' };

/** What `RunEvent.state` compares. */
export interface StateOperand {
  /** The run reaches `state`. */
  eq(state: RunStateName | Uppercase<RunStateName>): StateCondition;
  /** The run reaches one of `states`. */
  in(states: readonly (RunStateName | Uppercase<RunStateName>)[]): StateCondition;
}

function stateFilter(states: readonly string[]): StateCondition {
  if (!Array.isArray(states) || states.length === 0) throw new ValidationError('A run state filter needs at least one state.');
  const mapped = states.map((s) => {
    const state = typeof s === 'string' ? STATES[s.toLowerCase()] : undefined;
    if (!state) throw new ValidationError(`Unknown run state ${JSON.stringify(s)}: running, finished, failed or crashed.`);
    return state;
  });
  const state: StateFilter = { states: [...new Set(mapped)].sort() };
  return Object.freeze({ ...state, and: (run: Filter<'run'>) => Object.freeze({ state, run }) });
}

/**
 * The fields of run events (Python's RunEvent): `name` (the display name), `state` and `metric(name)`.
 * @example onRunMetric({ scope: project, filter: RunEvent.metric('loss').avg(5).gt(0.5).and(RunEvent.name.contains('sweep')) })
 */
export const RunEvent: {
  /** The run's display name (W&B filters `display_name`). */
  readonly name: FilterField<'run'>;
  /** The run's state. */
  readonly state: StateOperand;
  /** A metric the run logs. */
  metric(name: string): MetricValue;
} = /* @__PURE__ */ Object.freeze({
  name: /* @__PURE__ */ new FilterField<'run'>('display_name'),
  state: /* @__PURE__ */ Object.freeze({ eq: (state: string) => stateFilter([state]), in: (states: readonly string[]) => stateFilter(states) }),
  metric: (name: string) => new MetricValue(name),
});

/**
 * The fields of artifact events (Python's ArtifactEvent): `alias` and `tag`.
 * @example onAddArtifactAlias({ scope: collection, filter: ArtifactEvent.alias.eq('prod') })
 */
export const ArtifactEvent: {
  /** An alias of the version (for ADD_ARTIFACT_ALIAS: the alias added). */
  readonly alias: FilterField<'artifact'>;
  /** A tag (for the tag events: the tag added or removed). */
  readonly tag: FilterField<'artifact'>;
} = /* @__PURE__ */ Object.freeze({
  alias: /* @__PURE__ */ new FilterField<'artifact'>('alias'),
  tag: /* @__PURE__ */ new FilterField<'artifact'>('tag'),
});

/**
 * A metric condition on a run metric; shorthand for `RunEvent.metric(name)`.
 * @example runMetric('loss').avg(5).gt(0.5)
 */
export function runMetric(name: string): MetricValue {
  return new MetricValue(name);
}

/**
 * The JSON of a run metric event's filter, key for key as Python sends it.
 * @internal
 */
export function metricFilterJson(filter: MetricFilter, run: Filter<'run'> | undefined): Json {
  const metric =
    filter.eventType === 'RUN_METRIC'
      ? { threshold_filter: { name: filter.name, agg_op: filter.agg, window_size: filter.window, cmp_op: filter.cmp, threshold: filter.threshold } }
      : filter.eventType === 'RUN_METRIC_CHANGE'
        ? {
            change_filter: {
              name: filter.name,
              agg_op: filter.agg,
              current_window_size: filter.window,
              change_amount: filter.threshold,
              prior_window_size: filter.priorWindow,
              change_type: filter.changeType,
              change_dir: filter.changeDir,
            },
          }
        : { zscore_filter: { name: filter.name, window_size: filter.window, threshold: filter.threshold, change_dir: filter.changeDir } };
  return { run_filter: runFilterText(run), run_metric_filter: metric, metric_filter: null };
}

/**
 * The JSON of a run state event's filter, as Python sends it.
 * @internal
 */
export function stateFilterJson(filter: StateFilter, run: Filter<'run'> | undefined): Json {
  return { run_filter: runFilterText(run), run_state_filter: { states: filter.states } };
}
