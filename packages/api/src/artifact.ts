// Python-shaped artifact objects: the decoded fields of @wandb-api/artifacts plus methods that
// delegate to its functions (loaded on first use, ./artifactsModule.ts). No behaviour lives here.
// Downloads and verification come from ./local.ts (the Node entry of @wandb-api/artifacts in the
// facade's Node entry).
import { type CallOptions, type Paginated, type WandbClient, deferPaginated } from '@wandb-api/core';
import type {
  ArtifactChanges,
  ArtifactFile,
  ArtifactFilesOptions,
  ArtifactManifest,
  Artifact as ArtifactData,
  ArtifactType as ArtifactTypeData,
  DeleteArtifactOptions,
  DownloadArtifactFileOptions,
  DownloadArtifactOptions,
  ListArtifactCollectionsOptions,
  ManifestEntry,
  VerifyArtifactResult,
} from '@wandb-api/artifacts';
import { getRun } from '@wandb-api/runs';
import { ArtifactCollection } from './artifactCollection.js';
import { loadArtifacts } from './artifactsModule.js';
import { downloadArtifact, downloadArtifactFile, verifyArtifact } from './local.js';
import { Run } from './run.js';

/**
 * An artifact version, as `api.artifact(name)` returns it: the decoded fields plus methods that
 * delegate to @wandb-api/artifacts.
 * @example const artifact = await api.artifact('acme/mnist/mnist-dataset:v2'); console.log(artifact.aliases);
 */
export class Artifact {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: ArtifactData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** The client this artifact talks through. */
  get client(): WandbClient {
    return this.#client;
  }

