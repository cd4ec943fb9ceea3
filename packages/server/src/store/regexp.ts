/**
 * `$regex` support: a SQL function backed by JS RegExp (W&B documents RE2 syntax; the common
 * subset is the same, and a leading RE2 inline flag group such as `(?i)` is translated).
 */
import { UserInputError } from '../errors';

const cache = new Map<string, RegExp>();

/** Compiles (and caches) a pattern; throws UserInputError for an invalid one. */
export function compileRegExp(pattern: string, options = ''): RegExp {
  const cacheKey = `${options}/${pattern}`;
  let re = cache.get(cacheKey);
  if (re) return re;
  let source = pattern;
  let flags = options;
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags += (inline[1] as string).replace(/U/g, '');
  }
  // Only stateless flags: `g`/`y` would make RegExp#test depend on the previous call.
  const bad = flags.replace(/[ims]/g, '');
  if (bad) throw new UserInputError(`unsupported $regex option(s) ${JSON.stringify(bad)}; allowed: i, m, s`);
  try {
    re = new RegExp(source, [...new Set(flags)].join(''));
  } catch (err) {
    throw new UserInputError(`invalid $regex ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(cacheKey, re);
  return re;
}

/** SQL: regexp_match(pattern, options, value) → 1 when value is a string matching pattern, else 0. */
export function regexpMatch(pattern: unknown, options: unknown, value: unknown): number {
  if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
  return compileRegExp(pattern, typeof options === 'string' ? options : '').test(value) ? 1 : 0;
}
