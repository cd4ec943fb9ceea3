// The MongoDB-style filters of registry searches, checked and rewritten before they are sent (as
// JSON strings; the server evaluates them), as Python's FilterValidator does: every field must be
// one the search accepts, aliases become canonical names, and registry `name` operands get the
// `wandb-registry-` prefix (except under `$regex` and unknown operators).
import { type FieldOperators, type FieldValue, type OrderSign, ValidationError } from '@wandb-api/core';
import { REGISTRY_PREFIX } from './artifactPath.js';

/** Any filter object, unchecked by the compiler (the checks below run before any request). */
export type RegistryFilterInput = Readonly<Record<string, unknown>>;

/** The operators of one field in registry searches: the runs operators plus `$not $all $contains $size`. */
export interface SearchFieldOperators<V> extends FieldOperators<V> {
  /** None of these conditions holds. */
  readonly $not?: SearchFieldOperators<V>;
  /** A list field holding every one of these. */
  readonly $all?: readonly V[];
  /** Text containing this string. */
  readonly $contains?: string;
  /** A list field of this length. */
  readonly $size?: number;
}

/** The condition on one field of a registry search: a value or operators. */
export type SearchFieldFilter<V> = FieldValue<V> | SearchFieldOperators<V>;

/** A search filter document over the fields F, with `$and $or $nor` lists and `$not`. */
export type SearchFilter<F> = { readonly [K in keyof F]?: F[K] } & {
  /** Every document matches. */
  readonly $and?: readonly SearchFilter<F>[];
  /** At least one document matches. */
  readonly $or?: readonly SearchFilter<F>[];
  /** No document matches. */
  readonly $nor?: readonly SearchFilter<F>[];
  /** The document does not match. */
  readonly $not?: SearchFilter<F>;
};

/** Fields of registry filters (both of Python's dialects); `name` without the `wandb-registry-` prefix. */
export interface RegistryFieldFilters {
  /** The registry's numeric id. */
  readonly id: SearchFieldFilter<number | string>;
  /** The registry's numeric id (advanced search). */
  readonly project_id: SearchFieldFilter<number | string>;
  /** The registry name (prefixed for you, except under `$regex`). */
  readonly name: SearchFieldFilter<string>;
  /** The organization entity's id. */
  readonly entity_id: SearchFieldFilter<number | string>;
  /** The description. */
  readonly description: SearchFieldFilter<string>;
  /** When it was created (ISO 8601). */
  readonly created_at: SearchFieldFilter<string>;
  /** When it last changed (ISO 8601). */
  readonly updated_at: SearchFieldFilter<string>;
}

/** Fields of artifact collection filters (registry searches and a project's collections). */
export interface ArtifactCollectionFieldFilters {
  /** The collection's id. */
  readonly id: SearchFieldFilter<string>;
  /** The collection's id. */
  readonly collection_id: SearchFieldFilter<string>;
  /** The collection's id. */
  readonly artifact_collection_id: SearchFieldFilter<string>;
  /** The collection name. */
  readonly name: SearchFieldFilter<string>;
  /** The collection name (advanced search). */
  readonly collection_name: SearchFieldFilter<string>;
  /** The collection name (advanced search). */
  readonly artifact_collection_name: SearchFieldFilter<string>;
  /** A tag of the collection. */
  readonly tag: SearchFieldFilter<string>;
  /** A tag of the collection (advanced search). */
  readonly tags: SearchFieldFilter<string>;
  /** The description. */
  readonly description: SearchFieldFilter<string>;
  /** When it was created (ISO 8601). */
  readonly created_at: SearchFieldFilter<string>;
  /** When it last changed (ISO 8601). */
  readonly updated_at: SearchFieldFilter<string>;
}

/** Fields of artifact version filters in registry searches; `metadata.<key>` reaches into metadata. */
export interface ArtifactVersionFieldFilters {
  /** The artifact's id. */
  readonly id: SearchFieldFilter<string>;
  /** The artifact's id (advanced search). */
  readonly artifact_id: SearchFieldFilter<string>;
  /** `v3` or 3. */
  readonly version: SearchFieldFilter<string | number>;
  /** The version index (advanced search). */
  readonly version_index: SearchFieldFilter<string | number>;
  /** A tag of the version. */
  readonly tag: SearchFieldFilter<string>;
  /** A tag of the version (advanced search). */
  readonly tags: SearchFieldFilter<string>;
  /** An alias of the version. */
  readonly alias: SearchFieldFilter<string>;
  /** An alias of the version (advanced search). */
  readonly aliases: SearchFieldFilter<string>;
  /** The whole metadata object. */
  readonly metadata: SearchFieldFilter<unknown>;
  /** The whole metadata object (advanced search). */
  readonly artifact_metadata: SearchFieldFilter<unknown>;
  /** A metadata key. */
  readonly [key: `metadata.${string}`]: SearchFieldFilter<unknown>;
  /** A metadata key (advanced search). */
  readonly [key: `artifact_metadata.${string}`]: SearchFieldFilter<unknown>;
  /** When it was created (ISO 8601). */
  readonly created_at: SearchFieldFilter<string>;
  /** When it was created (advanced search). */
  readonly artifact_created_at: SearchFieldFilter<string>;
  /** When it last changed (ISO 8601). */
  readonly updated_at: SearchFieldFilter<string>;
  /** The artifact's size in bytes (advanced search). */
  readonly artifact_size: SearchFieldFilter<number>;
}

/**
 * A registry filter: `{ name: { $in: ['model', 'dataset'] } }`, `{ description: { $regex: 'prod' } }` ….
 * An unknown field or operator is a compile error (and, at runtime, a ValidationError).
 */
export type RegistryFilter = SearchFilter<RegistryFieldFilters>;

/** An artifact collection filter: `{ name: 'mnist-models' }`, `{ $or: [{ tag: 'a' }, { tag: 'b' }] }` …. */
export type ArtifactCollectionFilter = SearchFilter<ArtifactCollectionFieldFilters>;

/** An artifact version filter: `{ alias: 'production' }`, `{ 'metadata.accuracy': { $gt: 0.9 } }` …. */
export type ArtifactVersionFilter = SearchFilter<ArtifactVersionFieldFilters>;

/** The order of registry and registry collection searches: `name`, `created_at` or `updated_at`, signed. */
export type RegistryOrder = `${OrderSign}${'name' | 'created_at' | 'updated_at'}`;

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
