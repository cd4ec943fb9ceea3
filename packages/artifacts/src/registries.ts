// Registries: `wandb-registry-<name>` projects of an organization's entity, holding portfolio
// collections that versions are linked into. Searches (registries → collections → versions)
// take MongoDB-style filters checked and rewritten by registryFilter.ts.
import {
  type CallOptions,
  NotFoundError,
  Paginated,
  type PaginatedOptions,
  UnsupportedError,
  ValidationError,
  WandbError,
  type WandbClient,
  hasServerFeature,
  isSchemaError,
  checkSupport,
  checkPerPage,
  endCursorOf,
} from '@wandb-api/core';
import { type Artifact, fromMembership } from './artifact.js';
import { REGISTRY_PREFIX } from './artifactPath.js';
import { type ArtifactCollection, toArtifactCollection } from './collections.js';
import {
  DeleteRegistryDocument,
  FetchAdvancedRegistryFeaturesDocument,
  FetchRegistriesDocument,
  FetchRegistryDocument,
  type RegistryFieldsFragment,
  RegistryCollectionsDocument,
  RegistryVersionsDocument,
  RenameRegistryDocument,
  UpsertRegistryDocument,
} from './generated/graphql.js';
import { getOrganization, resolveOrganization } from './org.js';
import {
  type ArtifactCollectionFilter,
  type ArtifactVersionFilter,
  type RegistryFilter,
  type RegistryFilterInput,
  type RegistryOrder,
  type SearchDialect,
  checkEitherDialect,
  checkOrder,
  collectionFilter,
  registryFilter,
  versionFilter,
} from './registryFilter.js';

/** Who can see a registry: everyone in the organization, or only its members. */
export type RegistryVisibility = 'organization' | 'restricted';

/** A registry of an organization. */
export interface Registry {
  /** The server's global id of the registry's project. */
  readonly id: string;
  /** Base64 of `Project:<n>` (W&B) — the registry's project id. */
  readonly internalId: string;
  /** Without the `wandb-registry-` prefix. */
  readonly name: string;
  /** `wandb-registry-<name>`: the project that holds it. */
  readonly fullName: string;
  /** The organization's entity. */
  readonly entity: string;
  /** The organization's display name. */
  readonly organization: string;
  /** Free text; null when none is set. */
  readonly description: string | null;
  /** Whether any artifact type may be linked; else only `artifactTypes`. */
  readonly allowAllArtifactTypes: boolean;
  /** The artifact types that may be linked (add-only once saved). */
  readonly artifactTypes: readonly string[];
  /** Who can see it. */
  readonly visibility: RegistryVisibility;
  /** ISO 8601 creation time, as the server reports it. */
  readonly createdAt: string;
  /** ISO 8601 time of the last change; null when the server has none. */
  readonly updatedAt: string | null;
  /** `[entity, fullName]`. */
  readonly path: readonly [entity: string, fullName: string];
}

/** Server access values ↔ visibility; unknown or missing access reads as `organization` (as Python). */
const visibilityOf = (access: string | null | undefined): RegistryVisibility => (access === 'RESTRICTED' ? 'restricted' : 'organization');

function accessOf(visibility: unknown): 'PRIVATE' | 'RESTRICTED' {
  if (visibility === 'organization' || visibility === 'PRIVATE') return 'PRIVATE';
  if (visibility === 'restricted' || visibility === 'RESTRICTED') return 'RESTRICTED';
  throw new ValidationError(`Invalid visibility '${String(visibility)}'. Expected one of: 'organization', 'restricted'`);
}

function toRegistry(node: RegistryFieldsFragment, organization?: string): Registry {
  const org = node.entity.organization?.name ?? organization;
  if (!org) throw new WandbError(`Unable to parse registry organization from response for registry '${node.name}'.`);
  return {
    id: node.id,
    internalId: node.internalId,
    name: node.name.startsWith(REGISTRY_PREFIX) ? node.name.slice(REGISTRY_PREFIX.length) : node.name,
    fullName: node.name,
    entity: node.entity.name,
    organization: org,
    description: node.description ?? null,
    allowAllArtifactTypes: node.allowAllArtifactTypes,
    artifactTypes: node.artifactTypes.edges.flatMap((e) => (e?.node ? [e.node.name] : [])),
    visibility: visibilityOf(node.access),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt ?? null,
    path: [node.entity.name, node.name],
  };
}

