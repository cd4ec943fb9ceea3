/**
 * Artifacts: types, collections (sequences and portfolios), versions, memberships, aliases, tags,
 * manifest entries (files) and run usage. SQL only; the rules that span nouns (permissions, alias
 * moves on link) live in the GraphQL mutations and in artifactFixtures.ts.
 * Reach it through `artifactStore(store)` (one instance per Store, created on first use).
 */
import { UserInputError } from '../errors';
import type { Db } from './db';
import type { Store } from './store';
import { storePart } from './storePart';
import { wandbTime } from './time';

export type CollectionKind = 'SEQUENCE' | 'PORTFOLIO';
export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';

export interface ArtifactTypeRow {
  id: number;
  project_id: number;
  name: string;
  description: string | null;
  created_at: string;
}

export interface CollectionRow {
  id: number;
  project_id: number;
  type_id: number;
  kind: CollectionKind;
  name: string;
  description: string | null;
  state: 'READY' | 'DELETED';
  created_at: string;
  updated_at: string;
  /** The GraphQL type (the ArtifactCollection interface resolves by it). */
  __typename: 'ArtifactSequence' | 'ArtifactPortfolio';
}

export interface ArtifactRow {
  id: number;
  sequence_id: number;
  type_id: number;
  version_index: number;
  state: ArtifactState;
  description: string | null;
  metadata: string | null;
  ttl_seconds: number | null;
  ttl_is_inherited: number;
  digest: string;
  commit_hash: string;
  size: number;
  file_count: number;
  manifest_md5_hex: string | null;
  history_step: number | null;
  created_by_run_id: number | null;
  created_by_user_id: number | null;
  created_at: string;
  updated_at: string;
  /** The client's id of this version (createArtifact `clientID`): a second createArtifact with it continues the version. */
  client_id: string | null;
  /** The id runs upsert one pending version by (createArtifact `distributedID`). */
  distributed_id: string | null;
  /** The manifest the client logs: FULL, INCREMENTAL (on `base_artifact_id`) or PATCH (merged into what earlier uploads sent). */
  manifest_type: ManifestType;
  base_artifact_id: number | null;
}

export type ManifestType = 'FULL' | 'INCREMENTAL' | 'PATCH';

export interface MembershipRow {
  id: number;
  collection_id: number;
  artifact_id: number;
  version_index: number;
  created_at: string;
}

export interface AliasRow {
  id: number;
  collection_id: number;
  artifact_id: number;
  alias: string;
}

export interface TagRow {
  id: number;
  name: string;
}

export interface ArtifactFileRow {
  id: number;
  artifact_id: number;
  path: string;
  digest: string;
  ref: string | null;
  size: number | null;
  md5_hex: string | null;
  birth_artifact_id: number | null;
  extra: string | null;
  mimetype: string | null;
}

export type NewArtifactFile = Omit<ArtifactFileRow, 'id' | 'artifact_id'>;

/** `vN`: a version, anything else an alias (as Python's alias_is_version_index). */
export function versionOf(aliasOrVersion: string): number | undefined {
  const m = /^v(\d+)$/.exec(aliasOrVersion);
  return m ? Number(m[1]) : undefined;
}

/** Alias names: no `/` or `:` (they would break `name:alias` paths), not a version, 1–128 chars. */
export function checkAlias(alias: string): void {
  if (alias.length === 0 || alias.length > 128 || /[/:]/.test(alias)) {
    throw new UserInputError(`invalid alias ${JSON.stringify(alias)}: 1–128 characters without '/' or ':'`);
  }
  if (versionOf(alias) !== undefined) throw new UserInputError(`invalid alias ${JSON.stringify(alias)}: version names (vN) are not aliases`);
}

/** Tag names as the Python client validates them. */
export function checkTag(tag: string): void {
  if (!/^[-\w]+( +[-\w]+)*$/.test(tag)) throw new UserInputError(`invalid tag ${JSON.stringify(tag)}`);
}

