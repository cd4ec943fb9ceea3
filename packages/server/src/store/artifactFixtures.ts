/**
 * Building committed artifacts from in-memory (or generated) contents: the manifest JSON, its digest,
 * the entries and blobs. Used by seeds and tests (createArtifact, linkArtifactVersion) and by tests
 * of download guarantees (corruptArtifactFile).
 */
import { artifactNodeGid, decodeArtifactNodeGid } from '../artifactIds';
import { UserInputError } from '../errors';
import { artifactStore, type ArtifactRow, type NewArtifactFile } from './artifacts';
import { corruptBlob, putGeneratedBlob, type BlobCorruption } from './artifactBlobs';
import { checkEntryPath, commitVersion, manifestDigest, recordContents, startVersion } from './artifactVersions';
import type { StoredBlob } from './blobs';
import { mimetypeOf } from './runFiles';
import type { ProjectRow, Store } from './store';
import { wandbTime } from './time';

/**
 * Stands for the storage origin inside stored manifests and reference URIs; replaced by the real
 * origin when served (the port is only known once the server listens, after seeding).
 */
export const LOCAL_STORAGE_ORIGIN = 'http://wandb-local-storage.invalid';

/** Generated content: `generate` pseudo-random bytes, distinct per `seed`, written in chunks. */
export interface GeneratedContent {
  /** How many bytes to generate (never held whole in memory). */
  generate: number;
  /** Picks the byte sequence; default: one derived from the artifact, distinct per file. */
  seed?: number;
}

/** A reference entry of a fixture artifact: a manifest entry that points outside W&B storage. */
export interface ArtifactReference {
  /** The path inside the artifact (the manifest key). */
  path: string;
  /** e.g. `s3://bucket/key`, `https://…`, or `${LOCAL_STORAGE_ORIGIN}/public/<md5>` (see publicReference). */
  ref: string;
  /** Default: the ref itself (what W&B stores for unchecksummed references). */
  digest?: string;
  /** Bytes, when the reference's size is known. */
  size?: number;
  /** Stored as the entry's `extra` (an http reference carries its `etag` here). */
  extra?: Record<string, unknown>;
}

/** What `createArtifact` needs: where the version goes, and its files, references and links. */
export interface CreateArtifactInput {
  /** The entity that owns the project (must exist). */
  entity: string;
  /** Created when missing. */
  project: string;
  /** The artifact type (`dataset`, `model` …); created in the project when missing. */
  type: string;
  /** The collection (sequence) name; created when missing. */
  name: string;
  /** Stored files by path: bytes, text (UTF-8) or generated content. */
  files?: Record<string, Uint8Array | string | GeneratedContent>;
  /** Reference entries (not stored; see publicReference for ones the server can serve). */
  references?: ArtifactReference[];
  /** Besides `latest`, which always moves to the new version (as W&B does on commit). */
  aliases?: string[];
  /** Tags of the version. */
  tags?: string[];
  /** Stored as the version's metadata JSON. */
  metadata?: Record<string, unknown>;
  /** Free text of the version. */
  description?: string;
  /** Name of the run (same project) that logged it: Run.outputArtifacts, Artifact.createdBy. */
  loggedBy?: string;
  /** Names of runs (same project) that used it: Run.inputArtifacts, Artifact.usedBy. */
  usedBy?: string[];
  /** Creator when no run logged it; default: the entity's owner or first member. */
  username?: string;
  /** Default 'COMMITTED'. A PENDING version has no `vN` yet (and no aliases until it commits). */
  state?: 'COMMITTED' | 'PENDING';
  /** Time to live in seconds; default none. */
  ttlSeconds?: number;
  /** The history step stored with it, as the server sends it (the client reports it minus one). */
  historyStep?: number;
  /** Creation time of the version (and of a collection or type it creates); default now. */
  createdAt?: Date | string | number;
  /** Manifest storage layout; default 'V2'. */
  storageLayout?: 'V1' | 'V2';
}

/** What `createArtifact` made: the ids tests need to reach the version again. */
export interface CreatedArtifact {
  /** GraphQL `Artifact.id`. */
  id: string;
  /** The row id in the store (accepted wherever a fixture takes an artifact). */
  internalId: number;
  /** `<name>:v<versionIndex>` (`<name>:pending` while PENDING). */
  name: string;
  /** `N` of `vN` in its sequence (-1 while PENDING). */
  versionIndex: number;
  /** Manifest digest (hex MD5). */
  digest: string;
  /** The row id of its sequence in the store. */
  collectionId: number;
}

export { manifestDigest };

