// Python-shaped artifact collections: the decoded fields of @wandb-api/artifacts plus methods that
// delegate to its functions. No behaviour lives here.
import type { CallOptions, Paginated, WandbClient } from '@wandb-api/core';
import {
  type ArtifactCollectionChanges,
  type ArtifactCollection as ArtifactCollectionData,
  type ListArtifactsOptions,
  changeCollectionType,
  collectionAliases,
  deleteArtifactCollection,
  listArtifacts,
  saveArtifactCollection,
} from '@wandb-api/artifacts';
import { Artifact } from './artifact.js';

/**
 * A collection of artifact versions, as `api.artifactCollection(type, name)` returns it.
 * @example const coll = await api.artifactCollection('dataset', 'acme/mnist/mnist-dataset'); console.log(await coll.aliases());
 */
export class ArtifactCollection {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: ArtifactCollectionData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** Its committed versions, 50 per page (by its saved name and type). */
  artifacts(options?: Omit<ListArtifactsOptions, 'tags'>): Paginated<Artifact> {
    return listArtifacts(this.#client, this.type, `${this.entity}/${this.project}/${this.name}`, options).map(
      (data) => new Artifact(this.#client, data),
    );
  }

  /** Every alias used in it (Python's `aliases` property; pages of 1000). */
  aliases(options?: CallOptions): Promise<string[]> {
    return collectionAliases(this.#client, this, options);
  }

  /**
   * Saves changes and refreshes this object: `{ name, description, type, tags }`.
   * @example await coll.save({ description: 'MNIST digits', tags: [...coll.tags, 'clean'] });
   */
  async save(changes: ArtifactCollectionChanges = {}, options?: CallOptions): Promise<this> {
    return Object.assign(this, await saveArtifactCollection(this.#client, this, changes, options));
  }

  /** Python's deprecated `change_type`. */
  async changeType(type: string, options?: CallOptions): Promise<this> {
    return Object.assign(this, await changeCollectionType(this.#client, this, type, options));
  }

  /** Deletes the collection and its versions (a sequence) or links (a portfolio). */
  delete(options?: CallOptions): Promise<void> {
    return deleteArtifactCollection(this.#client, this, options);
  }

  /** The plain decoded fields (what `JSON.stringify` writes). */
  toJSON(): ArtifactCollectionData {
    return { ...this } as ArtifactCollectionData;
  }
}
export interface ArtifactCollection extends ArtifactCollectionData {}
