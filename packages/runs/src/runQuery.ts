// The runs query language, typed: which fields W&B filters and orders runs on, and the operand type
// of each, from the run's own fields and from the caller's config (C) and summary (S) types. The JSON
// sent is the filter object as written, as Python sends it; only the order gets a runtime check.
import {
  type FieldFilter,
  type FieldOperators,
  type MongoFilter,
  type OrderSign,
  type Paths,
  type PathValue,
  type PrefixedFilters,
  ValidationError,
} from '@wandb-api/core';

/** The run states W&B filters on (a typo such as `'finishd'` is a compile error). */
export type RunStateName = 'running' | 'finished' | 'crashed' | 'failed' | 'killed' | 'preempting' | 'preempted' | 'pending';

/** The condition on `tags`: a tag the run has, the exact list, or operators over single tags. */
export type TagsFilter =
  | string
  | readonly string[]
  | null
  | (Pick<FieldOperators<string>, '$in' | '$nin' | '$exists' | '$regex' | '$options'> & {
      /** Has this tag (a string) or exactly these tags (a list); null: no tags. */
      readonly $eq?: string | readonly string[] | null;
      /** Lacks this tag, or not exactly these tags. */
      readonly $ne?: string | readonly string[] | null;
    });

/**
 * The run fields W&B filters on, in the spellings it accepts (camelCase, and Python's snake_case
 * for the documented ones). Dates are ISO 8601 strings; `duration` is in seconds.
 */
export interface RunFieldFilters {
  /** The short run id. */
  readonly name: FieldFilter<string>;
  /** The display name. */
  readonly displayName: FieldFilter<string>;
  /** The display name (Python's spelling). */
  readonly display_name: FieldFilter<string>;
  /** The run state. */
  readonly state: FieldFilter<RunStateName>;
  /** The run's tags. */
  readonly tags: TagsFilter;
  /** The run's group. */
  readonly group: FieldFilter<string>;
  /** The job type. */
  readonly jobType: FieldFilter<string>;
  /** The job type (snake_case). */
  readonly job_type: FieldFilter<string>;
  /** The user name of who logged the run. */
  readonly username: FieldFilter<string>;
  /** The machine the run ran on. */
  readonly host: FieldFilter<string>;
  /** The git commit. */
  readonly commit: FieldFilter<string>;
  /** The short id of the run's sweep. */
  readonly sweep: FieldFilter<string>;
  /** The short id of the run's sweep (the GraphQL field's name). */
  readonly sweepName: FieldFilter<string>;
  /** When the run started (ISO 8601). */
  readonly createdAt: FieldFilter<string>;
  /** When the run started (snake_case). */
  readonly created_at: FieldFilter<string>;
  /** The last heartbeat (ISO 8601). */
  readonly heartbeatAt: FieldFilter<string>;
  /** The last heartbeat (snake_case). */
  readonly heartbeat_at: FieldFilter<string>;
  /** When the run last changed (ISO 8601). */
  readonly updatedAt: FieldFilter<string>;
  /** When the run last changed (snake_case). */
  readonly updated_at: FieldFilter<string>;
  /** Seconds from the start to the last heartbeat. */
  readonly duration: FieldFilter<number>;
}

/** `a.b.c` → `a.value.b.c`: the wrapped spelling W&B also accepts for config keys (`config.lr.value`). */
type Wrapped<P extends string> = P extends `${infer K}.${infer Rest}` ? `${K}.value.${Rest}` : `${P}.value`;

/** `config.<path>` and `config.<key>.value[.<path>]` for every path of C. */
type ConfigFilters<C> = PrefixedFilters<'config.', C> & {
  readonly [P in Paths<C> as `config.${Wrapped<P>}`]: FieldFilter<PathValue<C, P>>;
};

/**
 * A run filter (MongoDB-style, as W&B and Python take it): the run's fields (`state`, `tags`,
 * `displayName`, `createdAt` …), `config.<path>` from C and `summary_metrics.<path>` from S (any path
 * when they are the default `Record<string, unknown>`), the operators
 * `$and $or $nor $eq $ne $gt $gte $lt $lte $in $nin $exists $regex`, each operand typed by its field.
 * An unknown field or operator is a compile error; the object is sent as written.
 * @example
 * const f: RunFilter<{ lr: number }> = { state: 'finished', 'config.lr': { $lt: 0.01 }, $or: [{ tags: 'best' }, { group: 'a' }] };
 * @typeParam C - The config's type: its paths become `config.<path>` keys, typed by their values.
 * @typeParam S - The summary's type: its paths become `summary_metrics.<path>` keys.
 */
export type RunFilter<C = Record<string, unknown>, S = Record<string, unknown>> = MongoFilter<
  RunFieldFilters & ConfigFilters<C> & PrefixedFilters<'summary_metrics.', S>
>;

/** The run fields W&B orders runs by, camelCase; snake_case spellings (`created_at`) are accepted too. */
const ORDER_FIELDS = ['createdAt', 'heartbeatAt', 'updatedAt', 'name', 'displayName', 'state', 'group', 'jobType', 'host', 'username', 'duration'] as const;

/** `createdAt` → `created_at`. */
type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;

/** A run field W&B orders runs by: `created_at`, `heartbeat_at`, `name`, `state` … (camelCase too). */
export type RunOrderField = (typeof ORDER_FIELDS)[number] | Snake<(typeof ORDER_FIELDS)[number]>;

/**
 * A runs order: `+` (or nothing) ascending, `-` descending, then a run field, `config.<path>` (also
 * `config.<key>.value`) or `summary_metrics.<path>` from C and S.
 * @example const order: RunOrder<{ lr: number }, { accuracy: number }> = '-summary_metrics.accuracy';
 * @typeParam C - The config's type (its paths after `config.`).
 * @typeParam S - The summary's type (its paths after `summary_metrics.`).
 */
export type RunOrder<C = Record<string, unknown>, S = Record<string, unknown>> =
  `${OrderSign}${RunOrderField | `config.${Paths<C> | Wrapped<Paths<C>>}` | `summary_metrics.${Paths<S>}`}`;

/**
 * Checks a runs order before any request: a sign, then a run field or `config.`/`summary_metrics.`
 * and a path. The message names the usual mistakes (`'accuracy desc'`, a missing prefix).
 * @example checkRunOrder('-summary_metrics.accuracy') // '-summary_metrics.accuracy'
 */
export function checkRunOrder(order: unknown): string {
  const key = String(order).replace(/^[+-]/, '');
  const field = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (typeof order === 'string' && ((ORDER_FIELDS as readonly string[]).includes(field) || /^(config|summary_metrics)(\.[^.]+)+$/.test(key)) && !/\s(asc|desc)$/i.test(key)) {
    return order;
  }
  throw new ValidationError(
    `Invalid order '${order}': use + or - (not asc/desc), then a run field (created_at …), config.<key> or summary_metrics.<key>, e.g. '-summary_metrics.accuracy'.`,
  );
}
