/**
 * Logging artifacts, the mutations the W&B SDK sends (core/pkg/artifacts/saver.go): createArtifact
 * (a PENDING version; the version the same `clientID` or `distributedID` created; or the latest one
 * when the digest is unchanged — see startVersion), createArtifactManifest / updateArtifactManifest
 * (the manifest's type, FULL / INCREMENTAL / PATCH, and its upload URL), createArtifactFiles (an upload
 * URL per file, none when the entity already holds the bytes), commitArtifact (PENDING → COMMITTED
 * with `vN`, `latest` and the aliases; see commitLoggedVersion). The rules live in
 * store/artifactVersions.ts; writes need membership of the owning entity, as the other artifact mutations.
 */
import { artifactNodeGid, decodeArtifactNodeGid } from '../artifactIds';
import { ForbiddenError, UserInputError } from '../errors';
import { artifactFileUploadUrl, artifactManifestUploadUrl } from '../http/artifactUploads';
import type { ArtifactRow, ArtifactFileRow, CollectionRow, ManifestType } from '../store/artifacts';
import { automationEvents } from '../store/automationEvents';
import { canCommitBlob, checkEntryPath, commitLoggedVersion, existingBirth, md5HexOfDigest, startVersion } from '../store/artifactVersions';
import { mimetypeOf } from '../store/runFiles';
import type { ProjectRow } from '../store/store';
import { arts, canReadArtifact, canReadProject, type ArtifactFileNode } from './artifact';
import { REGISTRY_PREFIX } from '../store/registries';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

interface CreateArtifactInput {
  entityName: string;
  projectName: string;
  artifactTypeName: string;
  artifactCollectionName?: string | null;
  artifactCollectionNames?: string[] | null;
  digest: string;
  description?: string | null;
  aliases?: { alias: string; artifactCollectionName: string }[] | null;
  tags?: { tagName: string }[] | null;
  metadata?: string | null;
  ttlDurationSeconds?: number | null;
  historyStep?: number | null;
  enableDigestDeduplication?: boolean | null;
  runName?: string | null;
  clientID?: string | null;
  sequenceClientID?: string | null;
  distributedID?: string | null;
  storageRegion?: string | null;
  clientMutationId?: string | null;
}

/** The storage regions this server keeps artifact files in (W&B's wandb.ai accepts `coreweave-us`); none named means the default. */
export const STORAGE_REGIONS: readonly string[] = ['coreweave-us'];

function checkStorageRegion(region: string | null | undefined): void {
  if (region == null || region === '' || STORAGE_REGIONS.includes(region)) return;
  throw new UserInputError(`unknown storage region ${JSON.stringify(region)}: this server stores artifacts in ${STORAGE_REGIONS.join(', ')}`);
}

interface FileSpec {
  artifactID: string;
  artifactManifestID?: string | null;
  md5: string;
  mimetype?: string | null;
  name: string;
}

function projectOf(ctx: Context, a: ArtifactRow): ProjectRow {
  return ctx.project((arts(ctx).collectionById(a.sequence_id) as CollectionRow).project_id) as ProjectRow;
}

function assertWriter(ctx: Context, project: ProjectRow): void {
  if (!ctx.canWrite(project.entity_id)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot write to ${project.entity_name}/${project.name}`);
  }
}

/** A version the viewer may write to, by `Artifact.id`. */
function writableArtifact(ctx: Context, gid: string): ArtifactRow {
  const id = decodeArtifactNodeGid('Artifact', gid);
  const a = id === undefined ? undefined : arts(ctx).artifactById(id);
  if (!a || a.state === 'DELETED' || !canReadArtifact(ctx, a)) throw new UserInputError(`artifact ${JSON.stringify(gid)} not found`);
  assertWriter(ctx, projectOf(ctx, a));
  return a;
}

function pendingArtifact(ctx: Context, gid: string): ArtifactRow {
  const a = writableArtifact(ctx, gid);
  if (a.state !== 'PENDING') throw new UserInputError(`artifact ${JSON.stringify(gid)} is ${a.state}: files and manifests go to a pending version`);
  return a;
}

/** The project to log into: an existing one the viewer can write to, or a new one (not a registry). */
function targetProject(ctx: Context, entityName: string, projectName: string): ProjectRow {
  const entity = ctx.store.entities.byName(entityName);
  if (!entity) throw new UserInputError(`entity ${entityName} not found`);
  const existing = ctx.store.projects.byName(entity.id, projectName);
  if (existing && !canReadProject(ctx, existing.id)) throw new UserInputError(`project ${entityName}/${projectName} not found`);
  if (!ctx.canWrite(entity.id)) throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot write to ${entityName}/${projectName}`);
  if (existing) return existing;
  if (projectName.startsWith(REGISTRY_PREFIX)) throw new UserInputError(`registry ${projectName} not found in ${entityName}: versions are linked into registries, not logged`);
  return ctx.store.projects.insert({ entityId: entity.id, name: projectName, createdBy: ctx.viewer.id });
}