async function requireFeature(client: WandbClient, feature: string, what: string, options?: CallOptions): Promise<void> {
  if (!(await hasServerFeature(client, feature, options))) {
    throw new UnsupportedError(`${what} is not enabled on this wandb server version. Please upgrade your server version or contact support at support@wandb.com.`, { missing: [feature] });
  }
}

/** A registry name without the prefix (a prefixed one is accepted too), checked as W&B project names are. */
function registryName(name: unknown): string {
  if (typeof name !== 'string') throw new ValidationError(`Invalid registry name '${String(name)}'.`);
  const bare = name.startsWith(REGISTRY_PREFIX) ? name.slice(REGISTRY_PREFIX.length) : name;
  if (!bare) throw new ValidationError('Registry name must not be empty.');
  if (REGISTRY_PREFIX.length + bare.length > 128) throw new ValidationError(`Invalid registry name '${bare}': at most ${128 - REGISTRY_PREFIX.length} characters.`);
  if (/[/\\#?%:\r\n]/.test(bare)) throw new ValidationError(`Invalid registry name '${bare}': it must not contain / \\ # ? % : or line breaks.`);
  return bare;
}

function checkArtifactTypes(types: unknown): string[] {
  if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !t || t.length > 128 || /[/:]/.test(t))) {
    throw new ValidationError('artifactTypes must be names of at most 128 characters without / or :.');
  }
  return [...new Set(types as string[])];
}

/** Paging options for one list made of the children of each parent, in parent order (ordered registry searches). */
function chained<P, T>(parents: Paginated<P>, child: (parent: P) => Paginated<T>, signal?: AbortSignal): PaginatedOptions<T> {
  return {
    signal,
    // A fresh walk of the parents each time; stopping it stops the child's and the parents' paging.
    async *pages(_, limit) {
      for await (const parent of parents) yield* child(parent).walk(limit);
    },
  };
}

/**
 * A filter that picks one registry: by numeric id (decoded from `internalId`), else by full name.
 * @example registryFilterFor({ fullName: 'wandb-registry-model' }) // { name: 'wandb-registry-model' }
 */
export function registryFilterFor(of: { internalId?: string; projectInternalId?: string; fullName?: string; project?: string }): Record<string, unknown> {
  const encoded = of.internalId ?? of.projectInternalId;
  if (encoded) {
    try {
      const match = /^(?:Project|ProjectInternalId):(\d+)$/.exec(atob(encoded));
      if (match) return { id: Number(match[1]) };
    } catch {
      // not base64: fall back to the name
    }
  }
  return { name: of.fullName ?? of.project };
}

/** Options of registry searches (collections, versions). */
export interface RegistrySearchOptions extends CallOptions {
  /** Default 100. */
  perPage?: number;
}

/** Options of `listRegistries`. */
export interface ListRegistriesOptions extends RegistrySearchOptions {
  /** Default: the client's organization, else the only organization of the client's entity. */
  organization?: string;
  /** Fields `id name entity_id description created_at updated_at`; `name` without the prefix. */
  filter?: RegistryFilter;
  /** `name`, `created_at` or `updated_at`, with `+`/`-`. Chained searches then run per registry, in this order. */
  order?: RegistryOrder;
}

/**
 * Registries found by a search, chainable to their collections and versions (made by `listRegistries`).
 * @example const models = await listRegistries(client, { filter: { name: 'model' } }).toArray();
 */
export class Registries extends Paginated<Registry> {
  constructor(
    private readonly client: WandbClient,
    private readonly organization: () => Promise<string>,
    private readonly filter: Record<string, unknown> | undefined,
    private readonly order: string | undefined,
    options: PaginatedOptions<Registry>,
    private readonly signal?: AbortSignal,
  ) {
    super(options);
  }

  /**
   * The portfolio collections of these registries (`filter` fields: `id`, `name`, `tag`,
   * `description`, `created_at`, `updated_at`).
   * @example for await (const c of listRegistries(client).collections({ name: 'mnist-models' })) console.log(c.name);
   */
  collections(filter?: ArtifactCollectionFilter, options: RegistrySearchOptions & { order?: RegistryOrder } = {}): RegistryCollections {
    const collFilter = collectionFilter(filter);
    const order = checkOrder(options.order, ['name', 'created_at', 'updated_at']);
    const perPage = checkPerPage(options.perPage, 100);
    if (this.order !== undefined) {
      const paging = chained(this, (reg) => searchCollections(this.client, this.organization, registryFilterFor(reg), collFilter, order, perPage, options), this.signal);
      // Their versions, too, are asked per collection in this order.
      return new RegistryCollections(this.client, this.organization, this.filter, collFilter, order ?? this.order, paging, this.signal);
    }
    return searchCollections(this.client, this.organization, this.filter, collFilter, order, perPage, options);
  }

