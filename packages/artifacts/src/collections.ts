// Artifact collections: sequences (where a run logs versions) and portfolios (registry or legacy
// model-registry collections that versions are linked into).
import { type CallOptions, NotFoundError, Paginated, ValidationError, type WandbClient, checkPerPage, hasServerFeature, UnsupportedError, endCursorOf } from '@wandb-api/core';
import { isRegistryProject, membershipName, parseArtifactPath } from './artifactPath.js';
import { resolveArtifactPath, existsBy } from './artifact.js';
import { checkName } from './artifactTypes.js';
import {
  AddArtifactCollectionTagsDocument,
  ArtifactCollectionAliasesDocument,
  type ArtifactCollectionFieldsFragment,
  ArtifactTypeArtifactCollectionsDocument,
  DeleteArtifactCollectionTagsDocument,
  DeleteArtifactPortfolioDocument,
  DeleteArtifactSequenceDocument,
  ProjectArtifactCollectionDocument,
  UpdateArtifactPortfolioDocument,
  UpdateArtifactSequenceDocument,
  UpdateArtifactSequenceTypeDocument,
} from './generated/graphql.js';
import { parseArtifactProject, resolveArtifactProject } from './projectPath.js';
import { type ArtifactCollectionFilter, checkOrder } from './registryFilter.js';

/** A collection of artifact versions. */
export interface ArtifactCollection {
  /** The server's global id. */
  readonly id: string;
  /** The collection name (`mnist-dataset`), without the project. */
  readonly name: string;
  /** The default artifact type of its versions. */
  readonly type: string;
  /** Free text; null when none is set. */
  readonly description: string | null;
  /** Tags of the collection (not of its versions). */
  readonly tags: readonly string[];
  /** The entity of the project that holds it (the organization's entity for registries). */
  readonly entity: string;
  /** The project that holds it (`wandb-registry-*` for registry collections). */
  readonly project: string;
  /** The project's global id. */
  readonly projectId: string;
  /** The project's numeric id (base64 of `Project:<n>` on W&B). */
  readonly projectInternalId: string;
  /** `sequence`: versions are logged here; `portfolio`: versions are linked here (registries). */
  readonly kind: 'sequence' | 'portfolio';
  /** Python's `is_sequence()`. */
  readonly isSequence: boolean;
  /** ISO 8601 creation time, as the server reports it. */
  readonly createdAt: string;
  /** ISO 8601 time of the last change; null when the server has none. */
  readonly updatedAt: string | null;
  /** The organization's display name, when listed from a registry search. */
  readonly organization: string | null;
}

/**
 * Decodes a collection node; null when it has no project (Python skips those).
 * @example const coll = toArtifactCollection(data.project.artifactCollection, 'demo-org');
 */
export function toArtifactCollection(node: ArtifactCollectionFieldsFragment, organization: string | null = null): ArtifactCollection | null {
  if (!node.project) return null;
  const isSequence = node.__typename === 'ArtifactSequence';
  return {
    id: node.id,
    name: node.name,
    type: node.type.name,
    description: node.description ?? null,
    tags: (node.tags.edges ?? []).flatMap((e) => (e?.node ? [e.node.name] : [])),
    entity: node.project.entity.name,
    project: node.project.name,
    projectId: node.project.id,
    projectInternalId: node.project.internalId,
    kind: isSequence ? 'sequence' : 'portfolio',
    isSequence,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt ?? null,
    organization,
  };
}

/**
 * One collection by type and path `[[entity/]project/]name` (registry paths as
 * `org/wandb-registry-model/name`).
 * @example const coll = await getArtifactCollection(client, 'model', 'demo/mnist-classifier/mnist-cnn');
 */
export async function getArtifactCollection(client: WandbClient, typeName: string, name: string, options?: CallOptions): Promise<ArtifactCollection> {
  checkName(typeName, 'artifact type');
  const parsed = parseArtifactPath(checkName(name, 'collection path'));
  const hint = parsed.prefix !== undefined && isRegistryProject(parsed.project) ? parsed.prefix : undefined;
  const where = await resolveArtifactPath(client, parsed, hint, options).catch((error: unknown) => {
    if (error instanceof ValidationError && /Could not determine entity/.test(error.message)) {
      throw new ValidationError('Could not determine entity. Please include the entity as part of the collection name path.');
    }
    throw error;
  });
  // As Python: an alias in the path stays part of the collection name.
  const collection = membershipName(where);
  const data = await client.request(ProjectArtifactCollectionDocument, { entity: where.entity, project: where.project, type: typeName, name: collection }, options);
  const node = data.project?.artifactType?.artifactCollection;
  const decoded = node ? toArtifactCollection(node) : null;
  if (!decoded) throw new NotFoundError(`Could not find artifact type '${typeName}'`, { status: 404 });
  return decoded;
}

/**
 * Whether a collection exists (Python's argument order: name, then type).
 * @example await artifactCollectionExists(client, 'demo/mnist-classifier/mnist-cnn', 'model') // true
 */
