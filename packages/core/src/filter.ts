// Types of W&B's MongoDB-style filter dialects (runs, sweeps, registries). Types only: nothing here
// reaches a bundle. The domain packages describe their fields; these types give each field its
// operators, with operand types that follow the field's type.

/** A JSON scalar, as a filter operand. */
export type FilterScalar = string | number | boolean | null;

/**
 * The operand of an equality on a field of unknown type: any JSON value, except an object with a
 * `$` key (a misspelt operator such as `{ $gtt: 1 }` would otherwise compare as a value).
 */
export type FilterValue =
  | FilterScalar
  | readonly unknown[]
  | { readonly [key: `$${string}`]: never; readonly [key: string]: unknown };

/** Ordered operands (`$gt` …) of a field of type V: its numbers and strings (any of them when V is unknown). */
export type Comparable<V> = unknown extends V ? number | string : Extract<V, number | string>;

/** `string` when a field of type V can hold text (so `$regex` makes sense), else never. */
export type Textual<V> = unknown extends V ? string : [Extract<V, string>] extends [never] ? never : string;

/**
 * The operators of one field of type V: `$eq $ne $gt $gte $lt $lte $in $nin $exists $regex`
 * (`$options` goes with `$regex`).
 * @example const lr: FieldOperators<number> = { $gte: 0.001, $lt: 0.1 };
 */
export interface FieldOperators<V> {
  /** Equal to the operand (null: missing or null). */
  readonly $eq?: V | null;
  /** Not equal to the operand. */
  readonly $ne?: V | null;
  /** Greater than (numbers with numbers, strings with strings). */
  readonly $gt?: Comparable<V>;
  /** Greater than or equal. */
  readonly $gte?: Comparable<V>;
  /** Less than. */
  readonly $lt?: Comparable<V>;
  /** Less than or equal. */
  readonly $lte?: Comparable<V>;
  /** Equal to one of the operands. */
  readonly $in?: readonly (V | null)[];
  /** Equal to none of the operands. */
  readonly $nin?: readonly (V | null)[];
  /** Present (true) or missing (false). */
  readonly $exists?: boolean;
  /** Text matching this regular expression (RE2 syntax on W&B). */
  readonly $regex?: Textual<V>;
  /** Flags of `$regex`, e.g. `i`. */
  readonly $options?: Textual<V>;
}

/** The equality operand of a field of type V: V itself (any JSON value when V is unknown), or null for "missing". */
export type FieldValue<V> = unknown extends V ? FilterValue : V | null;

/**
 * The condition on one field: a value (equality) or an object of operators.
 * @example const state: FieldFilter<'running' | 'finished'> = { $in: ['running', 'finished'] };
 */
export type FieldFilter<V> = FieldValue<V> | FieldOperators<V>;

/**
 * A filter document over a map of field → condition, with `$and`, `$or` and `$nor` of documents.
 * Unknown fields and operators are compile errors; the JSON sent is the object as written.
 * @example type F = MongoFilter<{ state: FieldFilter<string> }>; const f: F = { $or: [{ state: 'a' }, { state: 'b' }] };
 */
export type MongoFilter<Conditions> = { readonly [K in keyof Conditions]?: Conditions[K] } & {
  /** Every document matches. */
  readonly $and?: readonly MongoFilter<Conditions>[];
  /** At least one document matches. */
  readonly $or?: readonly MongoFilter<Conditions>[];
  /** No document matches. */
  readonly $nor?: readonly MongoFilter<Conditions>[];
};

/** Depth budget of path types: each level down spends one (keeps the compiler fast on deep configs). */
type Down = [never, 0, 1, 2, 3, 4, 5, 6];

/** Whether paths descend into a value of this type (plain objects only: not arrays, not functions). */
type Nested<V> = V extends readonly unknown[] ? false : V extends (...args: never[]) => unknown ? false : V extends object ? true : false;

/** The object under a key, without `undefined` (optional keys) and `null` (nullable sections). */
type Defined<V> = unknown extends V ? V : Exclude<V, null | undefined>;

/**
 * The dotted paths of an object type, of up to `Depth + 1` keys (`a.b.c.d.e` by default; the bound
 * keeps the compiler fast on deep configs): plain objects are entered, arrays are not. An index
 * signature gives a pattern path (`Record<string, unknown>` gives `string`).
 * @example type P = Paths<{ opt: { lr: number } }>; // 'opt' | 'opt.lr'
 */
export type Paths<T, Depth extends number = 4> = [Depth] extends [never]
  ? never
  : Nested<T> extends true
    ? { [K in keyof T & string]-?: K | (Nested<Defined<T[K]>> extends true ? `${K}.${Paths<Defined<T[K]>, Down[Depth]> & string}` : never) }[keyof T & string]
    : never;

/**
 * The type at a dotted path of T (unknown when T does not say).
 * @example type V = PathValue<{ opt: { lr: number } }, 'opt.lr'>; // number
 */
export type PathValue<T, P extends string> = P extends keyof T
  ? Defined<T[P]>
  : P extends `${infer K}.${infer Rest}`
    ? K extends keyof T
      ? PathValue<Defined<T[K]>, Rest>
      : unknown
    : unknown;

/**
 * Conditions keyed `<prefix><path>` for every path of T, each typed by the value at that path.
 * @example type C = PrefixedFilters<'config.', { lr: number }>; // { 'config.lr'?: FieldFilter<number> }
 */
export type PrefixedFilters<Prefix extends string, T, Depth extends number = 4> = {
  [P in Paths<T, Depth> as `${Prefix}${P}`]: FieldFilter<PathValue<T, P>>;
};

/** An order's direction: `+` (or none) ascending, `-` descending. */
export type OrderSign = '' | '+' | '-';
