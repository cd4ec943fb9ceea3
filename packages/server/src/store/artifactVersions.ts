/**
 * Artifact versions as the W&B SDK logs them: a version starts PENDING (createArtifact), receives its
 * files and its manifest through signed uploads, and becomes COMMITTED (commitArtifact), which gives
 * it its `vN`, moves `latest` and applies the aliases asked for at creation. The fixtures
 * (artifactFixtures.createArtifact) build their versions with the same functions.
 */
import { createHash } from 'node:crypto';
import { artifactNodeGid, decodeArtifactNodeGid } from '../artifactIds';
import { UserInputError } from '../errors';
import { artifactStore, checkAlias, type ArtifactRow, type CollectionRow, type NewArtifactFile } from './artifacts';
import { mimetypeOf } from './runFiles';
import type { Store } from './store';

/**
 * W&B's manifest digest: hex MD5 over a header and the `path:digest` lines sorted by path in code-point order (Python's str order = UTF-8 byte order, not JS's UTF-16 `<`).
 * @example manifestDigest([{ path: 'train.csv', digest: 'XUFAKrxLKna5cZ2REBfFkg==' }])
 */
export function manifestDigest(entries: readonly { path: string; digest: string }[]): string {
  const hash = createHash('md5').update('wandb-artifact-manifest-v1\n');
  for (const e of [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')))) hash.update(`${e.path}:${e.digest}\n`, 'utf8');
  return hash.digest('hex');
}

/**
 * Refuses entry paths a file system would reinterpret: empty, absolute, backslashes, `.`/`..`/empty segments.
 * @example checkEntryPath('data/train.csv')
 */
export function checkEntryPath(path: string): void {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new UserInputError(`invalid artifact entry path ${JSON.stringify(path)}`);
  }
}

/** What `startVersion` needs; ids are store rows. */
export interface StartVersionInput {
  projectId: number;
  /** Artifact type name; created in the project when missing. */
  type: string;
  /** The sequence; created when missing. */
  name: string;
  /** The manifest digest the client computed; with `dedupe`, equal to the latest version's digest returns that version. */
  digest?: string | undefined;
  dedupe?: boolean | undefined;
  description?: string | null | undefined;
  /** JSON text. */
  metadata?: string | null | undefined;
  ttlSeconds?: number | null | undefined;
  historyStep?: number | null | undefined;
  /** The run logging the version: recorded as its output even when the version already existed. */
  runId?: number | null | undefined;
  userId?: number | null | undefined;
  /** Applied on commit (`latest` always is). */
  aliases?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
  createdAt?: string | undefined;
  /** The client's id of the version: a version of the sequence created with it is continued, not duplicated. */
  clientId?: string | null | undefined;
  /** The client's id of the sequence (recorded on first use). */
  sequenceClientId?: string | null | undefined;
  /** Runs upserting one version share it: the pending version with it is continued. */
  distributedId?: string | null | undefined;
}

/** What `startVersion` did: made a new pending version, continued one (same client or distributed id) or deduplicated to the latest. */
export interface StartedVersion {
  artifact: ArtifactRow;
  deduped: boolean;
  continued: boolean;
}

/** The live sequence `name` of a project, created (with its type) on first use. */
export function ensureSequence(store: Store, projectId: number, typeName: string, name: string, createdAt?: string): CollectionRow {
  const arts = artifactStore(store);
  const type = arts.ensureType(projectId, typeName, null, createdAt);
  const sequence = arts.collectionByName(projectId, name);
  if (!sequence) return arts.createCollection({ projectId, typeId: type.id, kind: 'SEQUENCE', name, createdAt });
  if (sequence.kind !== 'SEQUENCE') throw new UserInputError(`${name} is a portfolio (a collection of links), not an artifact sequence`);
  if (sequence.type_id !== type.id) throw new UserInputError(`artifact ${name} has type ${arts.typeById(sequence.type_id)?.name}, not ${typeName}`);
  return sequence;
}

/**
 * The version a createArtifact asks for, as W&B answers it. In order:
 * 1. a version of the sequence created with the same `clientId` (or the pending version with the same
 *    `distributedId`) is continued: one logical version sent twice (Launch's create_job creates it, then
 *    the SDK's saver logs it) stays one version; a pending one takes the new call's non-null fields;
 * 2. with `dedupe`, the sequence's latest committed version when its digest is the same (aliases applied);
 * 3. else a new PENDING version (no `vN` until commit).
 * The run, if any, is recorded as an output in every case. Call inside a transaction.
 * @example const { artifact, deduped } = startVersion(store, { projectId, type: 'dataset', name: 'mnist', digest, dedupe: true });
 */
export function startVersion(store: Store, input: StartVersionInput): StartedVersion {
  const arts = artifactStore(store);
  const aliases = [...new Set(input.aliases ?? [])];
  aliases.forEach(checkAlias);
  const sequence = ensureSequence(store, input.projectId, input.type, input.name, input.createdAt);
  if (input.sequenceClientId) arts.setCollectionClientId(sequence.id, input.sequenceClientId);
  const started = ((): StartedVersion => {
    const same =
      (input.clientId ? arts.artifactByClientId(sequence.id, input.clientId) : undefined) ??
      (input.distributedId ? arts.pendingByDistributedId(sequence.id, input.distributedId) : undefined);
    if (same) return { artifact: continueVersion(store, same, input, aliases), deduped: false, continued: true };
    if (input.dedupe && input.digest && !input.distributedId) {
      const latest = arts.resolve(sequence.id, undefined);
      const existing = latest && arts.artifactById(latest.artifact_id);
      if (existing?.state === 'COMMITTED' && existing.digest === input.digest) {
        for (const alias of aliases) arts.setAlias(sequence.id, existing.id, alias);
        return { artifact: existing, deduped: true, continued: false };
      }
    }
    const artifact = arts.insertArtifact({
      sequenceId: sequence.id,
      typeId: sequence.type_id,
      state: 'PENDING',
      digest: input.digest,
      description: input.description,
      metadata: input.metadata,
      ttlSeconds: input.ttlSeconds,
      historyStep: input.historyStep,
      createdByRunId: input.runId,
      createdByUserId: input.userId,
      createdAt: input.createdAt,
      clientId: input.clientId,
      distributedId: input.distributedId,
    });
    addPendingAliases(store, artifact.id, aliases);
    if (input.tags) arts.setArtifactTags(artifact.id, input.tags, []);
    return { artifact, deduped: false, continued: false };
  })();
  if (input.runId != null) arts.addOutput(input.runId, started.artifact.id);
  return started;
}

function addPendingAliases(store: Store, artifactId: number, aliases: readonly string[]): void {
  const stmt = store.db.prepare('INSERT OR IGNORE INTO artifact_pending_aliases (artifact_id, alias) VALUES (?, ?)');
  for (const alias of aliases) stmt.run(artifactId, alias);
}

/** A second createArtifact for a version: its aliases and tags join; a pending version also takes the non-null description, metadata, TTL and digest. */
function continueVersion(store: Store, a: ArtifactRow, input: StartVersionInput, aliases: readonly string[]): ArtifactRow {
  const arts = artifactStore(store);
  if (input.tags) arts.setArtifactTags(a.id, input.tags, []);
  if (a.state !== 'PENDING') {
    for (const alias of aliases) arts.setAlias(a.sequence_id, a.id, alias);
    return a;
  }
  addPendingAliases(store, a.id, aliases);
  arts.updateArtifact(a.id, { description: input.description, metadata: input.metadata, ttlDurationSeconds: input.ttlSeconds ?? undefined });
  // A distributed version's digest covers one run's part only; the committed one is computed from the merged manifest.
  if (input.digest && !a.distributed_id) arts.setClaimedDigest(a.id, input.digest);
  return arts.artifactById(a.id) as ArtifactRow;
}

/**
 * Records a pending version's entries and manifest blob (digest, size and count follow from the entries).
 * @example recordContents(store, artifact, entries, manifestBlob.md5Hex);
 */
export function recordContents(store: Store, artifact: ArtifactRow, entries: readonly NewArtifactFile[], manifestMd5Hex: string): void {
  const arts = artifactStore(store);
  const seen = new Set<string>();
  for (const e of entries) {
    checkEntryPath(e.path);
    if (seen.has(e.path)) throw new UserInputError(`duplicate artifact entry ${e.path}`);
    seen.add(e.path);
  }
  arts.insertFiles(artifact.id, entries);
  const digest = manifestDigest(entries);
  arts.setContents(artifact.id, {
    digest,
    commitHash: digest.slice(0, 12),
    size: entries.reduce((sum, e) => sum + (e.size ?? 0), 0),
    fileCount: entries.length,
    manifestMd5Hex,
    state: artifact.state,
  });
}

/**
 * PENDING → COMMITTED: the next `vN` of its sequence, `latest`, then the aliases asked for at creation.
 * Committing a committed version is a no-op. Call inside a transaction.
 * @example commitVersion(store, artifact.id).version_index
 */
export function commitVersion(store: Store, artifactId: number): ArtifactRow {
  const arts = artifactStore(store);
  const a = arts.artifactById(artifactId);
  if (!a) throw new UserInputError(`no artifact ${artifactId}`);
  if (a.state === 'COMMITTED') return a;
  if (a.state !== 'PENDING') throw new UserInputError(`artifact ${artifactId} is ${a.state}, not PENDING`);
  const committed = arts.assignVersion(artifactId);
  const pending = store.db.prepare('SELECT alias FROM artifact_pending_aliases WHERE artifact_id = ? ORDER BY id').all(artifactId) as { alias: string }[];
  for (const alias of ['latest', ...pending.map((p) => p.alias)]) arts.setAlias(a.sequence_id, artifactId, alias);
  store.db.prepare('DELETE FROM artifact_pending_aliases WHERE artifact_id = ?').run(artifactId);
  store.db.prepare('DELETE FROM artifact_uploads WHERE artifact_id = ?').run(artifactId);
  return committed;
}

/**
 * Stores the manifest a client PUT for a pending version. A PATCH manifest (a distributed version, one
 * part per run) is merged into what earlier uploads sent, so the version accumulates every run's files.
 * @example receiveManifest(store, artifact.id, blob.md5Hex);
 */
export function receiveManifest(store: Store, artifactId: number, manifestMd5Hex: string): void {
  const arts = artifactStore(store);
  const a = arts.artifactById(artifactId);
  const earlier = a?.manifest_type === 'PATCH' && a.manifest_md5_hex ? store.blobs.read(a.manifest_md5_hex)?.toString('utf8') : undefined;
  const uploaded = earlier === undefined ? undefined : store.blobs.read(manifestMd5Hex)?.toString('utf8');
  if (earlier === undefined || uploaded === undefined) {
    arts.setManifestBlob(artifactId, manifestMd5Hex);
    return;
  }
  arts.setManifestBlob(artifactId, store.blobs.put(Buffer.from(mergeManifests(earlier, uploaded, undefined), 'utf8')).md5Hex);
}

/**
 * Commits a pending version from its uploaded manifest: an INCREMENTAL one on top of its base version's
 * manifest (the merged manifest is stored and served), a FULL one checked against the digest it was
 * created with; every stored file must have arrived (or be held by the entity already).
 * @example commitLoggedVersion(store, artifact, project.entity_id).version_index
 */
export function commitLoggedVersion(store: Store, a: ArtifactRow, entityId: number): ArtifactRow {
  const arts = artifactStore(store);
  let manifestMd5Hex = a.manifest_md5_hex;
  let text = manifestMd5Hex ? store.blobs.read(manifestMd5Hex)?.toString('utf8') : undefined;
  if (text === undefined || manifestMd5Hex === null) {
    throw new UserInputError(`artifact ${a.id} has no uploaded manifest: PUT it to the URL createArtifactManifest returned`);
  }
  const base = a.manifest_type === 'INCREMENTAL' && a.base_artifact_id !== null ? arts.artifactById(a.base_artifact_id) : undefined;
  const baseText = base?.manifest_md5_hex ? store.blobs.read(base.manifest_md5_hex)?.toString('utf8') : undefined;
  if (base && baseText !== undefined) {
    text = mergeManifests(baseText, text, artifactNodeGid('Artifact', base.id));
    manifestMd5Hex = store.blobs.put(Buffer.from(text, 'utf8')).md5Hex;
  }
  const entries = entriesOfManifest(text, a.id);
  const digest = manifestDigest(entries);
  // INCREMENTAL and PATCH versions were created with the digest of a part; the whole is what commits.
  if (a.manifest_type === 'FULL' && a.digest && a.digest !== digest) {
    throw new UserInputError(`the uploaded manifest has digest ${digest}, but the artifact was created with ${a.digest}`);
  }
  for (const e of entries) {
    if (e.md5_hex === null) continue;
    if (!canCommitBlob(store, a, entityId, e.md5_hex)) throw new UserInputError(`file ${e.path} was not uploaded (MD5 ${e.digest})`);
    const size = store.blobs.size(e.md5_hex) as number;
    if (e.size !== null && e.size !== size) throw new UserInputError(`file ${e.path}: the manifest says ${e.size} bytes, the upload has ${size}`);
    e.size = size;
  }
  const contentsMd5Hex = manifestMd5Hex;
  return store.db.transaction(() => {
    recordContents(store, a, entries, contentsMd5Hex);
    return commitVersion(store, a.id);
  });
}

/**
 * One manifest document from two: `base`'s entries overlaid by `top`'s (its other fields win too).
 * Stored entries of `base` without a birth artifact are born in `baseGid` (when given).
 */
function mergeManifests(base: string, top: string, baseGid: string | undefined): string {
  const b = manifestDocument(base);
  const t = manifestDocument(top);
  const contents: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(b.contents)) {
    const e = raw as Record<string, unknown>;
    contents[path] = baseGid && e.ref == null && e.birthArtifactID == null ? { ...e, birthArtifactID: baseGid } : e;
  }
  return JSON.stringify({ ...t, contents: { ...contents, ...t.contents } });
}

