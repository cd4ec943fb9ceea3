/**
 * Compiles W&B's MongoDB-style run filters (a JSON string) to a SQL boolean expression over `runs r`.
 * Every value and JSON path is a bound parameter. Each predicate yields 0 or 1, never NULL, so that
 * `$nor`, `$ne` and `$nin` can simply negate it. Comparisons follow Mongo's type bracketing: a number
 * operand only matches numbers, a string operand only strings.
 *
 * Big filters stay within SQLite's limits: an `$in` list is one JSON parameter read with json_each
 * (any length), long `$and`/`$or` lists are grouped as balanced trees (SQLite refuses expressions
 * more than 1000 deep), and nesting and the number of bound values are capped with a 400.
 */
import { UserInputError } from '../errors';
import { compileRegExp } from './regexp';
import { runField, type ColumnField, type JsonField, type RunField } from './fields';
import { wandbTime } from './time';

export type SqlValue = string | number | null;

export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

const MATCH_ALL: SqlFragment = { sql: '1', params: [] };

type Comparison = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte';
const SQL_OP: Record<Exclude<Comparison, '$eq' | '$ne'>, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
const FIELD_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$regex', '$options']);

/** `$and`/`$or`/`$nor` nested deeper than this is a 400 (Mongo allows 100; W&B's UI sends 2 or 3). */
export const MAX_FILTER_DEPTH = 32;
/**
 * Conditions (a field and an operator) in one filter. SQLite's time to prepare a statement grows
 * faster than its size (~50 ms at 1,000 conditions, seconds at 10,000), so more is a 400; long lists
 * of values go in `$in`, and `$or` of equalities (`$and` of `$ne`) on one field is merged into one.
 */
export const MAX_FILTER_CONDITIONS = 1_000;