  /**
   * The versions linked into these registries (`filter` fields: `id version tag alias metadata
   * created_at updated_at`).
   * @example const prod = await listRegistries(client).versions({ alias: 'production' }).toArray();
   */
  versions(filter?: ArtifactVersionFilter, options: RegistrySearchOptions = {}): Paginated<Artifact> {
    checkEitherDialect((d) => versionFilter(filter, d));
    const artFilter = filter;
    const perPage = checkPerPage(options.perPage, 100);
    if (this.order !== undefined) {
      return new Paginated(chained(this, (reg) => searchVersions(this.client, this.organization, registryFilterFor(reg), undefined, artFilter, perPage, options), this.signal));
    }
    return searchVersions(this.client, this.organization, this.filter, undefined, artFilter, perPage, options);
  }
}

/**
 * Registry collections found by a search, chainable to their versions (made by `collections()`).
 * @example const colls = await registryCollections(client, reg, { name: 'mnist-models' }).toArray();
 */
export class RegistryCollections extends Paginated<ArtifactCollection> {
  constructor(
    private readonly client: WandbClient,
    private readonly organization: () => Promise<string>,
    private readonly registries: Record<string, unknown> | undefined,
    private readonly filter: Record<string, unknown> | undefined,
    private readonly order: string | undefined,
    options: PaginatedOptions<ArtifactCollection>,
    private readonly signal?: AbortSignal,
  ) {
    super(options);
  }

  /**
   * The versions of these collections.
   * @example const versions = await listRegistries(client).collections({ name: 'mnist-models' }).versions().toArray();
   */
  versions(filter?: ArtifactVersionFilter, options: RegistrySearchOptions = {}): Paginated<Artifact> {
    checkEitherDialect((d) => versionFilter(filter, d));
    const artFilter = filter;
    const perPage = checkPerPage(options.perPage, 100);
    if (this.order !== undefined) {
      return new Paginated(
        chained(
          this,
          (coll) => searchVersions(this.client, this.organization, registryFilterFor(coll), { name: coll.name }, artFilter, perPage, options),
          this.signal,
        ),
      );
    }
    return searchVersions(this.client, this.organization, this.registries, this.filter, artFilter, perPage, options);
  }
}

const json = (value: Record<string, unknown> | undefined) => (value === undefined ? undefined : JSON.stringify(value));

/** A connection of the organization's entity in an answer; NotFoundError when there is no such organization. */
function orgConnection<E extends object, K extends keyof E>(data: { organization?: { orgEntity?: E | null } | null }, org: string, key: K): NonNullable<E[K]> {
  const entity = data.organization?.orgEntity;
  if (!entity) throw new NotFoundError(`Organization '${org}' not found. Please verify the organization name is correct.`, { status: 404 });
  const page = entity[key];
  if (!page) throw new WandbError('Unexpected response data');
  return page;
}

/** A connection as a page: its items (`item` gives none, one or more per node) and where it goes on. */
function pageOf<N, T>(
  page: { edges: readonly ({ node?: N | null; cursor?: string | null } | null)[]; pageInfo: { endCursor?: string | null; hasNextPage: boolean } },
  item: (node: N) => T | readonly T[],
): { items: T[]; cursor: string | null; hasNextPage: boolean } {
  return { items: page.edges.flatMap((e) => (e?.node ? item(e.node) : [])), cursor: endCursorOf(page), hasNextPage: page.pageInfo.hasNextPage };
}

async function gated(client: WandbClient, organization: () => Promise<string>, call: CallOptions): Promise<string> {
  await requireFeature(client, 'ARTIFACT_REGISTRY_SEARCH', 'Registry search API', call);
  return organization();
}

