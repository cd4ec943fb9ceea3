/**
 * `$regex` support: RE2 syntax (what W&B's Go backend accepts) on the linear-time matcher in re2.ts,
 * so no pattern can make a filter backtrack for seconds while every other request waits. Mongo's
 * `$options` i, m, s and RE2's inline flags such as `(?i)` both work.
 */
import { UserInputError } from '../errors';
import { compileRe2, RegexSyntaxError, type Re2Pattern } from './re2';

const CACHE_LIMIT = 256;
/** Longer patterns are rejected (a bracket class compiles to one instruction however long it is). */
export const MAX_PATTERN_LENGTH = 16 * 1024;
const cache = new Map<string, Re2Pattern>();

/** Compiles (and caches) a pattern; throws UserInputError for an invalid or unsupported one. */
export function compileRegExp(pattern: string, options = ''): Re2Pattern {
  const cacheKey = `${options}/${pattern}`;
  let re = cache.get(cacheKey);
  if (re) return re;
  const bad = options.replace(/[ims]/g, '');
  if (bad) throw new UserInputError(`unsupported $regex option(s) ${JSON.stringify(bad)}; allowed: i, m, s`);
  if (pattern.length > MAX_PATTERN_LENGTH) throw new UserInputError(`invalid $regex: longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    re = compileRe2(pattern, { i: options.includes('i'), m: options.includes('m'), s: options.includes('s') });
  } catch (err) {
    if (!(err instanceof RegexSyntaxError)) throw err;
    throw new UserInputError(`invalid $regex ${JSON.stringify(pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern)}: ${err.message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, re);
  return re;
}

/** SQL: regexp_match(pattern, options, value) → 1 when value is a string matching pattern, else 0. */
export function regexpMatch(pattern: unknown, options: unknown, value: unknown): number {
  if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
  return compileRegExp(pattern, typeof options === 'string' ? options : '').test(value) ? 1 : 0;
}