/** Compiles the `filters` argument; null, undefined and "" mean no filter. */
export function compileRunFilter(filters: string | null | undefined): SqlFragment {
  if (filters === null || filters === undefined || filters.trim() === '') return MATCH_ALL;
  let parsed: unknown;
  try {
    parsed = JSON.parse(filters);
  } catch (err) {
    throw new UserInputError(`filters is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null) return MATCH_ALL;
  if (!isPlainObject(parsed)) throw new UserInputError('filters must be a JSON object');
  const params: SqlValue[] = [];
  const sql = new Compiler(params).document(parsed, 'filters', 0);
  return { sql, params };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * `a OP b OP c …` as a balanced tree of parenthesised halves: SQLite parses a flat chain as a tree
 * as deep as the chain is long, and refuses depths over 1000.
 */
export function joinBalanced(parts: readonly string[], op: 'AND' | 'OR'): string {
  if (parts.length <= 16) return parts.map((s) => `(${s})`).join(` ${op} `);
  const mid = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, mid), op)}) ${op} (${joinBalanced(parts.slice(mid), op)})`;
}

class Compiler {
  private conditions = 0;

  constructor(private readonly params: SqlValue[]) {}

  private countCondition(): void {
    if (++this.conditions > MAX_FILTER_CONDITIONS) {
      throw new UserInputError(`filters too large: more than ${MAX_FILTER_CONDITIONS} conditions; put long lists of values in $in`);
    }
  }

  /** Pushes a bound value and returns its placeholder; template literals evaluate left to right. */
  private p(value: SqlValue): string {
    this.params.push(value);
    return '?';
  }

  document(doc: Record<string, unknown>, where: string, depth: number): string {
    const parts: string[] = [];
    for (const [key, cond] of Object.entries(doc)) {
      if (key === '$and' || key === '$or' || key === '$nor') parts.push(this.logical(key, cond, where, depth + 1));
      else if (key.startsWith('$')) throw new UserInputError(`unknown operator ${key} in ${where}`);
      else parts.push(this.field(key, cond));
    }
    return parts.length === 0 ? '1' : parts.length === 1 ? (parts[0] as string) : joinBalanced(parts, 'AND');
  }

  private logical(op: '$and' | '$or' | '$nor', cond: unknown, where: string, depth: number): string {
    if (depth > MAX_FILTER_DEPTH) throw new UserInputError(`filters nested more than ${MAX_FILTER_DEPTH} deep`);
    if (!Array.isArray(cond) || cond.length === 0) throw new UserInputError(`${op} in ${where} must be a non-empty array`);
    // $or/$nor of {f: a}, {f: b} … is f $in [a, b, …]; $and of {f: {$ne: a}} … is NOT of that: one
    // condition per field, however many branches.
    const parts: string[] = [];
    const merged = new Map<string, { field: RunField; values: unknown[] }>();
    cond.forEach((sub, i) => {
      if (!isPlainObject(sub)) throw new UserInputError(`${op}[${i}] in ${where} must be an object`);
      const simple = op === '$and' ? notEqual(sub) : equality(sub);
      if (!simple) parts.push(this.document(sub, `${op}[${i}]`, depth));
      else if (merged.has(simple.key)) merged.get(simple.key)?.values.push(simple.value);
      else merged.set(simple.key, { field: simple.field, values: [simple.value] });
    });
    for (const { field, values } of merged.values()) {
      this.countCondition();
      const any = values.length === 1 ? this.eq(field, values[0]) : this.in(field, values);
      parts.push(op === '$and' ? `NOT (${any})` : any);
    }
    if (op === '$and') return joinBalanced(parts, 'AND');
    if (op === '$or') return joinBalanced(parts, 'OR');
    return `NOT (${joinBalanced(parts, 'OR')})`;
  }

  private field(key: string, cond: unknown): string {
    const field = runField(key);
    if (!field) {
      throw new UserInputError(
        `unknown filter field ${JSON.stringify(key)}: use config.<key>, summary_metrics.<key>, tags, or a run field ` +
          '(name, displayName, state, group, jobType, host, username, sweep, createdAt, heartbeatAt, updatedAt, duration)',
      );
    }
    if (!isPlainObject(cond) || !Object.keys(cond).some((k) => k.startsWith('$'))) {
      this.countCondition();
      return this.eq(field, cond);
    }

    const ops = Object.keys(cond);
    const parts: string[] = [];
    for (const op of ops) {
      this.countCondition();
      if (!op.startsWith('$')) throw new UserInputError(`filter on ${key} mixes operators with the field ${JSON.stringify(op)}`);
      if (!FIELD_OPERATORS.has(op)) throw new UserInputError(`unknown operator ${op} on ${key}`);
      const value = cond[op];
      switch (op) {
        case '$eq':
          parts.push(this.eq(field, value));
          break;
        case '$ne':
          parts.push(`NOT (${this.eq(field, value)})`);
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          parts.push(this.compare(field, op, value));
          break;
        case '$in':
        case '$nin': {
          if (!Array.isArray(value)) throw new UserInputError(`${op} on ${key} needs an array, got ${describe(value)}`);
          const any = this.in(field, value);
          parts.push(op === '$in' ? any : `NOT (${any})`);
          break;
        }
        case '$exists':
          if (typeof value !== 'boolean') throw new UserInputError(`$exists on ${key} needs true or false, got ${describe(value)}`);
          parts.push(this.exists(field, value));
          break;
        case '$regex': {
          const options = cond.$options;
          if (typeof value !== 'string') throw new UserInputError(`$regex on ${key} needs a string, got ${describe(value)}`);
          if (options !== undefined && typeof options !== 'string') throw new UserInputError(`$options on ${key} must be a string`);
          compileRegExp(value, options ?? ''); // reject a bad pattern now, as a 400, not inside SQLite
          parts.push(this.regex(field, value, options ?? ''));
          break;
        }
        case '$options':
          if (!('$regex' in cond)) throw new UserInputError(`$options on ${key} needs $regex`);
          break;
      }
    }
    return parts.length === 1 ? (parts[0] as string) : parts.map((s) => `(${s})`).join(' AND ');
  }

  private eq(field: RunField, value: unknown): string {
    switch (field.kind) {
      case 'tags':
        if (value === null) return 'json_array_length(r.tags) = 0';
        if (typeof value === 'string') return `EXISTS (SELECT 1 FROM json_each(r.tags) WHERE value = ${this.p(value)})`;
        if (Array.isArray(value)) return `r.tags = ${this.p(JSON.stringify(value))}`;
        return '0';
      case 'json':
        return this.jsonEq(field, value);
      default:
        if (value === null) return `${field.sql} IS NULL`;
        return this.columnCompare(field, '=', value) ?? '0';
    }
  }

  /**
   * `$in`: whether the field equals any of `values`, with the same bracketing as `eq`. Each kind of
   * operand is one JSON parameter read by json_each, so a list of any length is one predicate.
   */
  private in(field: RunField, values: readonly unknown[]): string {
    const strings = values.filter((v): v is string => typeof v === 'string');
    const numbers = values.filter((v): v is number => typeof v === 'number');
    const hasNull = values.includes(null);
    const others = values.filter((v) => v !== null && typeof v === 'object'); // arrays and objects
    const list = (items: readonly unknown[]) => `(SELECT value FROM json_each(${this.p(JSON.stringify(items))}))`;
    const parts: string[] = [];
    switch (field.kind) {
      case 'tags':
        if (hasNull) parts.push('json_array_length(r.tags) = 0');
        if (strings.length > 0) parts.push(`EXISTS (SELECT 1 FROM json_each(r.tags) t WHERE t.value IN ${list(strings)})`);
        {
          const arrays = others.filter(Array.isArray).map((a) => JSON.stringify(a));
          if (arrays.length > 0) parts.push(`r.tags IN ${list(arrays)}`);
        }
        break;
      case 'json': {
        const { column, path } = field;
        if (hasNull) parts.push(this.jsonEq(field, null));
        for (const b of [true, false]) if (values.includes(b)) parts.push(this.jsonEq(field, b));
        const scalars = [...strings, ...numbers];
        if (scalars.length > 0) {
          // json_extract gives TEXT for strings and INTEGER/REAL for numbers; IN compares without
          // conversions, so '1' never equals 1 (Mongo's bracketing). Booleans are excluded by type.
          parts.push(
            `IFNULL(json_type(${column}, ${this.p(path)}) IN ('integer', 'real', 'text') AND json_extract(${column}, ${this.p(path)}) IN ${list(scalars)}, 0)`,
          );
        }
        if (others.length > 0) {
          parts.push(
            `IFNULL(json_type(${column}, ${this.p(path)}) IN ('object', 'array') AND json(json_extract(${column}, ${this.p(path)})) IN (SELECT json(value) FROM json_each(${this.p(JSON.stringify(others))})), 0)`,
          );
        }
        break;
      }
      default: {
        if (hasNull) parts.push(`${field.sql} IS NULL`);
        const operands = field.kind === 'number' ? numbers : field.kind === 'date' ? strings.map(normalizeDate) : strings;
        if (operands.length > 0) parts.push(`IFNULL(${field.sql} IN ${list(operands)}, 0)`);
      }
    }
    return parts.length === 0 ? '0' : parts.length === 1 ? (parts[0] as string) : joinBalanced(parts, 'OR');
  }

  private compare(field: RunField, op: Exclude<Comparison, '$eq' | '$ne'>, value: unknown): string {
    const sqlOp = SQL_OP[op];
    if (field.kind === 'tags') throw new UserInputError(`${op} is not supported on tags`);
    if (field.kind === 'json') {
      const t = this.jsonScalarType(value);
      if (!t) return '0';
      return `IFNULL(json_type(${field.column}, ${this.p(field.path)}) IN (${t}) AND json_extract(${field.column}, ${this.p(field.path)}) ${sqlOp} ${this.p(value as SqlValue)}, 0)`;
    }
    return this.columnCompare(field, sqlOp, value) ?? '0';
  }

  /** `col <op> ?` when the operand's type fits the column; undefined (no match) otherwise. */
  private columnCompare(field: ColumnField, sqlOp: string, value: unknown): string | undefined {
    if (field.kind === 'number') {
      if (typeof value !== 'number') return undefined;
      return `IFNULL(${field.sql} ${sqlOp} ${this.p(value)}, 0)`;
    }
    if (typeof value !== 'string') return undefined;
    return `IFNULL(${field.sql} ${sqlOp} ${this.p(field.kind === 'date' ? normalizeDate(value) : value)}, 0)`;
  }

  private jsonEq(field: JsonField, value: unknown): string {
    const { column, path } = field;
    // A missing key, a JSON null and a NaN stored as null all equal null, as in Mongo.
    if (value === null) return `json_extract(${column}, ${this.p(path)}) IS NULL`;
    if (typeof value === 'boolean') return `IFNULL(json_type(${column}, ${this.p(path)}) = '${value}', 0)`;
    if (typeof value === 'object') {
      return `IFNULL(json_type(${column}, ${this.p(path)}) IN ('object', 'array') AND json(json_extract(${column}, ${this.p(path)})) = json(${this.p(JSON.stringify(value))}), 0)`;
    }
    const t = this.jsonScalarType(value);
    if (!t) return '0';
    return `IFNULL(json_type(${column}, ${this.p(path)}) IN (${t}) AND json_extract(${column}, ${this.p(path)}) = ${this.p(value as SqlValue)}, 0)`;
  }

  /** The json_type values an operand may be compared with; undefined for non-scalar operands. */
  private jsonScalarType(value: unknown): string | undefined {
    if (typeof value === 'number') return `'integer', 'real'`;
    if (typeof value === 'string') return `'text'`;
    return undefined;
  }

  private exists(field: RunField, exists: boolean): string {
    let sql: string;
    if (field.kind === 'tags') sql = 'json_array_length(r.tags) > 0';
    else if (field.kind === 'json') sql = `json_type(${field.column}, ${this.p(field.path)}) IS NOT NULL`;
    else sql = `${field.sql} IS NOT NULL`;
    return exists ? sql : `NOT (${sql})`;
  }

  private regex(field: RunField, pattern: string, options: string): string {
    if (field.kind === 'tags') {
      return `EXISTS (SELECT 1 FROM json_each(r.tags) WHERE regexp_match(${this.p(pattern)}, ${this.p(options)}, value))`;
    }
    // Placeholders in textual order: pattern, options, then the JSON path if any.
    const head = `regexp_match(${this.p(pattern)}, ${this.p(options)}, `;
    const value = field.kind === 'json' ? `json_extract(${field.column}, ${this.p(field.path)})` : field.sql;
    // regexp_match is 0 for non-strings, so numbers stored in JSON never match.
    return `${head}${value})`;
  }
}

/** A branch `{f: v}` or `{f: {$eq: v}}` on a known field: its key, field and operand. */
function equality(branch: Record<string, unknown>): { key: string; field: RunField; value: unknown } | undefined {
  const only = onlyKey(branch);
  if (!only) return undefined;
  const cond = branch[only.key];
  if (!isPlainObject(cond) || !Object.keys(cond).some((k) => k.startsWith('$'))) return { ...only, value: cond };
  const ops = Object.keys(cond);
  return ops.length === 1 && ops[0] === '$eq' ? { ...only, value: cond.$eq } : undefined;
}

/** A branch `{f: {$ne: v}}` on a known field: its key, field and operand. */
function notEqual(branch: Record<string, unknown>): { key: string; field: RunField; value: unknown } | undefined {
  const only = onlyKey(branch);
  const cond = only && branch[only.key];
  return only && isPlainObject(cond) && Object.keys(cond).length === 1 && '$ne' in cond ? { ...only, value: cond.$ne } : undefined;
}

/** The branch's one key when it names a known field (anything else compiles the usual way, errors included). */
function onlyKey(branch: Record<string, unknown>): { key: string; field: RunField } | undefined {
  const keys = Object.keys(branch);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || key.startsWith('$')) return undefined;
  let field: RunField | undefined;
  try {
    field = runField(key);
  } catch {
    return undefined;
  }
  return field && { key, field };
}

/** Date operands compare lexically with stored W&B times; normalise zoned or fractional ISO strings first. */
function normalizeDate(value: string): string {
  try {
    return wandbTime(value);
  } catch {
    return value;
  }
}