/** A version 1 manifest document; a UserInputError for anything else. */
function manifestDocument(text: string): { version: 1; contents: Record<string, unknown> } & Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserInputError('the uploaded manifest is not JSON');
  }
  const m = doc as { version?: unknown; contents?: unknown };
  if (typeof m !== 'object' || m === null || m.version !== 1 || typeof m.contents !== 'object' || m.contents === null || Array.isArray(m.contents)) {
    throw new UserInputError('the uploaded manifest is not a version 1 manifest with contents');
  }
  return m as { version: 1; contents: Record<string, unknown> } & Record<string, unknown>;
}

/** Notes that `md5Hex` was uploaded for a pending version (see canCommitBlob). */
export function recordUpload(store: Store, artifactId: number, md5Hex: string): void {
  store.db.prepare('INSERT OR IGNORE INTO artifact_uploads (artifact_id, md5_hex) VALUES (?, ?)').run(artifactId, md5Hex);
}

/**
 * Whether a version may hold a stored file with these bytes: uploaded for it, or already held by its
 * entity (W&B keeps artifact files per entity, so a client never re-uploads them).
 */
export function canCommitBlob(store: Store, artifact: ArtifactRow, entityId: number, md5Hex: string): boolean {
  if (!store.blobs.has(md5Hex)) return false;
  if (store.db.prepare('SELECT 1 FROM artifact_uploads WHERE artifact_id = ? AND md5_hex = ?').get(artifact.id, md5Hex)) return true;
  return artifactStore(store).projectsHoldingBlob(entityId, md5Hex).length > 0;
}