function checkMetadata(metadata: string | null | undefined): void {
  if (metadata == null) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    throw new UserInputError('metadata must be a JSON object');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError('metadata must be a JSON object');
}

/** The manifest node of a version, with its upload URL while the version is pending. */
function manifestPayload(ctx: Context, a: ArtifactRow, clientMutationId: string | null | undefined) {
  const uploadUrl = a.state === 'PENDING' ? artifactManifestUploadUrl(ctx.links, a.id) : undefined;
  return { artifactManifest: { artifact: a, uploadUrl }, clientMutationId: clientMutationId ?? null };
}

/** The committed version of the same sequence an INCREMENTAL manifest extends (none: the first version). */
function baseVersion(ctx: Context, a: ArtifactRow, gid: string | null | undefined): number | null {
  if (!gid) return null;
  const id = decodeArtifactNodeGid('Artifact', gid);
  const base = id === undefined ? undefined : arts(ctx).artifactById(id);
  if (!base || base.sequence_id !== a.sequence_id || base.state !== 'COMMITTED') {
    throw new UserInputError(`base artifact ${JSON.stringify(gid)} is not a committed version of this artifact`);
  }
  return base.id;
}

/** ArtifactManifest.id is base64 `Artifact:manifest-<artifact id>` (see artifact.ts). */
function artifactOfManifestId(gid: string): string {
  const m = /^Artifact:manifest-(\d+)$/.exec(Buffer.from(gid, 'base64').toString('utf8'));
  if (!m) throw new UserInputError(`artifact manifest ${JSON.stringify(gid)} not found`);
  return artifactNodeGid('Artifact', Number(m[1]));
}

