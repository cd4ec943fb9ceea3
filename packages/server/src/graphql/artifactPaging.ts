/**
 * Filtering, ordering and paging of artifact lists in memory. Collections, versions and registries are
 * small per project, so the rows are loaded, filtered with the MongoDB-style documents clients send
 * (registry filters of §8.3, `{"state": "COMMITTED"}` for versions), sorted and sliced with keyset
 * cursors (store/cursor.ts): a cursor names the sort key and id of the last row a page returned.
 */
import { UserInputError } from '../errors';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../store/cursor';
import type { SqlValue } from '../store/filters';
import { compileRegExp } from '../store/regexp';

/** The fields a filter may name, per row; an array value matches when any element does (Mongo). */
export type FilterDoc = Record<string, unknown>;

/** Parses a `filters` argument (JSON text); null, "" and "{}" mean everything. */
export function parseFilter(filters: string | null | undefined): Record<string, unknown> | undefined {
  if (filters === null || filters === undefined || filters.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(filters);
  } catch (err) {
    throw new UserInputError(`filters is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError('filters must be a JSON object');
  return parsed as Record<string, unknown>;
}

function valueAt(doc: FilterDoc, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const candidates = (v: unknown): unknown[] => (Array.isArray(v) ? [v, ...v] : [v]);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function fieldMatches(value: unknown, cond: unknown): boolean {
  const isOps = cond !== null && typeof cond === 'object' && !Array.isArray(cond) && Object.keys(cond).some((k) => k.startsWith('$'));
  if (!isOps) return candidates(value).some((v) => equal(v, cond));
  const ops = cond as Record<string, unknown>;
  return Object.entries(ops).every(([op, operand]) => {
    const any = (test: (v: unknown) => boolean) => candidates(value).some(test);
    switch (op) {
      case '$eq':
        return any((v) => equal(v, operand));
      case '$ne':
        return !any((v) => equal(v, operand));
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return any((v) => {
          const c = compare(v, operand);
          if (c === undefined) return false;
          return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
        });
      case '$in':
        if (!Array.isArray(operand)) throw new UserInputError('$in needs a list');
        return any((v) => operand.some((o) => equal(v, o)));
      case '$nin':
        if (!Array.isArray(operand)) throw new UserInputError('$nin needs a list');
        return !any((v) => operand.some((o) => equal(v, o)));
      case '$all':
        if (!Array.isArray(operand)) throw new UserInputError('$all needs a list');
        return operand.every((o) => candidates(value).some((v) => equal(v, o)));
      case '$exists':
        return (value !== undefined && value !== null) === Boolean(operand);
      case '$regex': {
        if (typeof operand !== 'string') throw new UserInputError('$regex needs a string');
        const re = compileRegExp(operand, typeof ops.$options === 'string' ? ops.$options : '');
        return any((v) => typeof v === 'string' && re.test(v));
      }
      case '$options':
        return true;
      case '$contains':
        return any((v) => typeof v === 'string' && typeof operand === 'string' && v.includes(operand));
      case '$size':
        return Array.isArray(value) && value.length === operand;
      case '$not':
        return !fieldMatches(value, operand);
      default:
        throw new UserInputError(`unsupported filter operator ${op}`);
    }
  });
}

/** Whether a row (as a FilterDoc) satisfies a Mongo-style filter. Unknown fields match nothing. */
export function matches(doc: FilterDoc, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, cond]) => {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond)) throw new UserInputError(`${key} needs a list`);
      const results = cond.map((c) => matches(doc, c as Record<string, unknown>));
      return key === '$and' ? results.every(Boolean) : key === '$or' ? results.some(Boolean) : !results.some(Boolean);
    }
    if (key === '$not') return !matches(doc, cond as Record<string, unknown>);
    return fieldMatches(valueAt(doc, key), cond);
  });
}

/** An `order` argument (`name`, `+name`, `-createdAt`) → field and direction; undefined when absent. */
export function parseOrder(order: string | null | undefined, fields: Readonly<Record<string, string>>): { field: string; desc: boolean } | undefined {
  if (!order) return undefined;
  const m = /^([+-]?)([A-Za-z_][A-Za-z0-9_.]*)$/.exec(order.trim());
  const field = m && fields[m[2] as string];
  if (!m || !field) throw new UserInputError(`invalid order ${JSON.stringify(order)}: use [+-] and one of ${Object.keys(fields).join(', ')}`);
  return { field, desc: m[1] === '-' };
}

/**
 * Sorts rows by one key (then id, same direction) and returns the page after `after`.
 * @example pageRows(rows, (r) => r.created_at, (r) => r.id, true, { first: 50, after: null })
 */
export function pageRows<T>(
  rows: readonly T[],
  key: (row: T) => SqlValue,
  id: (row: T) => number,
  desc: boolean,
  args: { first?: number | null | undefined; after?: string | null | undefined },
  defaultSize?: number,
): Page<T> & { totalCount: number } {
  const sign = desc ? -1 : 1;
  const cmp = (ka: SqlValue, ia: number, kb: SqlValue, ib: number): number => {
    const c = ka === kb ? 0 : ka === null ? -1 : kb === null ? 1 : ka < kb ? -1 : 1;
    return sign * (c !== 0 ? c : ia - ib);
  };
  const sorted = [...rows].sort((a, b) => cmp(key(a), id(a), key(b), id(b)));
  let start = 0;
  if (args.after) {
    const cursor = decodeCursor(args.after, 1);
    const k = cursor.k[0] as SqlValue;
    start = sorted.findIndex((r) => cmp(key(r), id(r), k, cursor.id) > 0);
    if (start < 0) start = sorted.length;
  }
  const size = pageSize(args.first, defaultSize);
  const slice = sorted.slice(start, start + size);
  return {
    items: slice.map((node) => ({ node, cursor: encodeCursor([key(node)], id(node)) })),
    hasNextPage: start + size < sorted.length,
    totalCount: rows.length,
  };
}