export function artifactCollectionExists(client: WandbClient, name: string, type: string, options?: CallOptions): Promise<boolean> {
  return existsBy(() => getArtifactCollection(client, type, name, options));
}

/** Options of `listArtifactCollections`. */
export interface ListArtifactCollectionsOptions extends CallOptions {
  /** `+`/`-` then a field (`name`, `createdAt` …); needs the server's ARTIFACT_COLLECTIONS_FILTERING_SORTING. */
  order?: string;
  /** A MongoDB-style filter sent to the server (`name`, `tag`, `description`, `created_at` …); needs the same feature. */
  filters?: ArtifactCollectionFilter;
  /** Default 50. */
  perPage?: number;
}

/**
 * Serialises a filter object before any request.
 * @example filterJson({ name: 'mnist-dataset' }) // '{"name":"mnist-dataset"}'
 */
export function filterJson(filters: unknown): string | undefined {
  if (filters === undefined || filters === null) return undefined;
  if (typeof filters !== 'object' || Array.isArray(filters)) throw new ValidationError('filters must be an object.');
  try {
    return JSON.stringify(filters);
  } catch (error) {
    throw new ValidationError(`filters cannot be serialised: ${(error as Error).message}`);
  }
}

/**
 * The collections of one type in a project (`entity/project` or `project`), 50 per page;
 * `.count()` is the server's total.
 * @example for await (const c of listArtifactCollections(client, 'demo/mnist-classifier', 'dataset')) console.log(c.name);
 */
export function listArtifactCollections(
  client: WandbClient,
  project: string | undefined,
  typeName: string,
  options: ListArtifactCollectionsOptions = {},
): Paginated<ArtifactCollection> {
  checkName(typeName, 'artifact type');
  const perPage = checkPerPage(options.perPage, 50);
  const order = checkOrder(options.order);
  const filters = filterJson(options.filters);
  const parsed = parseArtifactProject(project);
  const load = async (cursor: string | null, signal: AbortSignal | undefined) => {
    const call = { ...options, signal };
    if ((order !== undefined || filters !== undefined) && !(await hasServerFeature(client, 'ARTIFACT_COLLECTIONS_FILTERING_SORTING', call))) {
      throw new UnsupportedError('Filtering and ordering of artifact collections is not supported on this wandb server version. Please upgrade your server version.', {
        missing: ['ARTIFACT_COLLECTIONS_FILTERING_SORTING'],
      });
    }
    const where = await resolveArtifactProject(client, parsed, call);
    const data = await client.request(ArtifactTypeArtifactCollectionsDocument, { ...where, type: typeName, cursor, perPage, filters, order }, call);
    const page = data.project?.artifactType?.artifactCollections;
    if (!page) throw new NotFoundError(`Could not find artifact type '${typeName}' in ${where.entity}/${where.project}.`, { status: 404 });
    return page;
  };
  return new Paginated({
    signal: options.signal,
    idOf: (c) => c.id,
    fetchPage: async (cursor, signal) => {
      const page = await load(cursor, signal);
      return {
        items: page.edges.flatMap((e) => (e?.node ? (toArtifactCollection(e.node) ?? []) : [])),
        cursor: endCursorOf(page),
        hasNextPage: page.pageInfo.hasNextPage,
      };
    },
    count: async (signal) => (await load(null, signal)).totalCount,
  });
}

/**
 * Every alias used in a collection (all pages of 1000).
 * @example await collectionAliases(client, coll) // ['latest', 'best', 'v0', …]
 */
export function collectionAliases(client: WandbClient, collection: Pick<ArtifactCollection, 'id'>, options?: CallOptions): Promise<string[]> {
  return new Paginated<string>({
    signal: options?.signal,
    fetchPage: async (cursor, signal) => {
      const data = await client.request(ArtifactCollectionAliasesDocument, { id: collection.id, cursor, perPage: 1000 }, { ...options, signal });
      const page = data.artifactCollection?.aliases;
      if (!page) throw new NotFoundError(`Could not find artifact collection ${collection.id}.`, { status: 404 });
      return { items: page.edges.flatMap((e) => (e?.node ? [e.node.alias] : [])), cursor: endCursorOf(page), hasNextPage: page.pageInfo.hasNextPage };
    },
  }).toArray();
}

/**
 * Whether a type (with a collection name) is reserved for W&B's own use.
 * @example isReservedType('job', 'job-train') // true
 */
export function isReservedType(type: string, collectionName: string): boolean {
  return (
    type.startsWith('wandb-') ||
    type === 'job' ||
    (type === 'run_table' && collectionName.startsWith('run-')) ||
    (type === 'code' && collectionName.startsWith('source-'))
  );
}

const TAG = /^[-\w]+( +[-\w]+)*$/;

/**
 * Checks tags (letters, digits, `_`, `-`, inner spaces) and drops duplicates, keeping their order.
 * @example checkTags(['clean', 'clean', 'mnist v2']) // ['clean', 'mnist v2']
 */