/** The birth artifact of an existing stored file with these bytes in the entity, if any. */
export function existingBirth(store: Store, entityId: number, md5Hex: string): number | undefined {
  const row = store.db
    .prepare(
      `SELECT f.birth_artifact_id AS id FROM artifact_files f JOIN artifacts a ON a.id = f.artifact_id AND a.state = 'COMMITTED'
       JOIN artifact_collections c ON c.id = a.sequence_id JOIN projects p ON p.id = c.project_id
       WHERE f.md5_hex = ? AND f.ref IS NULL AND p.entity_id = ? AND f.birth_artifact_id IS NOT NULL ORDER BY f.id LIMIT 1`,
    )
    .get(md5Hex, entityId) as { id: number } | undefined;
  return row?.id;
}

const BASE64_MD5 = /^[A-Za-z0-9+/]{22}==$/;

/** Hex MD5 of a base64 MD5 (W&B's digest of stored files); undefined when it is not one. */
export function md5HexOfDigest(digest: string): string | undefined {
  return BASE64_MD5.test(digest) ? Buffer.from(digest, 'base64').toString('hex') : undefined;
}

/**
 * The entries of an uploaded manifest (JSON version 1), as stored rows. Stored files (no `ref`) must
 * carry a base64 MD5 digest; their birth artifact defaults to `artifactId`.
 * @example entriesOfManifest(blob.toString('utf8'), artifact.id)
 */
