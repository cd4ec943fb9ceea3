/**
 * Artifact versions as the W&B SDK logs them: a version starts PENDING (createArtifact), receives its
 * files and its manifest through signed uploads, and becomes COMMITTED (commitArtifact), which gives
 * it its `vN`, moves `latest` and applies the aliases asked for at creation. The fixtures
 * (artifactFixtures.createArtifact) build their versions with the same functions.
 */
import { createHash } from 'node:crypto';
import { decodeArtifactNodeGid } from '../artifactIds';
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
  runId?: number | null | undefined;
  userId?: number | null | undefined;
  /** Applied on commit (`latest` always is). */
  aliases?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
  createdAt?: string | undefined;
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
 * Creates a PENDING version (no `vN` yet) — or, when `dedupe` is set and the sequence's latest
 * committed version has the same digest, returns that version instead (aliases applied to it), as
 * W&B does for unchanged content. Call inside a transaction.
 * @example const { artifact, deduped } = startVersion(store, { projectId, type: 'dataset', name: 'mnist', digest, dedupe: true });
 */
export function startVersion(store: Store, input: StartVersionInput): { artifact: ArtifactRow; deduped: boolean } {
  const arts = artifactStore(store);
  const aliases = [...new Set(input.aliases ?? [])];
  aliases.forEach(checkAlias);
  const sequence = ensureSequence(store, input.projectId, input.type, input.name, input.createdAt);
  if (input.dedupe && input.digest) {
    const latest = arts.resolve(sequence.id, undefined);
    const existing = latest && arts.artifactById(latest.artifact_id);
    if (existing?.state === 'COMMITTED' && existing.digest === input.digest) {
      for (const alias of aliases) arts.setAlias(sequence.id, existing.id, alias);
      return { artifact: existing, deduped: true };
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
  });
  const stmt = store.db.prepare('INSERT OR IGNORE INTO artifact_pending_aliases (artifact_id, alias) VALUES (?, ?)');
  for (const alias of aliases) stmt.run(artifact.id, alias);
  if (input.tags) arts.setArtifactTags(artifact.id, input.tags, []);
  return { artifact, deduped: false };
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
