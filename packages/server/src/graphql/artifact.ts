/**
 * Artifact types over GraphQL: Artifact, ArtifactType, the two ArtifactCollection kinds
 * (ArtifactSequence, ArtifactPortfolio), ArtifactCollectionMembership, ArtifactAlias, Tag,
 * ArtifactManifest and the artifact side of File.
 * Nodes are store rows; collection rows carry `__typename`, which resolves the interface.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { artifactNodeGid } from '../artifactIds';
import { LOCAL_STORAGE_ORIGIN } from '../store/artifactFixtures';
import {
  artifactStore,
  type AliasRow,
  type ArtifactFileRow,
  type ArtifactRow,
  type ArtifactStore,
  type ArtifactTypeRow,
  type CollectionKind,
  type CollectionRow,
  type MembershipRow,
  type TagRow,
} from '../store/artifacts';
import { decodeCursor, encodeCursor, pageSize } from '../store/cursor';
import type { ProjectRow } from '../store/store';
import { matches, pageRows, parseFilter, parseOrder, type FilterDoc } from './artifactPaging';
import { connection } from './connection';
import type { Context } from './context';
import type { FieldResolver, TypeResolvers } from './resolver';

export const arts = (ctx: Context): ArtifactStore => artifactStore(ctx.store);

/** Paging arguments every connection here takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

// ---- visibility

const readable = new WeakMap<Context, Map<number, boolean>>();

/** Whether the viewer may read a project; asked once per project and request (listings ask it per node). */
export function canReadProject(ctx: Context, projectId: number): boolean {
  let seen = readable.get(ctx);
  if (!seen) readable.set(ctx, (seen = new Map()));
  let ok = seen.get(projectId);
  if (ok === undefined) {
    const project = ctx.project(projectId);
    ok = project !== undefined && ctx.store.canRead(ctx.viewer, project);
    seen.set(projectId, ok);
  }
  return ok;
}

/** Readable when any collection holding it is (a registry link makes a private source readable). */
export function canReadArtifact(ctx: Context, a: ArtifactRow): boolean {
  return arts(ctx)
    .membershipsOfArtifact(a.id)
    .some((m) => {
      const c = arts(ctx).collectionById(m.collection_id);
      return c !== undefined && canReadProject(ctx, c.project_id);
    });
}

// ---- filter documents (the fields registry and version filters may name)

export function projectDoc(p: ProjectRow): FilterDoc {
  return { id: [p.id, String(p.id)], name: p.name, entity_id: p.entity_id, description: p.description, created_at: p.created_at, updated_at: p.updated_at };
}