function searchCollections(
  client: WandbClient,
  organization: () => Promise<string>,
  registries: Record<string, unknown> | undefined,
  filter: Record<string, unknown> | undefined,
  order: string | undefined,
  perPage: number,
  options: CallOptions,
): RegistryCollections {
  const load = async (cursor: string | null, signal: AbortSignal | undefined) => {
    const call = { ...options, signal };
    const org = await gated(client, organization, call);
    const data = await client.request(
      RegistryCollectionsDocument,
      { organization: org, registryFilter: json(registries), collectionFilter: json(filter), cursor, perPage, order },
      call,
    );
    return { org, page: orgConnection(data, org, 'artifactCollections') };
  };
  return new RegistryCollections(client, organization, registries, filter, order, {
    signal: options.signal,
    idOf: (c) => c.id,
    fetchPage: async (cursor, signal) => {
      const { org, page } = await load(cursor, signal);
      // Registry searches list portfolios only; sequences and project-less nodes are skipped.
      return pageOf(page, (node) => (node.__typename !== 'ArtifactSequence' ? (toArtifactCollection(node, org) ?? []) : []));
    },
    count: async (signal) => (await load(null, signal)).page.totalCount,
  }, options.signal);
}

/**
 * Python's choice of version-search dialect: advanced when the server has
 * ARTIFACT_COLLECTIONS_FILTERING_SORTING and the organization has `advancedSearch`; basic also
 * when the server does not know `advancedRegistryFeatures` (older servers). Asked once per
 * organization and client; any other failure is thrown and asked again next time.
 */
async function searchDialect(client: WandbClient, organization: string, options: CallOptions): Promise<SearchDialect> {
  if (!(await hasServerFeature(client, 'ARTIFACT_COLLECTIONS_FILTERING_SORTING', options))) return 'basic';
  return client.memo(
    `searchDialect:${organization}`,
    async (signal) => {
      try {
        const data = await client.request(FetchAdvancedRegistryFeaturesDocument, { organization }, { signal });
        return data.organization?.advancedRegistryFeatures?.advancedSearch ? 'advanced' : 'basic';
      } catch (error) {
        if (isSchemaError(error)) return 'basic';
        throw error;
      }
    },
    options,
  );
}

function searchVersions(
  client: WandbClient,
  organization: () => Promise<string>,
  registries: RegistryFilterInput | undefined,
  collections: RegistryFilterInput | undefined,
  filter: RegistryFilterInput | undefined,
  perPage: number,
  options: CallOptions,
): Paginated<Artifact> {
  // The dialect is known only after a probe; fields neither dialect knows are refused now.
  checkEitherDialect((d) => registryFilter(registries, d));
  checkEitherDialect((d) => collectionFilter(collections, d));
  checkEitherDialect((d) => versionFilter(filter, d));
  return new Paginated<Artifact>({
    signal: options.signal,
    idOf: (a) => `${a.id}@${a.entity}/${a.project}/${a.collectionName}`,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const org = await gated(client, organization, call);
      // Every filter, the parents' too, is checked again in the chosen dialect, as Python's Versions does.
      const dialect = await searchDialect(client, org, call);
      const data = await client.request(
        RegistryVersionsDocument,
        {
          organization: org,
          registryFilter: json(registryFilter(registries, dialect)),
          collectionFilter: json(collectionFilter(collections, dialect)),
          artifactFilter: json(versionFilter(filter, dialect)),
          cursor,
          perPage,
        },
        call,
      );
      return pageOf(orgConnection(data, org, 'artifactMemberships'), (m) =>
        !m.artifactCollection?.project || !m.artifact || m.versionIndex == null ? [] : [fromMembership(client, m, `${m.artifactCollection.name}:v${m.versionIndex}`)],
      );
    },
  });
}

/**
 * The registries of an organization, 100 per page, filtered on the server. No count.
 * Needs the server feature ARTIFACT_REGISTRY_SEARCH (else UnsupportedError).
 * @example
 * const regs = listRegistries(client, { filter: { name: { $regex: 'model' } } });
 * for await (const v of regs.versions({ alias: 'production' })) console.log(v.qualifiedName);
 */
export function listRegistries(client: WandbClient, options: ListRegistriesOptions = {}): Registries {
  const filter = registryFilter(options.filter);
  const order = checkOrder(options.order, ['name', 'created_at', 'updated_at']);
  const perPage = checkPerPage(options.perPage, 100);
  if (options.organization !== undefined && (typeof options.organization !== 'string' || !options.organization.trim())) {
    throw new ValidationError(`Invalid organization '${String(options.organization)}'.`);
  }
  // Resolved once, on first use (a failed lookup is asked again).
  let org: Promise<string> | undefined;
  const organization = (): Promise<string> => {
    org ??= resolveOrganization(client, options.organization, options);
    org.catch(() => (org = undefined));
    return org;
  };
  return new Registries(client, organization, filter, order, {
    signal: options.signal,
    idOf: (r) => r.id,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const name = await gated(client, organization, call);
      const data = await client.request(FetchRegistriesDocument, { organization: name, filters: json(filter), cursor, perPage, order }, call);
      return pageOf(orgConnection(data, name, 'projects'), (node) => [toRegistry(node, name)]);
    },
  }, options.signal);
}