/**
 * The manifest JSON (version 1) for entries as stored.
 * @example const json = manifestJson(entries, (id) => artifactNodeGid('Artifact', id), 'V2');
 */
export function manifestJson(entries: readonly NewArtifactFile[], birthGid: (id: number) => string, layout: 'V1' | 'V2'): string {
  const contents: Record<string, Record<string, unknown>> = {};
  for (const e of entries) {
    const entry: Record<string, unknown> = { digest: e.digest };
    if (e.ref !== null) entry.ref = e.ref;
    if (e.birth_artifact_id !== null) entry.birthArtifactID = birthGid(e.birth_artifact_id);
    if (e.size !== null) entry.size = e.size;
    if (e.extra !== null) entry.extra = JSON.parse(e.extra) as unknown;
    contents[e.path] = entry;
  }
  return JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: layout }, contents });
}

function ensureProject(store: Store, entityName: string, projectName: string): ProjectRow {
  const entity = store.entities.byName(entityName);
  if (!entity) throw new UserInputError(`entity ${JSON.stringify(entityName)} does not exist`);
  const existing = store.projects.byName(entity.id, projectName);
  if (existing) return existing;
  store.createProject({ entity: entityName, name: projectName });
  return store.projects.byName(entity.id, projectName) as ProjectRow;
}

/**
 * Creates one committed version of `entity/project/name` (collection and type created on first use),
 * with its files in the blob store, its manifest (a blob too), aliases (plus `latest`), tags and run links.
 * @example createArtifact(store, { entity: 'demo', project: 'p', type: 'dataset', name: 'd', files: { 'a.txt': 'hi' } })
 */
export function createArtifact(store: Store, input: CreateArtifactInput): CreatedArtifact {
  return store.db.transaction(() => {
    const arts = artifactStore(store);
    const project = ensureProject(store, input.entity, input.project);
    const createdAt = input.createdAt === undefined ? undefined : wandbTime(input.createdAt);
    const run = (name: string) => {
      const r = store.runs.byName(project.id, name);
      if (!r) throw new UserInputError(`run ${name} not found in ${input.entity}/${input.project}`);
      return r;
    };
    const loggedBy = input.loggedBy === undefined ? undefined : run(input.loggedBy);
    const user = input.username ? store.users.byName(input.username) : undefined;
    const entity = store.entities.byId(project.entity_id);
    const { artifact } = startVersion(store, {
      projectId: project.id,
      type: input.type,
      name: input.name,
      description: input.description,
      metadata: input.metadata === undefined ? null : JSON.stringify(input.metadata),
      ttlSeconds: input.ttlSeconds,
      historyStep: input.historyStep,
      runId: loggedBy?.id,
      userId: loggedBy?.user_id ?? user?.id ?? entity?.owner_id ?? store.entities.firstMember(project.entity_id) ?? null,
      aliases: input.aliases,
      tags: input.tags,
      createdAt,
    });

    const entries: NewArtifactFile[] = [];
    let seed = artifact.id * 100_003;
    for (const [path, content] of Object.entries(input.files ?? {})) {
      checkEntryPath(path);
      let blob: StoredBlob;
      if (typeof content === 'string') blob = store.blobs.put(Buffer.from(content, 'utf8'));
      else if (content instanceof Uint8Array) blob = store.blobs.put(content);
      else blob = putGeneratedBlob(store.blobs, content.generate, content.seed ?? seed++);
      entries.push({ path, digest: blob.md5, ref: null, size: blob.size, md5_hex: blob.md5Hex, birth_artifact_id: artifact.id, extra: null, mimetype: mimetypeOf(path) });
    }
    for (const r of input.references ?? []) {
      checkEntryPath(r.path);
      if (entries.some((e) => e.path === r.path)) throw new UserInputError(`duplicate artifact entry ${r.path}`);
      entries.push({
        path: r.path,
        digest: r.digest ?? r.ref,
        ref: r.ref,
        size: r.size ?? null,
        md5_hex: null,
        birth_artifact_id: null,
        extra: r.extra ? JSON.stringify(r.extra) : null,
        mimetype: null,
      });
    }
    commitContents(store, artifact, entries, input.storageLayout ?? 'V2');
    const done = input.state === 'PENDING' ? artifact : commitVersion(store, artifact.id);

    for (const name of input.usedBy ?? []) arts.addUsage(run(name).id, artifact.id);
    const pending = done.state === 'PENDING';
    return {
      id: artifactNodeGid('Artifact', artifact.id),
      internalId: artifact.id,
      name: `${input.name}:${pending ? 'pending' : `v${done.version_index}`}`,
      versionIndex: pending ? -1 : done.version_index,
      digest: manifestDigest(entries),
      collectionId: artifact.sequence_id,
    };
  });
}