export function collectionDoc(ctx: Context, c: CollectionRow): FilterDoc {
  const id = [c.id, artifactNodeGid('ArtifactCollection', c.id)];
  const tags = arts(ctx)
    .collectionTags(c.id)
    .map((t) => t.name);
  return {
    id,
    collection_id: id,
    artifact_collection_id: id,
    name: c.name,
    collection_name: c.name,
    artifact_collection_name: c.name,
    tag: tags,
    tags,
    description: c.description,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function versionDoc(ctx: Context, m: MembershipRow, a: ArtifactRow): FilterDoc {
  const id = [a.id, artifactNodeGid('Artifact', a.id)];
  const tags = arts(ctx)
    .artifactTags(a.id)
    .map((t) => t.name);
  const aliases = arts(ctx)
    .aliasesOf(m.collection_id, a.id)
    .map((al) => al.alias);
  let metadata: unknown = {};
  try {
    metadata = a.metadata ? (JSON.parse(a.metadata) as unknown) : {};
  } catch {
    metadata = {};
  }
  const version = [`v${m.version_index}`, m.version_index];
  return {
    id,
    artifact_id: id,
    version,
    version_index: version,
    tag: tags,
    tags,
    alias: aliases,
    aliases,
    metadata,
    artifact_metadata: metadata,
    state: a.state,
    created_at: a.created_at,
    artifact_created_at: a.created_at,
    updated_at: a.updated_at,
    artifact_size: a.size,
    size: a.size,
  };
}

// ---- connections

const COLLECTION_ORDER = { name: 'name', createdAt: 'created_at', created_at: 'created_at', updatedAt: 'updated_at', updated_at: 'updated_at', id: 'id' };

/** Collections of projects (one type, some kinds), filtered, ordered (default oldest first) and paged, with totalCount. */
export function collectionConnection(
  ctx: Context,
  where: { projectIds: number[]; typeId?: number; kinds?: readonly CollectionKind[] | null },
  args: PageArgs & { filters?: string | null; order?: string | null },
) {
  const filter = parseFilter(args.filters);
  const order = parseOrder(args.order, COLLECTION_ORDER) ?? { field: 'id', desc: false };
  const rows = arts(ctx)
    .collections({ projectIds: where.projectIds, typeId: where.typeId, kinds: where.kinds ?? undefined })
    .filter((c) => matches(collectionDoc(ctx, c), filter));
  const page = pageRows(rows, (c) => (order.field === 'id' ? c.id : (c[order.field as keyof CollectionRow] as string)), (c) => c.id, order.desc, args);
  return { ...connection(page, args.after), totalCount: page.totalCount };
}

const VERSION_ORDER = {
  versionIndex: 'version_index',
  version_index: 'version_index',
  version: 'version_index',
  createdAt: 'created_at',
  created_at: 'created_at',
  updatedAt: 'updated_at',
  updated_at: 'updated_at',
  id: 'version_index',
};

/** The versions of one collection (default newest first), as VersionedArtifactConnection; none when not `readable`. */
export function versionConnection(ctx: Context, c: CollectionRow, args: PageArgs & { filters?: string | null; order?: string | null }, readable = true) {
  const filter = parseFilter(args.filters);
  const order = parseOrder(args.order, VERSION_ORDER) ?? { field: 'version_index', desc: true };
  const rows = (readable ? arts(ctx).membershipsOf(c.id) : [])
    .map((m) => ({ m, a: arts(ctx).artifactById(m.artifact_id) as ArtifactRow }))
    .filter(({ m, a }) => matches(versionDoc(ctx, m, a), filter));
  const page = pageRows(
    rows,
    ({ m, a }) => (order.field === 'version_index' ? m.version_index : (a[order.field as keyof ArtifactRow] as string)),
    ({ m }) => m.version_index,
    order.desc,
    args,
  );
  return {
    totalCount: page.totalCount,
    pageInfo: connection(page, args.after).pageInfo,
    edges: page.items.map(({ node, cursor }) => ({ version: `v${node.m.version_index}`, node: node.a, cursor })),
  };
}

/** A plain list as a connection with totalCount (run artifacts, usedBy, memberships). */
export function listConnection<T>(rows: readonly T[], id: (row: T) => number, args: PageArgs) {
  const page = pageRows(rows, () => 0, id, false, args, 10_000);
  return { ...connection(page, args.after), totalCount: page.totalCount };
}

// ---- File (artifact entries and manifests)

/** A File node for an artifact entry, or for an artifact's manifest. */
export interface ArtifactFileNode {
  artifactFile: ArtifactFileRow | 'manifest';
  artifact: ArtifactRow;
  /** The entity of the path the file was reached through (its URL names it). */
  entityName: string;
  /** Set by the logging mutations (createArtifactFiles, createArtifactManifest): where to PUT the bytes, null when not needed. */
  upload?: { url: string | null; headers: string[] };
  /** The artifact that first stored these bytes (createArtifactFiles' `artifact`); default `artifact`. */
  birthArtifact?: ArtifactRow;
}

export const isArtifactFileNode = (f: unknown): f is ArtifactFileNode => typeof f === 'object' && f !== null && 'artifactFile' in f;

/** Reference URIs made by the seed name the storage origin by a placeholder (see LOCAL_STORAGE_ORIGIN). */
export const resolveRef = (ctx: Context, ref: string): string =>
  ref.startsWith(LOCAL_STORAGE_ORIGIN) ? ctx.links.storageOrigin + ref.slice(LOCAL_STORAGE_ORIGIN.length) : ref;

const segment = encodeURIComponent;

function artifactFileUrl(ctx: Context, f: ArtifactFileNode): string {
  if (f.artifactFile === 'manifest') return ctx.links.signedGet(`/manifest/${f.artifact.manifest_md5_hex ?? ''}`);
  const row = f.artifactFile;
  if (row.ref !== null) return resolveRef(ctx, row.ref);
  // W&B's V1 fallback download URL: needs the API key, like Python's authenticated fallback.
  return `${ctx.links.apiOrigin}/artifacts/${segment(f.entityName)}/${row.md5_hex ?? ''}`;
}

function artifactFileDirectUrl(ctx: Context, f: ArtifactFileNode): string {
  if (f.artifactFile === 'manifest') return ctx.links.signedGet(`/manifest/${f.artifact.manifest_md5_hex ?? ''}`);
  const row = f.artifactFile;
  if (row.ref !== null) return resolveRef(ctx, row.ref);
  return ctx.links.signedGet(`/artifact-blob/${row.md5_hex ?? ''}`);
}

const ArtifactFileFields: Record<string, (f: ArtifactFileNode, ctx: Context) => unknown> = {
  id: (f) => Buffer.from(`File:artifact:${f.artifactFile === 'manifest' ? `manifest-${f.artifact.id}` : f.artifactFile.id}`, 'utf8').toString('base64'),
  name: (f) => (f.artifactFile === 'manifest' ? 'wandb_manifest.json' : f.artifactFile.path),
  displayName: (f) => (f.artifactFile === 'manifest' ? 'wandb_manifest.json' : f.artifactFile.path),
  url: (f, ctx) => artifactFileUrl(ctx, f),
  directUrl: (f, ctx) => artifactFileDirectUrl(ctx, f),
  sizeBytes: (f, ctx) => (f.artifactFile === 'manifest' ? (ctx.store.blobs.size(f.artifact.manifest_md5_hex ?? '') ?? 0) : (f.artifactFile.size ?? 0)),
  storagePath: (f, ctx) => {
    if (f.artifactFile === 'manifest') return `wandb_artifacts/manifests/${f.artifact.manifest_md5_hex ?? ''}`;
    return f.artifactFile.ref !== null ? resolveRef(ctx, f.artifactFile.ref) : `wandb_artifacts/${f.entityName}/${f.artifactFile.md5_hex ?? ''}`;
  },
  mimetype: (f) => (f.artifactFile === 'manifest' ? 'application/json' : f.artifactFile.mimetype),
  updatedAt: (f) => f.artifact.updated_at,
  digest: (f) => (f.artifactFile === 'manifest' ? f.artifact.digest : f.artifactFile.digest),
  md5: (f) => {
    if (f.artifactFile === 'manifest') return f.artifact.manifest_md5_hex && Buffer.from(f.artifact.manifest_md5_hex, 'hex').toString('base64');
    return f.artifactFile.ref === null ? f.artifactFile.digest : null;
  },
  uploadUrl: (f) => f.upload?.url ?? null,
  uploadHeaders: (f) => f.upload?.headers ?? [],
  uploadMultipartUrls: () => null,
  artifact: (f) => f.birthArtifact ?? f.artifact,
};

/** Run-file resolvers for the fields only artifact files had before (so one File type serves both). */
const RUN_FILE_EXTRAS: Record<string, FieldResolver> = {
  displayName: ((f: { path: { name: string } }) => f.path.name) as FieldResolver,
  storagePath: (() => null) as FieldResolver,
  digest: ((f: { row?: { md5: string } }) => f.row?.md5 ?? null) as FieldResolver,
  uploadHeaders: (() => []) as FieldResolver,
};

/**
 * The File resolvers for both kinds of file: artifact nodes (ArtifactFileNode) here, run files by `runFile`.
 * @example ['File', withArtifactFiles(File)] in RESOLVERS
 */
export function withArtifactFiles(runFile: TypeResolvers): TypeResolvers {
  const out: TypeResolvers = {};
  for (const name of new Set([...Object.keys(runFile), ...Object.keys(ArtifactFileFields)])) {
    const run = runFile[name] ?? RUN_FILE_EXTRAS[name];
    const artifact = ArtifactFileFields[name];
    out[name] = ((src: unknown, args: never, ctx: Context, info: GraphQLResolveInfo) => {
      if (isArtifactFileNode(src)) return artifact ? artifact(src, ctx) : null;
      return run ? run(src as never, args, ctx, info) : (src as Record<string, unknown>)[name];
    }) as unknown as FieldResolver;
  }
  return out;
}

/** Entries of an artifact as a FileConnection (keyset on entry id), optionally only `names`. */
export function artifactFilesConnection(ctx: Context, a: ArtifactRow, entityName: string, args: PageArgs & { names?: readonly string[] | null }) {
  const size = pageSize(args.first);
  const afterId = args.after ? decodeCursor(args.after, 0).id : 0;
  const rows = arts(ctx).files(a.id, { names: args.names, afterId, limit: size + 1 });
  const items = rows.slice(0, size).map((row) => ({ node: { artifactFile: row, artifact: a, entityName } as ArtifactFileNode, cursor: encodeCursor([], row.id) }));
  return {
    ...connection({ items, hasNextPage: rows.length > size }, args.after),
    totalCount: () => arts(ctx).fileCount(a.id, args.names),
  };
}

// ---- type resolvers

const tagNode = (prefix: string) => (t: TagRow) => ({ id: artifactNodeGid('Tag', `${prefix}${t.id}`), name: t.name });

function collectionOfArtifact(ctx: Context, a: ArtifactRow): CollectionRow {
  return arts(ctx).collectionById(a.sequence_id) as CollectionRow;
}

export const Artifact: TypeResolvers = {
  id: (a: ArtifactRow) => artifactNodeGid('Artifact', a.id),
  artifactSequence: (a: ArtifactRow, _: unknown, ctx: Context) => collectionOfArtifact(ctx, a),
  versionIndex: (a: ArtifactRow, args: { artifactCollectionName?: string | null }, ctx: Context) => {
    // A PENDING version has no vN yet (its placeholder index is negative).
    if (a.state === 'PENDING') return null;
    if (!args.artifactCollectionName) return a.version_index;
    const m = arts(ctx)
      .membershipsOfArtifact(a.id)
      .find((mm) => arts(ctx).collectionById(mm.collection_id)?.name === args.artifactCollectionName);
    return m ? m.version_index : null;
  },
  artifactType: (a: ArtifactRow, _: unknown, ctx: Context) => arts(ctx).typeById(a.type_id),
  description: (a: ArtifactRow) => a.description,
  metadata: (a: ArtifactRow) => a.metadata ?? '{}',
  ttlDurationSeconds: (a: ArtifactRow) => a.ttl_seconds ?? -1,
  ttlIsInherited: (a: ArtifactRow) => a.ttl_is_inherited === 1,
  tags: (a: ArtifactRow, _: unknown, ctx: Context) => arts(ctx).artifactTags(a.id).map(tagNode('a')),
  historyStep: (a: ArtifactRow) => a.history_step,
  state: (a: ArtifactRow) => a.state,
  size: (a: ArtifactRow) => a.size,
  digest: (a: ArtifactRow) => a.digest,
  commitHash: (a: ArtifactRow) => a.commit_hash,
  fileCount: (a: ArtifactRow) => a.file_count,
  // The version's files as older servers list them (newer clients ask its membership).
  files: (a: ArtifactRow, args: PageArgs & { names?: string[] | null }, ctx: Context) =>
    artifactFilesConnection(ctx, a, ctx.project(collectionOfArtifact(ctx, a).project_id)?.entity_name ?? '', args),
  createdAt: (a: ArtifactRow) => a.created_at,
  updatedAt: (a: ArtifactRow) => a.updated_at,
  // Only aliases in collections the viewer can read (the others would name unreadable projects).
  aliases: (a: ArtifactRow, args: { artifactCollectionName?: string | null }, ctx: Context) =>
    arts(ctx)
      .aliasesOfArtifact(a.id)
      .filter((al) => {
        const c = arts(ctx).collectionById(al.collection_id);
        return c !== undefined && canReadProject(ctx, c.project_id) && (!args.artifactCollectionName || c.name === args.artifactCollectionName);
      }),
  artifactMemberships: (a: ArtifactRow, _: unknown, ctx: Context) =>
    listConnection(
      arts(ctx)
        .membershipsOfArtifact(a.id)
        .filter((m) => canReadProject(ctx, (arts(ctx).collectionById(m.collection_id) as CollectionRow).project_id)),
      (m) => m.id,
      { first: 500 },
    ),
  currentManifest: (a: ArtifactRow) => (a.manifest_md5_hex ? { artifact: a } : null),
  usedBy: (a: ArtifactRow, args: PageArgs, ctx: Context) => {
    const runs = arts(ctx)
      .usersOf(a.id)
      .map((id) => ctx.store.runs.byId(id))
      .filter((r): r is NonNullable<typeof r> => r !== undefined && canReadProject(ctx, r.project_id));
    return listConnection(runs, (r) => r.id, args);
  },
  createdBy: (a: ArtifactRow, _: unknown, ctx: Context) => {
    const run = a.created_by_run_id === null ? undefined : ctx.store.runs.byId(a.created_by_run_id);
    if (run && canReadProject(ctx, run.project_id)) return { ...run, __typename: 'Run' };
    const user = a.created_by_user_id === null ? undefined : ctx.user(a.created_by_user_id);
    return user ? { ...user, __typename: 'User' } : null;
  },
};

export const ArtifactManifest: TypeResolvers = {
  id: (m: { artifact: ArtifactRow }) => artifactNodeGid('Artifact', `manifest-${m.artifact.id}`),
  digest: (m: { artifact: ArtifactRow }) => m.artifact.digest,
  createdAt: (m: { artifact: ArtifactRow }) => m.artifact.created_at,
  artifact: (m: { artifact: ArtifactRow }) => m.artifact,
  // A pending version's manifest is of the type it is logged with; a committed one is whole.
  type: (m: { artifact: ArtifactRow }) => (m.artifact.state === 'PENDING' ? m.artifact.manifest_type : 'FULL'),
  // `uploadUrl` is set by createArtifactManifest/updateArtifactManifest (artifactLogging.ts) for a pending version.
  file: (m: { artifact: ArtifactRow; uploadUrl?: string }, _: unknown, ctx: Context): ArtifactFileNode => {
    const c = collectionOfArtifact(ctx, m.artifact);
    const node: ArtifactFileNode = { artifactFile: 'manifest', artifact: m.artifact, entityName: ctx.project(c.project_id)?.entity_name ?? '' };
    if (m.uploadUrl !== undefined) node.upload = { url: m.uploadUrl, headers: [] };
    return node;
  },
};

export const ArtifactType: TypeResolvers = {
  id: (t: ArtifactTypeRow) => artifactNodeGid('ArtifactType', t.id),
  name: (t: ArtifactTypeRow) => t.name,
  description: (t: ArtifactTypeRow) => t.description,
  createdAt: (t: ArtifactTypeRow) => t.created_at,
  artifactCollection: (t: ArtifactTypeRow, args: { name: string }, ctx: Context) => {
    const c = arts(ctx).collectionByName(t.project_id, args.name);
    return c && c.type_id === t.id ? c : null;
  },
  artifactCollections: (
    t: ArtifactTypeRow,
    args: PageArgs & { filters?: string | null; order?: string | null; collectionTypes?: CollectionKind[] | null },
    ctx: Context,
  ) => collectionConnection(ctx, { projectIds: [t.project_id], typeId: t.id, kinds: args.collectionTypes }, args),
};

/** Resolvers shared by ArtifactSequence and ArtifactPortfolio. */
export const ArtifactCollection: TypeResolvers = {
  id: (c: CollectionRow) => artifactNodeGid('ArtifactCollection', c.id),
  name: (c: CollectionRow) => c.name,
  description: (c: CollectionRow) => c.description,
  createdAt: (c: CollectionRow) => c.created_at,
  updatedAt: (c: CollectionRow) => c.updated_at,
  state: (c: CollectionRow) => c.state,
  // Null for a viewer who cannot read the project: a version linked into a registry does not tell
  // its readers where it was logged (Python then shows empty source_entity/source_project).
  project: (c: CollectionRow, _: unknown, ctx: Context) => (canReadProject(ctx, c.project_id) ? (ctx.project(c.project_id) ?? null) : null),
  defaultArtifactType: (c: CollectionRow, _: unknown, ctx: Context) => arts(ctx).typeById(c.type_id),
  tags: (c: CollectionRow, _: unknown, ctx: Context) => ({
    edges: arts(ctx)
      .collectionTags(c.id)
      .map((t) => ({ node: tagNode('c')(t) })),
  }),
  // A collection reached from a version linked elsewhere (Artifact.artifactSequence) shows its other
  // versions and aliases only to viewers who can read its project.
  aliases: (c: CollectionRow, args: PageArgs, ctx: Context) => {
    const rows = canReadProject(ctx, c.project_id) ? arts(ctx).aliasesOfCollection(c.id) : [];
    return connection(pageRows(rows, (al) => al.id, (al) => al.id, false, args), args.after);
  },
  artifactMembership: (c: CollectionRow, args: { aliasName: string }, ctx: Context) =>
    canReadProject(ctx, c.project_id) ? (arts(ctx).resolve(c.id, args.aliasName) ?? null) : null,
  artifacts: (c: CollectionRow, args: PageArgs & { filters?: string | null; order?: string | null }, ctx: Context) =>
    versionConnection(ctx, c, args, canReadProject(ctx, c.project_id)),
};

export const ArtifactCollectionMembership: TypeResolvers = {
  id: (m: MembershipRow) => artifactNodeGid('ArtifactCollectionMembership', m.id),
  versionIndex: (m: MembershipRow) => (m.version_index < 0 ? null : m.version_index),
  createdAt: (m: MembershipRow) => m.created_at,
  commitHash: (m: MembershipRow, _: unknown, ctx: Context) => arts(ctx).artifactById(m.artifact_id)?.commit_hash ?? null,
  aliases: (m: MembershipRow, _: unknown, ctx: Context) => arts(ctx).aliasesOf(m.collection_id, m.artifact_id),
  artifactCollection: (m: MembershipRow, _: unknown, ctx: Context) => arts(ctx).collectionById(m.collection_id) ?? null,
  artifact: (m: MembershipRow, _: unknown, ctx: Context) => arts(ctx).artifactById(m.artifact_id) ?? null,
  files: (m: MembershipRow, args: PageArgs & { names?: string[] | null }, ctx: Context) => {
    const a = arts(ctx).artifactById(m.artifact_id) as ArtifactRow;
    const c = arts(ctx).collectionById(m.collection_id) as CollectionRow;
    return artifactFilesConnection(ctx, a, ctx.project(c.project_id)?.entity_name ?? '', args);
  },
};

export const ArtifactAlias: TypeResolvers = {
  id: (al: AliasRow) => artifactNodeGid('ArtifactAlias', al.id),
  alias: (al: AliasRow) => al.alias,
  artifactCollection: (al: AliasRow, _: unknown, ctx: Context) => arts(ctx).collectionById(al.collection_id) ?? null,
};