/** Collection (artifact) names: like project names, 1–128 chars without path separators. */
export function checkCollectionName(name: string): void {
  if (name.length === 0 || name.length > 128 || /[/:\\#?%]/.test(name)) {
    throw new UserInputError(`invalid artifact name ${JSON.stringify(name)}: 1–128 characters without / : \\ # ? %`);
  }
}

const COLLECTION =
  "SELECT c.*, CASE c.kind WHEN 'SEQUENCE' THEN 'ArtifactSequence' ELSE 'ArtifactPortfolio' END AS __typename FROM artifact_collections c";

export class ArtifactStore {
  constructor(private readonly db: Db) {}

  // ---- types

  typeById(id: number): ArtifactTypeRow | undefined {
    return this.db.prepare('SELECT * FROM artifact_types WHERE id = ?').get(id) as ArtifactTypeRow | undefined;
  }

  typeByName(projectId: number, name: string): ArtifactTypeRow | undefined {
    return this.db.prepare('SELECT * FROM artifact_types WHERE project_id = ? AND name = ?').get(projectId, name) as ArtifactTypeRow | undefined;
  }

  ensureType(projectId: number, name: string, description?: string | null, createdAt?: string): ArtifactTypeRow {
    const existing = this.typeByName(projectId, name);
    if (existing) return existing;
    if (name.length === 0 || name.length > 128 || /[/:]/.test(name)) throw new UserInputError(`invalid artifact type ${JSON.stringify(name)}`);
    return this.db
      .prepare('INSERT INTO artifact_types (project_id, name, description, created_at) VALUES (?, ?, ?, ?) RETURNING *')
      .get(projectId, name, description ?? null, createdAt ?? wandbTime()) as ArtifactTypeRow;
  }

  typesOf(projectId: number): ArtifactTypeRow[] {
    return this.db.prepare('SELECT * FROM artifact_types WHERE project_id = ? ORDER BY id').all(projectId) as ArtifactTypeRow[];
  }

  // ---- collections

  collectionById(id: number): CollectionRow | undefined {
    return this.db.prepare(`${COLLECTION} WHERE c.id = ?`).get(id) as CollectionRow | undefined;
  }

  /** A live (not deleted) collection by name. */
  collectionByName(projectId: number, name: string): CollectionRow | undefined {
    return this.db.prepare(`${COLLECTION} WHERE c.project_id = ? AND c.name = ? AND c.state = 'READY'`).get(projectId, name) as
      | CollectionRow
      | undefined;
  }

  /** Live collections of projects (and optionally one type), oldest first. */
  collections(where: { projectIds: readonly number[]; typeId?: number | undefined; kinds?: readonly CollectionKind[] | undefined }): CollectionRow[] {
    if (where.projectIds.length === 0) return [];
    const params: (string | number)[] = [...where.projectIds];
    let sql = `${COLLECTION} WHERE c.state = 'READY' AND c.project_id IN (${where.projectIds.map(() => '?').join(', ')})`;
    if (where.typeId !== undefined) {
      sql += ' AND c.type_id = ?';
      params.push(where.typeId);
    }
    if (where.kinds && where.kinds.length > 0) {
      sql += ` AND c.kind IN (${where.kinds.map(() => '?').join(', ')})`;
      params.push(...where.kinds);
    }
    return this.db.prepare(`${sql} ORDER BY c.id`).all(...params) as CollectionRow[];
  }

  createCollection(input: { projectId: number; typeId: number; kind: CollectionKind; name: string; description?: string | null; createdAt?: string }): CollectionRow {
    checkCollectionName(input.name);
    if (this.collectionByName(input.projectId, input.name)) throw new UserInputError(`an artifact collection named ${input.name} already exists in this project`);
    const now = input.createdAt ?? wandbTime();
    const { id } = this.db
      .prepare(
        'INSERT INTO artifact_collections (project_id, type_id, kind, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(input.projectId, input.typeId, input.kind, input.name, input.description ?? null, now, now) as { id: number };
    return this.collectionById(id) as CollectionRow;
  }

  updateCollection(id: number, patch: { name?: string | null | undefined; description?: string | null | undefined; typeId?: number | undefined }): CollectionRow {
    const current = this.collectionById(id);
    if (!current) throw new UserInputError(`no artifact collection ${id}`);
    if (patch.name != null && patch.name !== current.name) {
      checkCollectionName(patch.name);
      if (this.collectionByName(current.project_id, patch.name)) throw new UserInputError(`an artifact collection named ${patch.name} already exists in this project`);
    }
    this.db
      .prepare('UPDATE artifact_collections SET name = ?, description = ?, type_id = ?, updated_at = ? WHERE id = ?')
      .run(patch.name ?? current.name, patch.description ?? current.description, patch.typeId ?? current.type_id, wandbTime(), id);
    if (patch.typeId !== undefined && current.kind === 'SEQUENCE') {
      this.db.prepare('UPDATE artifacts SET type_id = ? WHERE sequence_id = ?').run(patch.typeId, id);
    }
    return this.collectionById(id) as CollectionRow;
  }

  /** Marks a collection deleted; a sequence takes its versions with it, a portfolio only its links. */
  deleteCollection(id: number): CollectionRow {
    const c = this.collectionById(id);
    if (!c) throw new UserInputError(`no artifact collection ${id}`);
    if (c.kind === 'SEQUENCE') {
      for (const { id: artifactId } of this.db.prepare('SELECT id FROM artifacts WHERE sequence_id = ?').all(id) as { id: number }[]) {
        this.deleteArtifact(artifactId);
      }
    }
    this.db.prepare('DELETE FROM artifact_aliases WHERE collection_id = ?').run(id);
    this.db.prepare('DELETE FROM artifact_memberships WHERE collection_id = ?').run(id);
    // The row stays (ids remain stable) but frees its name for a new collection.
    this.db
      .prepare("UPDATE artifact_collections SET state = 'DELETED', name = name || ':deleted:' || id, updated_at = ? WHERE id = ?")
      .run(wandbTime(), id);
    return this.collectionById(id) as CollectionRow;
  }

  collectionTags(collectionId: number): TagRow[] {
    return this.db.prepare('SELECT id, name FROM artifact_collection_tags WHERE collection_id = ? ORDER BY id').all(collectionId) as TagRow[];
  }

  addCollectionTags(collectionId: number, names: readonly string[]): TagRow[] {
    names.forEach(checkTag);
    for (const name of names) this.db.prepare('INSERT OR IGNORE INTO artifact_collection_tags (collection_id, name) VALUES (?, ?)').run(collectionId, name);
    return this.collectionTags(collectionId).filter((t) => names.includes(t.name));
  }

  removeCollectionTags(collectionId: number, names: readonly string[]): void {
    for (const name of names) this.db.prepare('DELETE FROM artifact_collection_tags WHERE collection_id = ? AND name = ?').run(collectionId, name);
  }

  // ---- artifacts

  artifactById(id: number): ArtifactRow | undefined {
    return this.db.prepare('SELECT * FROM artifacts WHERE id = ?').get(id) as ArtifactRow | undefined;
  }

  /**
   * A new version at the end of its sequence (indexes are never reused, even after deletes). A PENDING
   * one has no `vN` until assignVersion: it holds the placeholder index -id meanwhile.
   */
  insertArtifact(input: {
    sequenceId: number;
    typeId: number;
    state: ArtifactState;
    /** The manifest digest (claimed by the client while PENDING); set for real by setContents. */
    digest?: string | undefined;
    description?: string | null | undefined;
    metadata?: string | null | undefined;
    ttlSeconds?: number | null | undefined;
    historyStep?: number | null | undefined;
    createdByRunId?: number | null | undefined;
    createdByUserId?: number | null | undefined;
    createdAt?: string | undefined;
    clientId?: string | null | undefined;
    distributedId?: string | null | undefined;
  }): ArtifactRow {
    const pending = input.state === 'PENDING';
    const next = pending ? -((this.db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS n FROM artifacts').get() as { n: number }).n) : this.nextVersion(input.sequenceId);
    const now = input.createdAt ?? wandbTime();
    const ttl = input.ttlSeconds ?? null;
    const { id } = this.db
      .prepare(
        `INSERT INTO artifacts (sequence_id, type_id, version_index, state, description, metadata, ttl_seconds, ttl_is_inherited,
           digest, commit_hash, size, file_count, history_step, created_by_run_id, created_by_user_id, created_at, updated_at, client_id, distributed_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        input.sequenceId,
        input.typeId,
        next,
        input.state,
        input.description ?? null,
        input.metadata ?? null,
        ttl,
        ttl === null ? 1 : 0,
        input.digest ?? '',
        input.historyStep ?? null,
        input.createdByRunId ?? null,
        input.createdByUserId ?? null,
        now,
        now,
        input.clientId || null,
        input.distributedId || null,
      ) as { id: number };
    // The placeholder is -id whatever MAX(id) said (ids of deleted rows may be reused).
    if (pending && next !== -id) this.db.prepare('UPDATE artifacts SET version_index = ? WHERE id = ?').run(-id, id);
    this.addMembership(input.sequenceId, id, pending ? -id : next, now);
    return this.artifactById(id) as ArtifactRow;
  }

  /** The next `vN` of a sequence (placeholders of pending versions are negative). */
  private nextVersion(sequenceId: number): number {
    return (
      this.db.prepare('SELECT COALESCE(MAX(version_index) + 1, 0) AS next FROM artifacts WHERE sequence_id = ? AND version_index >= 0').get(sequenceId) as {
        next: number;
      }
    ).next;
  }

  /** PENDING → COMMITTED with the next `vN` of its sequence (in the sequence membership too). */
  assignVersion(id: number): ArtifactRow {
    const a = this.artifactById(id);
    if (!a) throw new UserInputError(`no artifact ${id}`);
    const next = this.nextVersion(a.sequence_id);
    this.db.prepare("UPDATE artifacts SET version_index = ?, state = 'COMMITTED', updated_at = ? WHERE id = ?").run(next, wandbTime(), id);
    this.db.prepare('UPDATE artifact_memberships SET version_index = ? WHERE collection_id = ? AND artifact_id = ?').run(next, a.sequence_id, id);
    return this.artifactById(id) as ArtifactRow;
  }

  /** Records the manifest and its totals, and the state (COMMITTED once the files are in). */
  setContents(id: number, c: { digest: string; commitHash: string; size: number; fileCount: number; manifestMd5Hex: string; state: ArtifactState }): void {
    this.db
      .prepare('UPDATE artifacts SET digest = ?, commit_hash = ?, size = ?, file_count = ?, manifest_md5_hex = ?, state = ?, updated_at = ? WHERE id = ?')
      .run(c.digest, c.commitHash, c.size, c.fileCount, c.manifestMd5Hex, c.state, wandbTime(), id);
  }

  /** The version of a sequence a client created with `clientId` (createArtifact `clientID`), not deleted. */
  artifactByClientId(sequenceId: number, clientId: string): ArtifactRow | undefined {
    return this.db
      .prepare("SELECT * FROM artifacts WHERE sequence_id = ? AND client_id = ? AND state != 'DELETED' ORDER BY id LIMIT 1")
      .get(sequenceId, clientId) as ArtifactRow | undefined;
  }

  /** The pending version of a sequence that runs upsert under `distributedId`. */
  pendingByDistributedId(sequenceId: number, distributedId: string): ArtifactRow | undefined {
    return this.db
      .prepare("SELECT * FROM artifacts WHERE sequence_id = ? AND distributed_id = ? AND state = 'PENDING' ORDER BY id LIMIT 1")
      .get(sequenceId, distributedId) as ArtifactRow | undefined;
  }

  /** The digest a pending version claims (a continuing createArtifact may claim a new one). */
  setClaimedDigest(id: number, digest: string): void {
    this.db.prepare('UPDATE artifacts SET digest = ?, updated_at = ? WHERE id = ?').run(digest, wandbTime(), id);
  }

  /** How a pending version's manifest is logged (createArtifactManifest `type` and `baseArtifactID`). */
  setManifestType(id: number, type: ManifestType, baseArtifactId: number | null): void {
    this.db.prepare('UPDATE artifacts SET manifest_type = ?, base_artifact_id = ?, updated_at = ? WHERE id = ?').run(type, baseArtifactId, wandbTime(), id);
  }

  /** Records the sequenceClientID a sequence was first logged with. */
  setCollectionClientId(collectionId: number, clientId: string): void {
    this.db.prepare('UPDATE artifact_collections SET client_id = ? WHERE id = ? AND client_id IS NULL').run(clientId, collectionId);
  }

  /** The uploaded manifest of a pending version (read at commit; served as its currentManifest meanwhile). */
  setManifestBlob(id: number, manifestMd5Hex: string): void {
    this.db.prepare('UPDATE artifacts SET manifest_md5_hex = ?, updated_at = ? WHERE id = ?').run(manifestMd5Hex, wandbTime(), id);
  }

  /** updateArtifact: null/undefined leaves a field; ttl -1 inherits, -2 disables, else seconds. */
  updateArtifact(id: number, patch: { description?: string | null | undefined; metadata?: string | null | undefined; ttlDurationSeconds?: number | null | undefined }): ArtifactRow {
    const a = this.artifactById(id);
    if (!a) throw new UserInputError(`no artifact ${id}`);
    let ttl = a.ttl_seconds;
    let inherited = a.ttl_is_inherited;
    if (patch.ttlDurationSeconds != null) {
      const t = patch.ttlDurationSeconds;
      if (t === -1) [ttl, inherited] = [null, 1];
      else if (t === -2) [ttl, inherited] = [null, 0];
      else if (t > 0) [ttl, inherited] = [t, 0];
      else throw new UserInputError(`invalid ttlDurationSeconds ${t}: use seconds > 0, -1 (inherit) or -2 (disabled)`);
    }
    this.db
      .prepare('UPDATE artifacts SET description = ?, metadata = ?, ttl_seconds = ?, ttl_is_inherited = ?, updated_at = ? WHERE id = ?')
      .run(patch.description ?? a.description, patch.metadata ?? a.metadata, ttl, inherited, wandbTime(), id);
    return this.artifactById(id) as ArtifactRow;
  }

  /** State DELETED; its aliases and links go (the sequence membership stays so `vN` paths still explain themselves). */
  deleteArtifact(id: number): void {
    const collections = this.membershipsOfArtifact(id).map((m) => m.collection_id);
    this.db.prepare('DELETE FROM artifact_aliases WHERE artifact_id = ?').run(id);
    this.db
      .prepare("DELETE FROM artifact_memberships WHERE artifact_id = ? AND collection_id IN (SELECT id FROM artifact_collections WHERE kind = 'PORTFOLIO')")
      .run(id);
    this.db.prepare("UPDATE artifacts SET state = 'DELETED', updated_at = ? WHERE id = ?").run(wandbTime(), id);
    collections.forEach((c) => this.restoreLatest(c));
  }

  artifactTags(artifactId: number): TagRow[] {
    return this.db.prepare('SELECT id, name FROM artifact_tags WHERE artifact_id = ? ORDER BY id').all(artifactId) as TagRow[];
  }

  setArtifactTags(artifactId: number, add: readonly string[], remove: readonly string[]): void {
    add.forEach(checkTag);
    for (const name of add) this.db.prepare('INSERT OR IGNORE INTO artifact_tags (artifact_id, name) VALUES (?, ?)').run(artifactId, name);
    for (const name of remove) this.db.prepare('DELETE FROM artifact_tags WHERE artifact_id = ? AND name = ?').run(artifactId, name);
  }

  // ---- memberships and aliases

  addMembership(collectionId: number, artifactId: number, versionIndex?: number, createdAt?: string): MembershipRow {
    const existing = this.membership(collectionId, artifactId);
    if (existing) return existing;
    const index =
      versionIndex ??
      (this.db.prepare('SELECT COALESCE(MAX(version_index) + 1, 0) AS next FROM artifact_memberships WHERE collection_id = ?').get(collectionId) as { next: number })
        .next;
    return this.db
      .prepare('INSERT INTO artifact_memberships (collection_id, artifact_id, version_index, created_at) VALUES (?, ?, ?, ?) RETURNING *')
      .get(collectionId, artifactId, index, createdAt ?? wandbTime()) as MembershipRow;
  }

  removeMembership(collectionId: number, artifactId: number): boolean {
    this.db.prepare('DELETE FROM artifact_aliases WHERE collection_id = ? AND artifact_id = ?').run(collectionId, artifactId);
    const removed = this.db.prepare('DELETE FROM artifact_memberships WHERE collection_id = ? AND artifact_id = ?').run(collectionId, artifactId).changes > 0;
    this.restoreLatest(collectionId);
    return removed;
  }

  /** After a version leaves a collection, `latest` goes back to the newest remaining one (as on W&B). */
  restoreLatest(collectionId: number): void {
    if (this.db.prepare("SELECT 1 FROM artifact_aliases WHERE collection_id = ? AND alias = 'latest'").get(collectionId)) return;
    const newest = this.membershipsOf(collectionId)[0];
    if (newest) this.db.prepare("INSERT INTO artifact_aliases (collection_id, artifact_id, alias) VALUES (?, ?, 'latest')").run(collectionId, newest.artifact_id);
  }

  membershipById(id: number): MembershipRow | undefined {
    return this.db.prepare('SELECT * FROM artifact_memberships WHERE id = ?').get(id) as MembershipRow | undefined;
  }

  membership(collectionId: number, artifactId: number): MembershipRow | undefined {
    return this.db.prepare('SELECT * FROM artifact_memberships WHERE collection_id = ? AND artifact_id = ?').get(collectionId, artifactId) as
      | MembershipRow
      | undefined;
  }

  /** Memberships of a collection whose artifacts are committed (not pending, not deleted), newest version first. */
  membershipsOf(collectionId: number): MembershipRow[] {
    return this.db
      .prepare(
        `SELECT m.* FROM artifact_memberships m JOIN artifacts a ON a.id = m.artifact_id
         WHERE m.collection_id = ? AND a.state = 'COMMITTED' ORDER BY m.version_index DESC`,
      )
      .all(collectionId) as MembershipRow[];
  }

  /** Every live collection an artifact belongs to (its sequence first). */
  membershipsOfArtifact(artifactId: number): MembershipRow[] {
    return this.db
      .prepare(
        `SELECT m.* FROM artifact_memberships m JOIN artifact_collections c ON c.id = m.collection_id
         WHERE m.artifact_id = ? AND c.state = 'READY' ORDER BY (c.kind = 'PORTFOLIO'), m.id`,
      )
      .all(artifactId) as MembershipRow[];
  }

  /**
   * The membership `aliasOrVersion` names in a collection: `vN` by version, else by alias; none or ""
   * means `latest` if that alias exists, else the newest version. Only committed artifacts resolve.
   */
  resolve(collectionId: number, aliasOrVersion: string | undefined): MembershipRow | undefined {
    const live = "JOIN artifacts a ON a.id = m.artifact_id AND a.state = 'COMMITTED'";
    if (aliasOrVersion) {
      const version = versionOf(aliasOrVersion);
      if (version !== undefined) {
        return this.db.prepare(`SELECT m.* FROM artifact_memberships m ${live} WHERE m.collection_id = ? AND m.version_index = ?`).get(collectionId, version) as
          | MembershipRow
          | undefined;
      }
      return this.db
        .prepare(
          `SELECT m.* FROM artifact_aliases al JOIN artifact_memberships m ON m.collection_id = al.collection_id AND m.artifact_id = al.artifact_id ${live}
           WHERE al.collection_id = ? AND al.alias = ?`,
        )
        .get(collectionId, aliasOrVersion) as MembershipRow | undefined;
    }
    return this.resolve(collectionId, 'latest') ?? this.membershipsOf(collectionId)[0];
  }

  aliasesOf(collectionId: number, artifactId: number): AliasRow[] {
    return this.db.prepare('SELECT * FROM artifact_aliases WHERE collection_id = ? AND artifact_id = ? ORDER BY id').all(collectionId, artifactId) as AliasRow[];
  }

  aliasesOfArtifact(artifactId: number): AliasRow[] {
    return this.db.prepare('SELECT * FROM artifact_aliases WHERE artifact_id = ? ORDER BY id').all(artifactId) as AliasRow[];
  }

  aliasesOfCollection(collectionId: number): AliasRow[] {
    return this.db.prepare('SELECT * FROM artifact_aliases WHERE collection_id = ? ORDER BY id').all(collectionId) as AliasRow[];
  }

  /** Points `alias` of a collection at an artifact (moving it from another version: aliases are unique per collection). */
  setAlias(collectionId: number, artifactId: number, alias: string): AliasRow {
    checkAlias(alias);
    if (!this.membership(collectionId, artifactId)) throw new UserInputError(`artifact ${artifactId} is not in collection ${collectionId}`);
    this.db.prepare('DELETE FROM artifact_aliases WHERE collection_id = ? AND alias = ? AND artifact_id != ?').run(collectionId, alias, artifactId);
    this.db.prepare('INSERT OR IGNORE INTO artifact_aliases (collection_id, artifact_id, alias) VALUES (?, ?, ?)').run(collectionId, artifactId, alias);
    return this.db.prepare('SELECT * FROM artifact_aliases WHERE collection_id = ? AND alias = ?').get(collectionId, alias) as AliasRow;
  }

  removeAlias(collectionId: number, artifactId: number, alias: string): void {
    this.db.prepare('DELETE FROM artifact_aliases WHERE collection_id = ? AND artifact_id = ? AND alias = ?').run(collectionId, artifactId, alias);
  }

  // ---- files (manifest entries)

  insertFiles(artifactId: number, files: readonly NewArtifactFile[]): void {
    const stmt = this.db.prepare(
      'INSERT INTO artifact_files (artifact_id, path, digest, ref, size, md5_hex, birth_artifact_id, extra, mimetype) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const f of files) stmt.run(artifactId, f.path, f.digest, f.ref, f.size, f.md5_hex, f.birth_artifact_id, f.extra, f.mimetype);
  }

  /** One page of an artifact's entries in id (manifest) order; `names` keeps only those paths. */
  files(artifactId: number, opts: { names?: readonly string[] | null | undefined; afterId?: number | undefined; limit: number }): ArtifactFileRow[] {
    const params: (string | number)[] = [artifactId, opts.afterId ?? 0];
    let names = '';
    if (opts.names) {
      if (opts.names.length === 0) return [];
      names = `AND path IN (${opts.names.map(() => '?').join(', ')})`;
      params.push(...opts.names);
    }
    params.push(opts.limit);
    return this.db.prepare(`SELECT * FROM artifact_files WHERE artifact_id = ? AND id > ? ${names} ORDER BY id LIMIT ?`).all(...params) as ArtifactFileRow[];
  }

  fileCount(artifactId: number, names?: readonly string[] | null): number {
    if (names) return this.files(artifactId, { names, limit: names.length + 1 }).length;
    return (this.db.prepare('SELECT COUNT(*) AS n FROM artifact_files WHERE artifact_id = ?').get(artifactId) as { n: number }).n;
  }

  fileByPath(artifactId: number, path: string): ArtifactFileRow | undefined {
    return this.db.prepare('SELECT * FROM artifact_files WHERE artifact_id = ? AND path = ?').get(artifactId, path) as ArtifactFileRow | undefined;
  }

  /** Projects (ids) of an entity holding a live artifact with this blob: who may fetch it by digest. */
  projectsHoldingBlob(entityId: number, md5Hex: string): number[] {
    return (
      this.db
        .prepare(
          `SELECT DISTINCT c.project_id AS id FROM artifact_files f JOIN artifacts a ON a.id = f.artifact_id
           JOIN artifact_memberships m ON m.artifact_id = a.id JOIN artifact_collections c ON c.id = m.collection_id
           JOIN projects p ON p.id = c.project_id
           WHERE f.md5_hex = ? AND p.entity_id = ? AND a.state != 'DELETED'`,
        )
        .all(md5Hex, entityId) as { id: number }[]
    ).map((r) => r.id);
  }

  // ---- runs

  addUsage(runId: number, artifactId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO artifact_usage (run_id, artifact_id, used_at) VALUES (?, ?, ?)').run(runId, artifactId, wandbTime());
  }

  /** Artifacts a run used (inputArtifacts), in the order it used them. */
  inputsOf(runId: number): ArtifactRow[] {
    return this.db
      .prepare("SELECT a.* FROM artifact_usage u JOIN artifacts a ON a.id = u.artifact_id WHERE u.run_id = ? AND a.state != 'DELETED' ORDER BY u.used_at, a.id")
      .all(runId) as ArtifactRow[];
  }

  /** Notes that a run logged a version, whether it created it or its createArtifact was deduplicated to it. */
  addOutput(runId: number, artifactId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO artifact_outputs (run_id, artifact_id) VALUES (?, ?)').run(runId, artifactId);
  }

  /** Artifacts a run logged (outputArtifacts): created by it or deduplicated to, oldest first. */
  outputsOf(runId: number): ArtifactRow[] {
    return this.db
      .prepare(
        `SELECT * FROM artifacts WHERE state != 'DELETED'
           AND (created_by_run_id = ? OR id IN (SELECT artifact_id FROM artifact_outputs WHERE run_id = ?)) ORDER BY id`,
      )
      .all(runId, runId) as ArtifactRow[];
  }

  /** Run ids that used an artifact. */
  usersOf(artifactId: number): number[] {
    return (this.db.prepare('SELECT run_id FROM artifact_usage WHERE artifact_id = ? ORDER BY used_at, run_id').all(artifactId) as { run_id: number }[]).map(
      (r) => r.run_id,
    );
  }

  // ---- public blobs (targets of http references)

  makePublic(md5Hex: string): void {
    this.db.prepare('INSERT OR IGNORE INTO public_blobs (md5_hex) VALUES (?)').run(md5Hex);
  }

  isPublic(md5Hex: string): boolean {
    return this.db.prepare('SELECT 1 FROM public_blobs WHERE md5_hex = ?').get(md5Hex) !== undefined;
  }

  // ---- registries (projects' allowAllArtifactTypesInRegistry)

  allowAllTypes(projectId: number): boolean {
    const row = this.db.prepare('SELECT allow_all_artifact_types AS v FROM projects WHERE id = ?').get(projectId) as { v: number } | undefined;
    return row?.v === 1;
  }

  setAllowAllTypes(projectId: number, allow: boolean): void {
    this.db.prepare('UPDATE projects SET allow_all_artifact_types = ? WHERE id = ?').run(allow ? 1 : 0, projectId);
  }
}

/**
 * The artifact tables of a Store (kept beside it rather than inside, so the Store class stays as it is).
 * @example artifactStore(store).collectionByName(project.id, 'mnist-dataset')
 */
export const artifactStore: (store: Store) => ArtifactStore = storePart((store) => new ArtifactStore(store.db));
