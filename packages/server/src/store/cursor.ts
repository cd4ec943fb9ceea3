/**
 * Keyset cursors: a cursor names the sort-key values and row id of the last row a page returned, and
 * the next page starts strictly after that tuple. Unlike offsets this stays exact while rows are
 * inserted or deleted between pages. NULLs follow SQLite's order: first ascending, last descending.
 */
import { UserInputError } from '../errors';
import type { SqlFragment, SqlValue } from './filters';

/** One page of a connection: nodes with their cursors. */
export interface Page<T> {
  items: { node: T; cursor: string }[];
  hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 10_000;
export const DEFAULT_PAGE_SIZE = 50;

/** `first` → page size: default 50, at most 10,000; negative is a client error. */
export function pageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  if (first === null || first === undefined) return fallback;
  if (first < 0) throw new UserInputError(`first must not be negative, got ${first}`);
  return Math.min(first, MAX_PAGE_SIZE);
}

interface CursorBody {
  k: SqlValue[];
  id: number;
}

export function encodeCursor(keys: SqlValue[], id: number): string {
  const body: CursorBody = { k: keys, id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

/** Decodes a cursor made by encodeCursor for an order of `keyCount` keys; anything else is a 400. */
export function decodeCursor(cursor: string, keyCount: number): CursorBody {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    body = undefined;
  }
  const b = body as Partial<CursorBody> | undefined;
  if (
    !b ||
    typeof b !== 'object' ||
    !Number.isInteger(b.id) ||
    !Array.isArray(b.k) ||
    b.k.length !== keyCount ||
    !b.k.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  ) {
    throw new UserInputError(`invalid cursor ${JSON.stringify(cursor)}: pass back a cursor from the same query and order`);
  }
  return { k: b.k, id: b.id as number };
}

/**
 * SQL for "row comes strictly after (values…, id)" in ORDER BY columns[0] dir, …, idColumn dir.
 * Every column shares one direction, as the pager orders by one key plus the id.
 */
export function keysetAfter(columns: string[], desc: boolean, cursor: CursorBody, idColumn: string): SqlFragment {
  const params: SqlValue[] = [];
  const p = (v: SqlValue): string => {
    params.push(v);
    return '?';
  };
  const after = (i: number): string => {
    if (i === columns.length) return desc ? `${idColumn} < ${p(cursor.id)}` : `${idColumn} > ${p(cursor.id)}`;
    const col = columns[i] as string;
    const v = cursor.k[i] as SqlValue;
    if (v === null) {
      // Ascending: every non-NULL comes after NULL. Descending: NULLs are last, so only ties follow.
      return desc ? `(${col} IS NULL AND ${after(i + 1)})` : `(${col} IS NOT NULL OR (${col} IS NULL AND ${after(i + 1)}))`;
    }
    if (desc) return `(${col} < ${p(v)} OR ${col} IS NULL OR (${col} = ${p(v)} AND ${after(i + 1)}))`;
    // The leading range term lets SQLite seek an index on the column instead of scanning from the start.
    return `(${col} >= ${p(v)} AND (${col} > ${p(v)} OR ${after(i + 1)}))`;
  };
  return { sql: after(0), params };
}
