// The MongoDB-style filters of registry searches, checked and rewritten before they are sent (as
// JSON strings; the server evaluates them), as Python's FilterValidator does: every field must be
// one the search accepts, aliases become canonical names, and registry `name` operands get the
// `wandb-registry-` prefix (except under `$regex` and unknown operators).
import { ValidationError } from '@wandb-api/core';
import { REGISTRY_PREFIX } from './artifactPath.js';

/** A MongoDB-style filter: `{ name: { $regex: 'mod' } }`, `{ $or: [{ tag: 'a' }, { alias: 'prod' }] }` … */
export type RegistryFilterInput = Readonly<Record<string, unknown>>;

/** Operators the filter language knows (others pass through untouched). */
const OPERATORS = new Set([
  '$and', '$or', '$nor', '$not', '$lt', '$gt', '$lte', '$gte', '$eq', '$ne',
  '$in', '$nin', '$all', '$exists', '$regex', '$contains', '$size',
]);

/** Accepted field → canonical field, per search (Python's "basic" dialect). */
const REGISTRY_FIELDS: Readonly<Record<string, string>> = {
  id: 'id', name: 'name', entity_id: 'entity_id', description: 'description', created_at: 'created_at', updated_at: 'updated_at',
};
const COLLECTION_FIELDS: Readonly<Record<string, string>> = {
  artifact_collection_id: 'artifact_collection_id', collection_id: 'artifact_collection_id', id: 'artifact_collection_id',
  name: 'name', tag: 'tag', description: 'description', created_at: 'created_at', updated_at: 'updated_at',
};
const VERSION_FIELDS: Readonly<Record<string, string>> = {
  id: 'id', version: 'version', tag: 'tag', alias: 'alias', metadata: 'metadata', created_at: 'created_at', updated_at: 'updated_at',
};

/** Fields of Python's "advanced" search (server feature ARTIFACT_COLLECTIONS_FILTERING_SORTING and the organization's `advancedSearch`), used by version searches only. */
const ADVANCED_REGISTRY_FIELDS: Readonly<Record<string, string>> = { project_id: 'project_id', id: 'project_id', name: 'name', entity_id: 'entity_id' };
const ADVANCED_COLLECTION_FIELDS: Readonly<Record<string, string>> = {
  artifact_collection_id: 'artifact_collection_id', collection_id: 'artifact_collection_id', id: 'artifact_collection_id',
  name: 'name', collection_name: 'name', artifact_collection_name: 'name', tag: 'tag', tags: 'tag',
};
const ADVANCED_VERSION_FIELDS: Readonly<Record<string, string>> = {
  artifact_id: 'artifact_id', id: 'artifact_id', version: 'version', version_index: 'version', tag: 'tag', tags: 'tag',
  alias: 'alias', aliases: 'alias', metadata: 'metadata', artifact_metadata: 'metadata',
  artifact_created_at: 'artifact_created_at', created_at: 'artifact_created_at', artifact_size: 'artifact_size',
};

/** Which field set a search uses: `basic`, or `advanced` for version searches on organizations that have it. */
export type SearchDialect = 'basic' | 'advanced';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The root names (before the first '.') of every field a filter references. */
function fieldsOf(filter: Record<string, unknown>, out: Set<string>): Set<string> {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (Array.isArray(value)) for (const child of value) if (isPlainObject(child)) fieldsOf(child, out);
    } else if (key === '$not') {
      if (isPlainObject(value)) fieldsOf(value, out);
    } else if (!key.startsWith('$')) {
      out.add(key.split('.')[0]!);
    }
  }
  return out;
}

/**
 * Prefixes registry names in a `name` operand: strings, lists, known operators (not `$regex`).
 * @example prefixRegistryName({ $in: ['model', 'dataset'] }) // { $in: ['wandb-registry-model', 'wandb-registry-dataset'] }
 */
export function prefixRegistryName(operand: unknown): unknown {
  if (typeof operand === 'string') return operand.startsWith(REGISTRY_PREFIX) ? operand : REGISTRY_PREFIX + operand;
  if (Array.isArray(operand)) return operand.map(prefixRegistryName);
  if (isPlainObject(operand)) {
    return Object.fromEntries(
      Object.entries(operand).map(([k, v]) => [k, k === '$regex' || (k.startsWith('$') && !OPERATORS.has(k)) ? v : prefixRegistryName(v)]),
    );
  }
  return operand;
}

