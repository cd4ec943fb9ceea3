// Python-shaped registries: the decoded fields of @wandb-api/artifacts plus methods that delegate
// to its functions (loaded on first use, ./artifactsModule.ts). No behaviour lives here.
import { type CallOptions, type Paginated, type WandbClient, deferPaginated } from '@wandb-api/core';
import type {
  RegistryChanges,
  Registry as RegistryData,
  ArtifactCollectionFilter,
  ArtifactVersionFilter,
  RegistryOrder,
  RegistrySearchOptions,
  Registries as RegistriesData,
  RegistryCollections as RegistryCollectionsData,
  RegistryMember,
  RegistryMemberRef,
  RegistryRole,
  RegistryTeamMember,
  RegistryUserMember,
} from '@wandb-api/artifacts';
import { Artifact } from './artifact.js';
import { ArtifactCollection } from './artifactCollection.js';
import { type ArtifactsModule, loadArtifacts } from './artifactsModule.js';

/**
 * A registry, as `api.registry(name)` returns it.
 * @example const reg = await api.registry('model', 'demo-org'); const prod = await reg.versions({ alias: 'production' }).toArray();
 */
export class Registry {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: RegistryData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** Its portfolio collections, 100 per page (`filter`: `id name tag description created_at updated_at`), chainable to `.versions(filter)`. */
  collections(filter?: ArtifactCollectionFilter, options?: RegistrySearchOptions & { order?: RegistryOrder }): CollectionList {
    return collectionList(this.#client, (m) => m.registryCollections(this.#client, this, filter, options));
  }

  /** The versions linked into it, 100 per page (`filter`: `id version tag alias metadata created_at updated_at`). */
  versions(filter?: ArtifactVersionFilter, options?: RegistrySearchOptions): Paginated<Artifact> {
    return deferPaginated(loadArtifacts, (m) => m.registryVersions(this.#client, this, filter, options).map((data) => new Artifact(this.#client, data)));
  }

  /** Reloads it from the server. */
  async load(options?: CallOptions): Promise<this> {
    return Object.assign(this, await (await loadArtifacts()).getRegistry(this.#client, this.name, { ...options, organization: this.organization }));
  }

  /**
   * Saves changes and refreshes this object: `{ name, description, allowAllArtifactTypes, artifactTypes, visibility }`.
   * @example await reg.save({ description: 'Production models' });
   */
  async save(changes: RegistryChanges = {}, options?: CallOptions): Promise<this> {
    return Object.assign(this, await (await loadArtifacts()).saveRegistry(this.#client, this, changes, options));
  }

  /** Its users, then its teams, with their roles. */
  async members(options?: CallOptions): Promise<RegistryMember[]> {
    return (await loadArtifacts()).listRegistryMembers(this.#client, this, options);
  }

  /** Its user members with their roles. */
  async userMembers(options?: CallOptions): Promise<RegistryUserMember[]> {
    return (await this.members(options)).filter((m): m is RegistryUserMember => m.kind === 'user');
  }

  /** Its team members with their roles. */
  async teamMembers(options?: CallOptions): Promise<RegistryTeamMember[]> {
    return (await this.members(options)).filter((m): m is RegistryTeamMember => m.kind === 'team');
  }

  /**
   * Adds users or teams (members, objects with a global `id`, or their ids); returns this registry.
   * @example await reg.addMembers(await api.user('bob'), 'RW50aXR5OjM=');
   */
  async addMembers(...members: RegistryMemberRef[]): Promise<this> {
    await (await loadArtifacts()).addRegistryMembers(this.#client, this, members);
    return this;
  }

  /** Removes users or teams; returns this registry. */
  async removeMembers(...members: RegistryMemberRef[]): Promise<this> {
    await (await loadArtifacts()).removeRegistryMembers(this.#client, this, members);
    return this;
  }

  /**
   * Changes the role of a user or team (`admin`, `member`, `viewer`, `restricted_viewer`); returns this registry.
   * @example for (const m of await reg.userMembers()) await reg.updateMember(m, 'admin');
   */
  async updateMember(member: RegistryMemberRef, role: RegistryRole, options?: CallOptions): Promise<this> {
    await (await loadArtifacts()).updateRegistryMember(this.#client, this, member, role, options);
    return this;
  }

  /** Deletes the registry. */
  async delete(options?: CallOptions): Promise<void> {
    return (await loadArtifacts()).deleteRegistry(this.#client, this, options);
  }

  /** The plain decoded fields (what `JSON.stringify` writes). */
  toJSON(): RegistryData {
    return { ...this } as RegistryData;
  }
}
export interface Registry extends RegistryData {}

/** Registry collections of a search, chainable as Python's: `.versions(filter)`. */
export type CollectionList = Paginated<ArtifactCollection> & {
  /** The versions linked into these collections (`filter`: `id version tag alias metadata created_at updated_at`). */
  versions(filter?: ArtifactVersionFilter, options?: RegistrySearchOptions): Paginated<Artifact>;
};

/**
 * Wraps a collection search (`search` builds it on first use, once @wandb-api/artifacts has loaded)
 * and its chained version search in the facade classes.
 */
function collectionList(client: WandbClient, search: (module: ArtifactsModule) => RegistryCollectionsData): CollectionList {
  return Object.assign(
    deferPaginated(loadArtifacts, (m) => search(m).map((data) => new ArtifactCollection(client, data))),
    {
      versions: (filter?: ArtifactVersionFilter, options?: RegistrySearchOptions) =>
        deferPaginated(loadArtifacts, (m) => search(m).versions(filter, options).map((data) => new Artifact(client, data))),
    },
  );
}

/** Registries of a search, chainable as Python's: `.collections(filter)`, `.versions(filter)`. */
export type RegistryList = Paginated<Registry> & {
  /** The portfolio collections of these registries (`filter`: `id name tag description created_at updated_at`). */
  collections(filter?: ArtifactCollectionFilter, options?: RegistrySearchOptions & { order?: RegistryOrder }): CollectionList;
  /** The versions linked into these registries (`filter`: `id version tag alias metadata created_at updated_at`). */
  versions(filter?: ArtifactVersionFilter, options?: RegistrySearchOptions): Paginated<Artifact>;
};

/**
 * Wraps a registry search (`search` builds it on first use, once @wandb-api/artifacts has loaded)
 * and its chained searches in the facade classes.
 * @example const regs = registryList(client, (m) => m.listRegistries(client, { organization: 'demo-org' }));
 */
export function registryList(client: WandbClient, search: (module: ArtifactsModule) => RegistriesData): RegistryList {
  return Object.assign(
    deferPaginated(loadArtifacts, (m) => search(m).map((data) => new Registry(client, data))),
    {
      collections: (filter?: ArtifactCollectionFilter, options?: RegistrySearchOptions & { order?: RegistryOrder }) =>
        collectionList(client, (m) => search(m).collections(filter, options)),
      versions: (filter?: ArtifactVersionFilter, options?: RegistrySearchOptions) =>
        deferPaginated(loadArtifacts, (m) => search(m).versions(filter, options).map((data) => new Artifact(client, data))),
    },
  );
}
