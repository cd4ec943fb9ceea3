// Python-shaped artifact collections: the decoded fields of @wandb-api/artifacts plus methods that
// delegate to its functions (loaded on first use, ./artifactsModule.ts). No behaviour lives here.
import { type CallOptions, type Paginated, type WandbClient, deferPaginated } from '@wandb-api/core';
import type { ArtifactCollectionChanges, ArtifactCollection as ArtifactCollectionData, ListArtifactsOptions } from '@wandb-api/artifacts';
import { Artifact } from './artifact.js';
import { loadArtifacts } from './artifactsModule.js';

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
    return deferPaginated(loadArtifacts, (m) =>
      m.listArtifacts(this.#client, this.type, `${this.entity}/${this.project}/${this.name}`, options).map((data) => new Artifact(this.#client, data)),
    );
  }

  /** Every alias used in it (Python's `aliases` property; pages of 1000). */
  async aliases(options?: CallOptions): Promise<string[]> {
    return (await loadArtifacts()).collectionAliases(this.#client, this, options);
  }

  /**
   * Saves changes and refreshes this object: `{ name, description, type, tags }`.
   * @example await coll.save({ description: 'MNIST digits', tags: [...coll.tags, 'clean'] });
   */
  async save(changes: ArtifactCollectionChanges = {}, options?: CallOptions): Promise<this> {
    return Object.assign(this, await (await loadArtifacts()).saveArtifactCollection(this.#client, this, changes, options));
  }

  /** Python's deprecated `change_type`. */
  async changeType(type: string, options?: CallOptions): Promise<this> {
    return Object.assign(this, await (await loadArtifacts()).changeCollectionType(this.#client, this, type, options));
  }

  /** Deletes the collection and its versions (a sequence) or links (a portfolio). */
  async delete(options?: CallOptions): Promise<void> {
    return (await loadArtifacts()).deleteArtifactCollection(this.#client, this, options);
  }

  /** The plain decoded fields (what `JSON.stringify` writes). */
  toJSON(): ArtifactCollectionData {
    return { ...this } as ArtifactCollectionData;
  }
}
export interface ArtifactCollection extends ArtifactCollectionData {}