function rewrite(filter: Record<string, unknown>, fields: Readonly<Record<string, string>>, prefixNames: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const duplicates = new Set<string>();
  for (const [key, value] of Object.entries(filter)) {
    let entry: [string, unknown];
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      entry = [key, value.map((c) => (isPlainObject(c) ? rewrite(c, fields, prefixNames) : c))];
    } else if (key === '$not' && isPlainObject(value)) {
      entry = [key, rewrite(value, fields, prefixNames)];
    } else if (key.startsWith('$')) {
      entry = [key, value];
    } else {
      const dot = key.indexOf('.');
      const root = dot < 0 ? key : key.slice(0, dot);
      const field = (fields[root] ?? root) + (dot < 0 ? '' : key.slice(dot));
      entry = [field, prefixNames && field === 'name' ? prefixRegistryName(value) : value];
    }
    if (entry[0] in out) duplicates.add(entry[0]);
    out[entry[0]] = entry[1];
  }
  // Two aliases of one field in one object would silently lose a condition.
  if (duplicates.size > 0) throw new ValidationError(`Duplicate fields: ${[...duplicates].sort().map((d) => `'${d}'`).join(', ')}`);
  return out;
}

function check(kind: string, filter: unknown, fields: Readonly<Record<string, string>>, prefixNames: boolean): Record<string, unknown> | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (!isPlainObject(filter)) throw new ValidationError(`A ${kind} filter must be an object such as { name: 'model' }.`);
  const invalid = [...fieldsOf(filter, new Set())].filter((f) => !(f in fields)).sort();
  if (invalid.length > 0) {
    const valid = Object.keys(fields).sort();
    throw new ValidationError(`Invalid filter fields: ${invalid.map((f) => `'${f}'`).join(', ')}; must be one of: ${valid.map((f) => `'${f}'`).join(', ')}`);
  }
  const out = rewrite(filter, fields, prefixNames);
  try {
    JSON.stringify(out);
  } catch (error) {
    throw new ValidationError(`The ${kind} filter cannot be serialised: ${(error as Error).message}`);
  }
  return out;
}

/**
 * Checks and rewrites a registry filter (fields `id name entity_id description created_at updated_at`;
 * `name` operands get the `wandb-registry-` prefix). Undefined stays undefined.
 * @example registryFilter({ name: { $in: ['model'] } }) // { name: { $in: ['wandb-registry-model'] } }
 */
export function registryFilter(filter: RegistryFilterInput | undefined | null, dialect: SearchDialect = 'basic'): Record<string, unknown> | undefined {
  return check('registry', filter, dialect === 'basic' ? REGISTRY_FIELDS : ADVANCED_REGISTRY_FIELDS, true);
}

/**
 * Checks and rewrites a registry collection filter (fields `id`/`collection_id`/`artifact_collection_id`,
 * `name tag description created_at updated_at`).
 * @example collectionFilter({ id: 'QXJ0aWZhY3RDb2xsZWN0aW9uOjE=' }) // { artifact_collection_id: '…' }
 */
export function collectionFilter(filter: RegistryFilterInput | undefined | null, dialect: SearchDialect = 'basic'): Record<string, unknown> | undefined {
  return check('collection', filter, dialect === 'basic' ? COLLECTION_FIELDS : ADVANCED_COLLECTION_FIELDS, false);
}

/**
 * Checks a registry version filter (fields `id version tag alias metadata created_at updated_at`;
 * `metadata.<key>` reaches into metadata). The advanced dialect takes `artifact_id`/`id`,
 * `version`/`version_index`, `tag(s)`, `alias(es)`, `(artifact_)metadata`, `(artifact_)created_at`, `artifact_size`.
 * @example versionFilter({ alias: 'production' })
 */
export function versionFilter(filter: RegistryFilterInput | undefined | null, dialect: SearchDialect = 'basic'): Record<string, unknown> | undefined {
  return check('version', filter, dialect === 'basic' ? VERSION_FIELDS : ADVANCED_VERSION_FIELDS, false);
}

/**
 * Checks a filter against either dialect (before the dialect is known); the basic error wins.
 * @example checkEitherDialect((d) => versionFilter({ alias: 'production' }, d));
 */
export function checkEitherDialect(check: (dialect: SearchDialect) => unknown): void {
  try {
    check('basic');
  } catch (basic) {
    try {
      check('advanced');
    } catch {
      throw basic;
    }
  }
}

/**
 * Checks an order string (`+`/`-` then a field name; unsigned means ascending) and returns it with
 * its sign, as Python normalises it; `allowed` limits the field names.
 * @example checkOrder('created_at') // '+created_at'
 */
export function checkOrder(order: string | undefined, allowed?: readonly string[]): string | undefined {
  if (order === undefined) return undefined;
  const match = typeof order === 'string' ? /^([+-]?)([A-Za-z_][\w.]*)$/.exec(order) : null;
  if (!match) throw new ValidationError(`Invalid order string '${String(order)}': expected e.g. '-created_at'.`);
  const field = match[2]!;
  if (allowed && !allowed.includes(field)) {
    throw new ValidationError(`Invalid order field '${field}'; must be one of: ${allowed.map((f) => `'${f}'`).join(', ')}`);
  }
  return `${match[1] || '+'}${field}`;
}