export function entriesOfManifest(text: string, artifactId: number): NewArtifactFile[] {
  const m = manifestDocument(text);
  return Object.entries(m.contents as Record<string, unknown>).map(([path, raw]) => {
    checkEntryPath(path);
    const e = raw as { digest?: unknown; ref?: unknown; size?: unknown; birthArtifactID?: unknown; extra?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.digest !== 'string') throw new UserInputError(`manifest entry ${path} has no digest`);
    if (e.ref !== undefined && e.ref !== null && typeof e.ref !== 'string') throw new UserInputError(`manifest entry ${path}: ref must be a string`);
    if (e.size !== undefined && e.size !== null && !(typeof e.size === 'number' && Number.isSafeInteger(e.size) && e.size >= 0)) {
      throw new UserInputError(`manifest entry ${path}: size must be a non-negative integer`);
    }
    const ref = typeof e.ref === 'string' ? e.ref : null;
    const md5Hex = ref === null ? md5HexOfDigest(e.digest) : undefined;
    if (ref === null && md5Hex === undefined) throw new UserInputError(`manifest entry ${path}: a stored file's digest must be its base64 MD5`);
    const birth = typeof e.birthArtifactID === 'string' ? decodeArtifactNodeGid('Artifact', e.birthArtifactID) : undefined;
    return {
      path,
      digest: e.digest,
      ref,
      size: typeof e.size === 'number' ? e.size : null,
      md5_hex: md5Hex ?? null,
      birth_artifact_id: ref === null ? (birth ?? artifactId) : (birth ?? null),
      extra: e.extra === undefined || e.extra === null ? null : JSON.stringify(e.extra),
      mimetype: ref === null ? mimetypeOf(path) : null,
    };
  });
}