/**
 * One registry by name (without `wandb-registry-`). Needs ARTIFACT_REGISTRY_SEARCH.
 * @example const reg = await getRegistry(client, 'model'); console.log(reg.fullName, reg.visibility);
 */
export async function getRegistry(client: WandbClient, name: string, options: CallOptions & { organization?: string } = {}): Promise<Registry> {
  const bare = registryName(name);
  await requireFeature(client, 'ARTIFACT_REGISTRY_SEARCH', 'api.registry()', options);
  const organization = await resolveOrganization(client, options.organization, options);
  const org = await getOrganization(client, organization, options);
  if (!org.entityName) throw new NotFoundError(`Organization '${organization}' has no entity.`, { status: 404 });
  const data = await client.request(FetchRegistryDocument, { entity: org.entityName, name: REGISTRY_PREFIX + bare }, options);
  const node = data.entity?.project;
  if (!node) throw new NotFoundError(`Failed to load registry '${bare}' in organization '${organization}'.`, { status: 404 });
  return toRegistry(node, organization);
}

/** What `createRegistry` needs: a name and visibility, optionally the allowed types. */
export interface CreateRegistryInput {
  /** Without the `wandb-registry-` prefix. */
  name: string;
  /** Who can see it. */
  visibility: RegistryVisibility;
  /** The organization's display name; default as for `listRegistries`. */
  organization?: string;
  /** Free text shown on the registry page. */
  description?: string;
  /** Allowed artifact types; none means every type is allowed. */
  artifactTypes?: readonly string[];
}

/**
 * Creates a registry (a ValidationError if one of that name exists). Needs the server feature
 * INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION.
 * @example const reg = await createRegistry(client, { name: 'eval', visibility: 'organization', artifactTypes: ['dataset'] });
 */
export async function createRegistry(client: WandbClient, input: CreateRegistryInput, options?: CallOptions): Promise<Registry> {
  const name = registryName(input?.name);
  const access = accessOf(input.visibility);
  const types = input.artifactTypes === undefined ? [] : checkArtifactTypes(input.artifactTypes);
  await requireFeature(client, 'INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION', 'create_registry api', options);
  const organization = await resolveOrganization(client, input.organization, options);
  const exists = await getRegistry(client, name, { ...options, organization }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof NotFoundError) return false;
      throw error;
    },
  );
  if (exists) throw new ValidationError(`Registry '${name}' already exists in organization '${organization}', please use a different name.`);
  const org = await getOrganization(client, organization, options);
  const data = await client.request(
    UpsertRegistryDocument,
    {
      input: {
        entityName: org.entityName,
        name: REGISTRY_PREFIX + name,
        access,
        allowAllArtifactTypesInRegistry: types.length === 0,
        ...(input.description == null ? {} : { description: input.description }),
        ...(types.length > 0 ? { artifactTypes: types.map((t) => ({ name: t })) } : {}),
      },
    },
    options,
  );
  const result = data.upsertModel;
  if (!result?.inserted || !result.project) throw new WandbError(`Failed to create registry '${name}' in organization '${organization}'.`);
  return toRegistry(result.project, organization);
}

/** What `saveRegistry` can change. */
export interface RegistryChanges {
  /** A new name (without the prefix): the registry is renamed. */
  name?: string;
  /** The new description; null clears it. */
  description?: string | null;
  /** Whether any artifact type may be linked (else only `artifactTypes`). */
  allowAllArtifactTypes?: boolean;
  /** The whole new type list; types are add-only, so every saved type must stay. */
  artifactTypes?: readonly string[];
  /** Who can see it from now on. */
  visibility?: RegistryVisibility;
}

/**
 * Saves changes to a registry: an upsert under its current name, then a rename if the name
 * changed. Needs INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION.
 * @example const saved = await saveRegistry(client, reg, { description: 'Production models', artifactTypes: [...reg.artifactTypes, 'model'] });
 */