  /** The collection it was fetched through (Python's `collection` property; one request). */
  async collection(options?: CallOptions): Promise<ArtifactCollection> {
    const path = `${this.entity}/${this.project}/${this.collectionName}`;
    return new ArtifactCollection(this.#client, await (await loadArtifacts()).getArtifactCollection(this.#client, this.type, path, options));
  }

  /** Its source sequence (Python's `source_collection`; one request). */
  async sourceCollection(options?: CallOptions): Promise<ArtifactCollection> {
    const path = `${this.sourceEntity}/${this.sourceProject}/${this.sourceCollectionName}`;
    return new ArtifactCollection(this.#client, await (await loadArtifacts()).getArtifactCollection(this.#client, this.type, path, options));
  }

  /** Its files as the server lists them, 50 per page; `names` picks paths. */
  files(options?: ArtifactFilesOptions): Paginated<ArtifactFile> {
    return deferPaginated(loadArtifacts, (m) => m.artifactFiles(this.#client, this, options));
  }

  /** Its manifest (fetched on each call). */
  async manifest(options?: CallOptions): Promise<ArtifactManifest> {
    return (await loadArtifacts()).getManifest(this.#client, this, options);
  }

  /** One manifest entry by path; NotFoundError when absent (Python: KeyError). */
  async getEntry(name: string, options?: CallOptions): Promise<ManifestEntry> {
    return (await loadArtifacts()).getEntry(this.#client, this, name, options);
  }

  /**
   * Python's deprecated alias of `getEntry`.
   * @deprecated Use `getEntry`.
   * @example const entry = await artifact.getPath('train/0001.png');
   */
  getPath(name: string, options?: CallOptions): Promise<ManifestEntry> {
    return this.getEntry(name, options);
  }

  /**
   * Downloads its files into a folder, verified, and returns the folder (Python's
   * `download(root, allow_missing_references, skip_cache, path_prefix)`; default root
   * `./artifacts/<sourceName>`). Node only.
   * @example const root = await artifact.download({ root: 'data', pathPrefix: 'train/' });
   */
  download(rootOrOptions?: string | DownloadArtifactOptions): Promise<string> {
    const options = typeof rootOrOptions === 'string' ? { root: rootOrOptions } : rootOrOptions;
    return downloadArtifact(this.#client, this, options);
  }

  /**
   * Downloads its only file (Python's `file(root)`; default root `./artifacts/<name>`), or the entry
   * at `options.path`, and returns the local path. Node only.
   * @example const path = await artifact.file('weights');
   */
  file(rootOrOptions?: string | (DownloadArtifactFileOptions & { path?: string })): Promise<string> {
    const { path, ...options } = typeof rootOrOptions === 'string' ? { root: rootOrOptions } : (rootOrOptions ?? {});
    return downloadArtifactFile(this.#client, this, path, options);
  }

  /**
   * Checks a downloaded folder against the manifest (Python's `verify(root)`): ChecksumError for a
   * missing or different file, ValidationError for a file that is not an entry. Node only.
   * @example await artifact.verify('./artifacts/mnist-dataset:v2');
   */
  verify(root?: string, options?: CallOptions): Promise<VerifyArtifactResult> {
    return verifyArtifact(this.#client, this, root, options);
  }

  /**
   * Saves changes and refreshes this object. Python sets properties, then calls `save()`; here the
   * changes are an object: `{ description, metadata, aliases, tags, ttl }`.
   * @example await artifact.save({ aliases: [...artifact.aliases, 'staging'] });
   */
  async save(changes: ArtifactChanges = {}, options?: CallOptions): Promise<this> {
    return Object.assign(this, await (await loadArtifacts()).saveArtifact(this.#client, this, changes, options));
  }

  /** Deletes this version (a link is unlinked instead). */
  async delete(options?: DeleteArtifactOptions): Promise<void> {
    return (await loadArtifacts()).deleteArtifact(this.#client, this, options);
  }

  /** Links this version into a portfolio (e.g. `wandb-registry-model/mnist-models`) and returns the link. */
  async link(targetPath: string, aliases?: readonly string[], options?: CallOptions): Promise<Artifact> {
    return new Artifact(this.#client, await (await loadArtifacts()).linkArtifact(this.#client, this, targetPath, { ...options, ...(aliases ? { aliases } : {}) }));
  }

  /** The links of this version into portfolios (registries); none for a link. */
  async linkedArtifacts(options?: CallOptions): Promise<Artifact[]> {
    return (await (await loadArtifacts()).linkedArtifacts(this.#client, this, options)).map((data) => new Artifact(this.#client, data));
  }

  /** The version a link points at (this artifact when it is not a link). */
  async sourceArtifact(options?: CallOptions): Promise<Artifact> {
    return this.isLink ? new Artifact(this.#client, await (await loadArtifacts()).sourceArtifact(this.#client, this, options)) : this;
  }

  /** Removes this link (ValidationError for a non-link). */
  async unlink(options?: CallOptions): Promise<void> {
    return (await loadArtifacts()).unlinkArtifact(this.#client, this, options);
  }

  /** The run that logged it, or null. */
  async loggedBy(options?: CallOptions): Promise<Run | null> {
    const info = await (await loadArtifacts()).artifactLoggedBy(this.#client, this, options);
    return info && new Run(this.#client, await getRun(this.#client, `${info.entity}/${info.project}/${info.id}`, options));
  }

  /** The runs that used it. */
  async usedBy(options?: CallOptions): Promise<Run[]> {
    const infos = await (await loadArtifacts()).artifactUsedBy(this.#client, this, options);
    const runs = await Promise.all(infos.map((info) => getRun(this.#client, `${info.entity}/${info.project}/${info.id}`, options)));
    return runs.map((data) => new Run(this.#client, data));
  }

  /** The plain decoded fields (what `JSON.stringify` writes). */
  toJSON(): ArtifactData {
    return { ...this } as ArtifactData;
  }
}
export interface Artifact extends ArtifactData {}

/**
 * An artifact type of a project, as `api.artifactType(name, project)` returns it.
 * @example const type = await api.artifactType('dataset', 'acme/mnist'); for await (const c of type.collections()) console.log(c.name);
 */
export class ArtifactType {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: ArtifactTypeData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** Its collections, 50 per page. */
  collections(options?: ListArtifactCollectionsOptions): Paginated<ArtifactCollection> {
    return deferPaginated(loadArtifacts, (m) =>
      m.listArtifactCollections(this.#client, `${this.entity}/${this.project}`, this.name, options).map((data) => new ArtifactCollection(this.#client, data)),
    );
  }

  /** One of its collections by name. */
  async collection(name: string, options?: CallOptions): Promise<ArtifactCollection> {
    return new ArtifactCollection(this.#client, await (await loadArtifacts()).getArtifactCollection(this.#client, this.name, `${this.entity}/${this.project}/${name}`, options));
  }
}
export interface ArtifactType extends ArtifactTypeData {}