/**
 * Stores the manifest JSON of `entries` as a blob and records it with the entries on a pending version.
 * @example commitContents(store, artifactRow, entries, 'V2');
 */
export function commitContents(store: Store, artifact: ArtifactRow, entries: NewArtifactFile[], layout: 'V1' | 'V2'): void {
  const manifest = store.blobs.put(Buffer.from(manifestJson(entries, (id) => artifactNodeGid('Artifact', id), layout), 'utf8'));
  recordContents(store, artifact, entries, manifest.md5Hex);
}

/**
 * Stores `bytes` as a public blob (served without credentials at `<storage>/public/<md5>`) and returns
 * the reference entry pointing at it, with the ETag digest an http reference carries.
 * @example createArtifact(store, { …, references: [publicReference(store, 'raw/readme.txt', 'hello')] })
 */
export function publicReference(store: Store, path: string, bytes: Uint8Array | string): ArtifactReference {
  const blob = store.blobs.put(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  artifactStore(store).makePublic(blob.md5Hex);
  return { path, ref: `${LOCAL_STORAGE_ORIGIN}/public/${blob.md5Hex}`, digest: blob.md5Hex, size: blob.size, extra: { etag: `"${blob.md5Hex}"` } };
}

/** What `linkArtifactVersion` needs: the version and the portfolio to link it into. */
export interface LinkArtifactVersionInput {
  /** `Artifact.id` (GraphQL) or the internal id. */
  artifact: string | number;
  /** The entity of the portfolio's project (the organization's entity for registries). */
  entity: string;
  /** The portfolio's project (`wandb-registry-model` …); created when missing. */
  project: string;
  /** The portfolio; created (with the artifact's type) when missing. */
  portfolio: string;
  /** Aliases of the link in the portfolio. */
  aliases?: string[];
}

/**
 * Links a version into a portfolio (a registry collection, say), as linkArtifact does.
 * @example linkArtifactVersion(store, { artifact: cnn.id, entity: 'demo-org-entity', project: 'wandb-registry-model', portfolio: 'mnist-models', aliases: ['production'] })
 */
export function linkArtifactVersion(
  store: Store,
  input: LinkArtifactVersionInput,
): {
  /** The row id of the new membership. */
  membershipId: number;
  /** `N` of the link's `vN` in the portfolio. */
  versionIndex: number;
  /** The row id of the portfolio. */
  collectionId: number;
} {
  return store.db.transaction(() => {
    const arts = artifactStore(store);
    const id = typeof input.artifact === 'number' ? input.artifact : decodeArtifactNodeGid('Artifact', input.artifact);
    const artifact = id === undefined ? undefined : arts.artifactById(id);
    if (!artifact) throw new UserInputError(`no artifact ${String(input.artifact)}`);
    const project = ensureProject(store, input.entity, input.project);
    const typeName = arts.typeById(artifact.type_id)?.name ?? 'unspecified';
    let portfolio = arts.collectionByName(project.id, input.portfolio);
    if (portfolio && portfolio.kind !== 'PORTFOLIO') throw new UserInputError(`${input.portfolio} is an artifact sequence, not a portfolio`);
    portfolio ??= arts.createCollection({ projectId: project.id, typeId: arts.ensureType(project.id, typeName).id, kind: 'PORTFOLIO', name: input.portfolio });
    const membership = arts.addMembership(portfolio.id, artifact.id);
    for (const alias of ['latest', ...(input.aliases ?? [])]) arts.setAlias(portfolio.id, artifact.id, alias);
    return { membershipId: membership.id, versionIndex: membership.version_index, collectionId: portfolio.id };
  });
}

/**
 * Damages the stored bytes of one entry (see corruptBlob), so tests can prove downloads detect it.
 * @example corruptArtifactFile(store, created.id, 'data/train.csv', 'truncate')
 */
export function corruptArtifactFile(store: Store, artifact: string | number, path: string, how: BlobCorruption): void {
  const arts = artifactStore(store);
  const id = typeof artifact === 'number' ? artifact : decodeArtifactNodeGid('Artifact', artifact);
  const entry = id === undefined ? undefined : arts.fileByPath(id, path);
  if (!entry?.md5_hex || !corruptBlob(store.blobs, entry.md5_hex, how)) throw new UserInputError(`no stored file ${path} in artifact ${String(artifact)}`);
}