export async function saveRegistry(client: WandbClient, registry: Registry, changes: RegistryChanges, options?: CallOptions): Promise<Registry> {
  if (!registry?.id) throw new ValidationError('registry must be a Registry (from getRegistry or listRegistries).');
  const name = changes.name === undefined ? registry.name : registryName(changes.name);
  const access = accessOf(changes.visibility ?? registry.visibility);
  const allowAll = changes.allowAllArtifactTypes ?? registry.allowAllArtifactTypes;
  const types = changes.artifactTypes === undefined ? [...registry.artifactTypes] : checkArtifactTypes(changes.artifactTypes);
  const dropped = registry.artifactTypes.filter((t) => !types.includes(t));
  if (dropped.length > 0) throw new ValidationError(`Cannot remove artifact type: '${dropped[0]}' that has been saved to the registry`);
  const draft = types.filter((t) => !registry.artifactTypes.includes(t));
  if (draft.length > 0 && allowAll) {
    throw new ValidationError('Cannot update artifact types when `allows_all_artifact_types` is true. Set it to false first.');
  }
  await requireFeature(client, 'INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION', 'Saving the registry', options);
  const description = changes.description === undefined ? registry.description : changes.description;
  const failed = `Failed to save registry '${registry.name}' in organization '${registry.organization}'`;
  const data = await client.request(
    UpsertRegistryDocument,
    {
      input: {
        entityName: registry.entity,
        name: registry.fullName,
        access,
        allowAllArtifactTypesInRegistry: allowAll,
        ...(description == null ? {} : { description }),
        ...(draft.length > 0 ? { artifactTypes: draft.map((t) => ({ name: t })) } : {}),
      },
    },
    options,
  );
  if (!data.upsertModel?.project) throw new WandbError(failed);
  if (data.upsertModel.inserted) client.config.logger.warn(`Created registry '${registry.name}' in organization '${registry.organization}' on save`);
  let saved = toRegistry(data.upsertModel.project, registry.organization);
  if (REGISTRY_PREFIX + name !== registry.fullName) {
    const renamed = await client.request(
      RenameRegistryDocument,
      { input: { entityName: registry.entity, oldProjectName: registry.fullName, newProjectName: REGISTRY_PREFIX + name } },
      options,
    );
    if (!renamed.renameProject?.project) throw new WandbError(failed);
    saved = toRegistry(renamed.renameProject.project, registry.organization);
  }
  return saved;
}

/**
 * Deletes a registry with its collections.
 * @example await deleteRegistry(client, reg);
 */
export async function deleteRegistry(client: WandbClient, registry: Pick<Registry, 'id' | 'name' | 'organization'>, options?: CallOptions): Promise<void> {
  if (!registry?.id) throw new ValidationError('registry must be a Registry (from getRegistry or listRegistries).');
  // Deleting the project is a request every server takes: a server without registries is told apart first.
  await checkSupport(client, 'deleteRegistry', FetchRegistryDocument, options);
  const data = await client.request(DeleteRegistryDocument, { id: registry.id }, options);
  if (!data.deleteModel?.success) throw new WandbError(`Failed to delete registry '${registry.name}' in organization '${registry.organization}'`);
}

/**
 * The portfolio collections of one registry (Python's `registry.collections(filter)`), 100 per page.
 * @example for await (const c of registryCollections(client, reg, { name: 'mnist-models' })) console.log(c.name);
 */
export function registryCollections(
  client: WandbClient,
  registry: Pick<Registry, 'internalId' | 'fullName' | 'organization'>,
  filter?: ArtifactCollectionFilter,
  options: RegistrySearchOptions & { order?: RegistryOrder } = {},
): RegistryCollections {
  const order = checkOrder(options.order, ['name', 'created_at', 'updated_at']);
  const perPage = checkPerPage(options.perPage, 100);
  const organization = () => Promise.resolve(registry.organization);
  return searchCollections(client, organization, registryFilter(registryFilterFor(registry)), collectionFilter(filter), order, perPage, options);
}

/**
 * The versions linked into one registry (Python's `registry.versions(filter)`), 100 per page.
 * @example const prod = await registryVersions(client, reg, { alias: 'production' }).toArray();
 */
export function registryVersions(
  client: WandbClient,
  registry: Pick<Registry, 'internalId' | 'fullName' | 'organization'>,
  filter?: ArtifactVersionFilter,
  options: RegistrySearchOptions = {},
): Paginated<Artifact> {
  const perPage = checkPerPage(options.perPage, 100);
  const organization = () => Promise.resolve(registry.organization);
  return searchVersions(client, organization, registryFilterFor(registry), undefined, filter, perPage, options);
}