export const ArtifactLoggingMutations: TypeResolvers = {
  createArtifact: (_: unknown, { input }: { input: CreateArtifactInput }, ctx: Context) => {
    const name = input.artifactCollectionName ?? input.artifactCollectionNames?.[0];
    if (!name) throw new UserInputError('createArtifact needs artifactCollectionName');
    checkMetadata(input.metadata);
    checkStorageRegion(input.storageRegion);
    const aliases = (input.aliases ?? []).map((al) => {
      if (al.artifactCollectionName !== name) throw new UserInputError(`alias ${al.alias} names collection ${al.artifactCollectionName}, not ${name}`);
      return al.alias;
    });
    const project = targetProject(ctx, input.entityName, input.projectName);
    let runId: number | undefined;
    if (input.runName) {
      const run = ctx.store.runs.byName(project.id, input.runName);
      if (!run) throw new UserInputError(`run ${input.entityName}/${input.projectName}/${input.runName} not found`);
      runId = run.id;
    }
    const ttl = input.ttlDurationSeconds;
    const { artifact } = ctx.store.db.transaction(() =>
      startVersion(ctx.store, {
        projectId: project.id,
        type: input.artifactTypeName,
        name,
        digest: input.digest,
        // W&B dedupes unless the client opts out.
        dedupe: input.enableDigestDeduplication !== false,
        description: input.description,
        metadata: input.metadata,
        ttlSeconds: ttl != null && ttl > 0 ? ttl : null,
        historyStep: input.historyStep,
        runId,
        userId: ctx.viewer.id,
        aliases,
        tags: (input.tags ?? []).map((t) => t.tagName),
        clientId: input.clientID,
        sequenceClientId: input.sequenceClientID,
        distributedId: input.distributedID,
      }),
    );
    return { artifact, clientMutationId: input.clientMutationId ?? null };
  },

  createArtifactManifest: (
    _: unknown,
    { input }: { input: { artifactID: string; baseArtifactID?: string | null; type: ManifestType; name: string; clientMutationId?: string | null } },
    ctx: Context,
  ) => {
    const a = writableArtifact(ctx, input.artifactID);
    if (a.state === 'PENDING') arts(ctx).setManifestType(a.id, input.type, input.type === 'INCREMENTAL' ? baseVersion(ctx, a, input.baseArtifactID) : null);
    return manifestPayload(ctx, arts(ctx).artifactById(a.id) as ArtifactRow, input.clientMutationId);
  },

  updateArtifactManifest: (
    _: unknown,
    { input }: { input: { artifactManifestID: string; baseArtifactID?: string | null; clientMutationId?: string | null } },
    ctx: Context,
  ) => {
    const a = writableArtifact(ctx, artifactOfManifestId(input.artifactManifestID));
    if (a.state === 'PENDING' && a.manifest_type === 'INCREMENTAL' && input.baseArtifactID) {
      arts(ctx).setManifestType(a.id, 'INCREMENTAL', baseVersion(ctx, a, input.baseArtifactID));
    }
    return manifestPayload(ctx, arts(ctx).artifactById(a.id) as ArtifactRow, input.clientMutationId);
  },

  createArtifactFiles: (_: unknown, { input }: { input: { artifactFiles: FileSpec[]; clientMutationId?: string | null } }, ctx: Context) => {
    const pending = new Map<string, ArtifactRow>();
    const nodes = input.artifactFiles.map((spec, i): ArtifactFileNode => {
      let a = pending.get(spec.artifactID);
      if (!a) {
        a = pendingArtifact(ctx, spec.artifactID);
        pending.set(spec.artifactID, a);
      }
      checkEntryPath(spec.name);
      const md5Hex = md5HexOfDigest(spec.md5);
      if (!md5Hex) throw new UserInputError(`file ${spec.name}: md5 must be a base64 MD5`);
      const project = projectOf(ctx, a);
      // Bytes the entity already holds are not uploaded again; they keep the version that first stored them.
      const held = canCommitBlob(ctx.store, a, project.entity_id, md5Hex);
      const birthId = held ? (existingBirth(ctx.store, project.entity_id, md5Hex) ?? a.id) : a.id;
      const row: ArtifactFileRow = {
        id: -(i + 1),
        artifact_id: a.id,
        path: spec.name,
        digest: spec.md5,
        ref: null,
        size: null,
        md5_hex: md5Hex,
        birth_artifact_id: birthId,
        extra: null,
        mimetype: spec.mimetype ?? mimetypeOf(spec.name),
      };
      return {
        artifactFile: row,
        artifact: a,
        entityName: project.entity_name,
        birthArtifact: arts(ctx).artifactById(birthId) ?? a,
        upload: held ? { url: null, headers: [] } : { url: artifactFileUploadUrl(ctx.links, a.id, md5Hex), headers: [`Content-MD5:${spec.md5}`] },
      };
    });
    const items = nodes.map((node, i) => ({ node, cursor: String(i) }));
    return { files: connection({ items, hasNextPage: false }), clientMutationId: input.clientMutationId ?? null };
  },

  commitArtifact: (_: unknown, { input }: { input: { artifactID: string; clientMutationId?: string | null } }, ctx: Context) => {
    const a = writableArtifact(ctx, input.artifactID);
    if (a.state === 'COMMITTED') return { artifact: a, clientMutationId: input.clientMutationId ?? null };
    const events = automationEvents(ctx.store);
    const before = events.aliasSnapshot(a.id);
    const committed = commitLoggedVersion(ctx.store, a, projectOf(ctx, a).entity_id);
    events.artifact({ type: 'CREATE_ARTIFACT', collectionId: committed.sequence_id, artifactId: committed.id, authorId: ctx.viewer.id });
    events.aliasesAdded(committed.id, before, ctx.viewer.id);
    return { artifact: committed, clientMutationId: input.clientMutationId ?? null };
  },
};

/** ArtifactSequence.latestArtifact: the version `latest` names (else the newest committed one). */
export const ArtifactSequenceLatest: TypeResolvers = {
  latestArtifact: (c: CollectionRow, _: unknown, ctx: Context) => {
    const m = canReadProject(ctx, c.project_id) ? arts(ctx).resolve(c.id, undefined) : undefined;
    return m ? (arts(ctx).artifactById(m.artifact_id) ?? null) : null;
  },
};