export function checkTags(tags: readonly string[]): string[] {
  if (!Array.isArray(tags)) throw new ValidationError('tags must be an array of strings.');
  const unique = [...new Set(tags)];
  const bad = unique.filter((t) => typeof t !== 'string' || !TAG.test(t));
  if (bad.length > 0) {
    throw new ValidationError(`Invalid tag(s). Tags must only contain alphanumeric characters separated by hyphens, underscores, and/or spaces. Got: ${JSON.stringify(bad)}`);
  }
  return unique;
}

/** What `saveArtifactCollection` can change. */
export interface ArtifactCollectionChanges {
  /** At most 128 characters, no '/'. */
  name?: string;
  /** The new description; null clears it. */
  description?: string | null;
  /** A new type; sequences only. */
  type?: string;
  /** The whole new tag list (the difference is sent). */
  tags?: readonly string[];
}

/** Tag lists go in chunks: the mutation input takes at most 20 tags. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Saves changes to a collection: name and description, then (sequences) the type, then the tag
 * difference. Reserved types are refused before any request. Returns the collection as saved.
 * @example const saved = await saveArtifactCollection(client, coll, { description: 'MNIST digits', tags: ['clean'] });
 */
export async function saveArtifactCollection(
  client: WandbClient,
  collection: ArtifactCollection,
  changes: ArtifactCollectionChanges,
  options?: CallOptions,
): Promise<ArtifactCollection> {
  const name = changes.name ?? collection.name;
  if (typeof name !== 'string' || !name || name.length > 128 || name.includes('/')) {
    throw new ValidationError(`Invalid collection name '${String(name)}': 1 to 128 characters, no '/'.`);
  }
  const typeChanged = changes.type !== undefined && changes.type !== collection.type;
  if (typeChanged) {
    checkName(changes.type, 'artifact type');
    if (!collection.isSequence) throw new ValidationError('Type can only be changed if the artifact collection is a sequence.');
    if (isReservedType(changes.type!, name)) {
      throw new ValidationError(`Failed to save artifact collection '${collection.name}': Artifact type '${changes.type}' is reserved for internal use. Please use a different type.`);
    }
    if (isReservedType(collection.type, collection.name)) {
      throw new ValidationError(`Failed to save artifact collection '${collection.name}': The current type '${collection.type}' is an internal type and cannot be changed.`);
    }
  }
  const tags = changes.tags === undefined ? collection.tags : checkTags(changes.tags);
  const description = changes.description === undefined ? collection.description : changes.description;

  // Null inputs are left out, as Python: a description cannot be cleared to null.
  const base = { name, ...(description == null ? {} : { description }) };
  const updated = collection.isSequence
    ? (await client.request(UpdateArtifactSequenceDocument, { input: { artifactSequenceID: collection.id, ...base } }, options)).result?.artifactCollection
    : (await client.request(UpdateArtifactPortfolioDocument, { input: { artifactPortfolioID: collection.id, ...base } }, options)).result?.artifactCollection;
  let saved = (updated && toArtifactCollection(updated, collection.organization)) || { ...collection, name, description: description ?? collection.description };
  if (typeChanged) {
    const moved = await client.request(
      UpdateArtifactSequenceTypeDocument,
      { input: { artifactSequenceID: collection.id, destinationArtifactTypeName: changes.type! } },
      options,
    );
    const node = moved.result?.artifactCollection;
    saved = (node && toArtifactCollection(node, collection.organization)) || { ...saved, type: changes.type! };
  }
  const where = { entityName: collection.entity, projectName: collection.project, artifactCollectionName: name };
  const added = tags.filter((t) => !collection.tags.includes(t));
  const removed = collection.tags.filter((t) => !tags.includes(t));
  for (const part of chunks(added, 20)) {
    await client.request(AddArtifactCollectionTagsDocument, { input: { ...where, tags: part.map((tagName) => ({ tagName })) } }, options);
  }
  for (const part of chunks(removed, 20)) {
    await client.request(DeleteArtifactCollectionTagsDocument, { input: { ...where, tags: part.map((tagName) => ({ tagName })) } }, options);
  }
  return { ...saved, tags };
}

/**
 * Changes a sequence's type (Python's deprecated `change_type`; prefer `saveArtifactCollection`).
 * @example await changeCollectionType(client, coll, 'processed-dataset');
 */
export function changeCollectionType(client: WandbClient, collection: ArtifactCollection, type: string, options?: CallOptions): Promise<ArtifactCollection> {
  return saveArtifactCollection(client, collection, { type }, options);
}

/**
 * Deletes a collection with all its versions (a sequence) or links (a portfolio).
 * @example await deleteArtifactCollection(client, coll);
 */
export async function deleteArtifactCollection(client: WandbClient, collection: Pick<ArtifactCollection, 'id' | 'isSequence'>, options?: CallOptions): Promise<void> {
  if (collection.isSequence) await client.request(DeleteArtifactSequenceDocument, { id: collection.id }, options);
  else await client.request(DeleteArtifactPortfolioDocument, { id: collection.id }, options);
}
