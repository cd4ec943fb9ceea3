// Artifact versions: the decoded model (every property Python's Artifact exposes, decoded once),
// and fetching one by path. An artifact is seen through a collection: its source sequence, or a
// portfolio (registry collection) it is linked into; `entity/project/name/version/aliases` are
// those of the collection it was fetched through, `source*` those of the sequence that logged it.
import {
  type CallOptions,
  HTTPError,
  NotFoundError,
  ValidationError,
  type WandbClient,
  parseJsonObject,
  resolveEntity,
  supports,
} from '@wandb-api/core';
import { type ArtifactPath, REGISTRY_PREFIX, isRegistryProject, isVersionAlias, membershipName, parseArtifactPath } from './artifactPath.js';
import {
  ArtifactMembershipByNameDocument,
  type ArtifactFieldsFragment,
  type ArtifactMembershipFieldsFragment,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';
import { resolveOrgEntityName } from './org.js';

/** States W&B reports for an artifact version. */
export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED' | (string & {});

/** One artifact version, as seen through the collection it was fetched from. */
export interface Artifact {
  /** The server's global id (base64). */
  readonly id: string;
  /** The entity of the collection it was fetched through (a registry's organization entity for links). */
  readonly entity: string;
  /** The project of the collection it was fetched through (a `wandb-registry-*` project for registry links). */
  readonly project: string;
  /** `collection:vN`, or `collection:<alias>` when it was fetched by alias (`model:latest`). */
  readonly name: string;
  /** `entity/project/name`. */
  readonly qualifiedName: string;
  /** The name of the collection it was fetched through (`name` before the ':'). */
  readonly collectionName: string;
  /** `vN` within that collection. */
  readonly version: string;
  /** The entity of the project that logged it (differs from `entity` for registry links). */
  readonly sourceEntity: string;
  /** The project that logged it. */
  readonly sourceProject: string;
  /** `sequence:vN` in the sequence that logged it. */
  readonly sourceName: string;
  /** The name of the sequence that logged it (`sourceName` before the ':'). */
  readonly sourceCollectionName: string;
  /** `vN` within the sequence that logged it. */
  readonly sourceVersion: string;
  /** `sourceEntity/sourceProject/sourceName`. */
  readonly sourceQualifiedName: string;
  /** Whether it was fetched through a collection other than its source sequence (a link). */
  readonly isLink: boolean;
  /** The artifact type (`dataset`, `model` …). */
  readonly type: string;
  /** Free text set when it was logged or saved; null when none. */
  readonly description: string | null;
  /** Decoded from the server's JSON string (NaN/Infinity tolerated); `{}` when empty. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The aliases it has in the collection it was fetched through, without `vN` ones. */
  readonly aliases: readonly string[];
  /** Tags of the version itself (shared by every collection it is seen through); none from servers without tags (W&B Server of 2023). */
  readonly tags: readonly string[];
  /** Time to live in seconds; null when none is set (or the server sends ≤ 0, or has no TTLs: W&B Server of 2023). */
  readonly ttl: number | null;
  /** Whether the TTL comes from the team default (true from servers without TTLs). */
  readonly ttlIsInherited: boolean;
  /** `COMMITTED` once its files are uploaded; listings only return committed versions. */
  readonly state: ArtifactState;
  /** Bytes, as the server reports them. */
  readonly size: number;
  /** The manifest digest, as the server reports it. */
  readonly digest: string;
  /** The commit hash the server reports; null when it has none (e.g. still pending). */
  readonly commitHash: string | null;
  /** The number of files, as the server reports it. */
  readonly fileCount: number;
  /** ISO 8601 creation time, as the server reports it. */
  readonly createdAt: string;
  /** `updatedAt`, falling back to `createdAt`. */
  readonly updatedAt: string;
  /** The nearest history step of the run that logged it (server value − 1, floored at 0); null when none. */
  readonly historyStep: number | null;
  /** The app URL (registry links point at the registry page). Empty when a part is unknown. */
  readonly url: string;
}

/** What a file, manifest or mutation function needs of an artifact. */
export type ArtifactRef = Pick<Artifact, 'id' | 'entity' | 'project' | 'name' | 'collectionName' | 'version' | 'sourceName'>;

/** Where an artifact node was fetched from: the path asked for, and the membership when there is one. */
export interface ArtifactPlacement {
  /** The entity asked for; empty means the source sequence's. */
  readonly entity: string;
  /** The project asked for; empty means the source sequence's. */
  readonly project: string;
  /** `collection` or `collection:alias` as asked for. */
  readonly name: string;
  /** The version's membership in that collection, whose aliases and index win over the node's own. */
  readonly membership?: {
    /** `N` of `vN` in the collection; null when the server does not say. */
    readonly versionIndex: number | null;
    /** Every alias the version has in the collection, `vN` ones included. */
    readonly aliases: readonly {
      /** The alias name (`latest`, `v2` …). */
      readonly alias: string;
    }[];
  } | null;
  /** The version the listing gave (an edge's `version`), used when no `vN` alias or membership says. */
  readonly version?: string | null;
  /** The organization display name, when known (for registry URLs). */
  readonly organization?: string | null;
}

/** The app URL of a version (Python's `Artifact.url`). */
function artifactUrl(client: WandbClient, a: Omit<Artifact, 'url'>, organization: string | null | undefined): string {
  const app = client.config.appUrl;
  const selection = () => encodeURIComponent(`${a.entity}/${a.project}/${a.collectionName}`);
  if (a.isLink && isRegistryProject(a.project)) {
    if (!organization) return '';
    const registry = a.project.slice(REGISTRY_PREFIX.length);
    return `${app}orgs/${organization}/registry/${registry}?selectionPath=${selection()}&view=membership&version=${a.version}`;
  }
  if (a.isLink && (a.type === 'model' || a.project === 'model-registry')) {
    return `${app}${a.entity}/registry/model?selectionPath=${selection()}&view=membership&version=${a.version}`;
  }
  return `${app}${a.entity}/${a.project}/artifacts/${encodeURIComponent(a.type)}/${encodeURIComponent(a.collectionName)}/${a.version}`;
}

/**
 * An artifact node as the server sends it: TTL and tags only from servers that have them (the
 * *Legacy operations, for W&B Server of 2023, leave them out).
 */
export type ArtifactNode = Omit<ArtifactFieldsFragment, 'ttlDurationSeconds' | 'ttlIsInherited' | 'tags'> &
  Partial<Pick<ArtifactFieldsFragment, 'ttlDurationSeconds' | 'ttlIsInherited' | 'tags'>>;

/**
 * Decodes an artifact node seen through `at` (Python's `_assign_attrs`): aliases of that
 * collection only (from the membership, else the node's aliases filtered to it), `vN` aliases
 * turned into the version.
 * @example const artifact = toArtifact(client, node, { entity: 'demo', project: 'mnist-classifier', name: 'mnist-cnn:v2' });
 */
export function toArtifact(client: WandbClient, node: ArtifactNode, at: ArtifactPlacement): Artifact {
  const sequence = node.artifactSequence;
  const sourceEntity = sequence.project?.entity.name ?? '';
  const sourceProject = sequence.project?.name ?? '';
  const sourceVersion = `v${node.versionIndex ?? 0}`;
  const sourceName = `${sequence.name}:${sourceVersion}`;
  const entity = at.entity || sourceEntity;
  const project = at.project || sourceProject;
  const requested = at.name || sourceName;
  const collectionName = requested.split(':')[0]!;
  const isLink = entity !== sourceEntity || project !== sourceProject || collectionName !== sequence.name;

  const all = at.membership
    ? at.membership.aliases.map((a) => a.alias)
    : (node.aliases ?? [])
        .filter((a) => {
          const coll = a.artifactCollection;
          return coll?.project?.entity.name === entity && coll.project.name === project && coll.name === collectionName;
        })
        .map((a) => a.alias);
  const versionAliases = all.filter(isVersionAlias);
  if (versionAliases.length > 1) throw new ValidationError(`Expected at most one version alias, got ${versionAliases.length}: ${JSON.stringify(versionAliases)}`);
  // Python falls back to the SOURCE index for listed link versions; the listing's own vN is right.
  const version =
    versionAliases[0] ??
    (at.membership?.versionIndex != null ? `v${at.membership.versionIndex}` : undefined) ??
    at.version ??
    sourceVersion;
  const name = requested.includes(':') ? requested : `${requested}:${version}`;
  const ttl = node.ttlDurationSeconds !== undefined && node.ttlDurationSeconds > 0 ? node.ttlDurationSeconds : null;
  const decoded: Omit<Artifact, 'url'> = {
    id: node.id,
    entity,
    project,
    name,
    qualifiedName: `${entity}/${project}/${name}`,
    collectionName,
    version,
    sourceEntity,
    sourceProject,
    sourceName,
    sourceCollectionName: sequence.name,
    sourceVersion,
    sourceQualifiedName: `${sourceEntity}/${sourceProject}/${sourceName}`,
    isLink,
    type: node.artifactType.name,
    description: node.description ?? null,
    metadata: parseJsonObject(node.metadata),
    aliases: [...new Set(all.filter((a) => !isVersionAlias(a)))],
    tags: (node.tags ?? []).map((t) => t.name),
    ttl,
    ttlIsInherited: node.ttlIsInherited ?? true,
    state: node.state,
    size: node.size,
    digest: node.digest,
    commitHash: node.commitHash ?? null,
    fileCount: node.fileCount,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt ?? node.createdAt,
    historyStep: node.historyStep == null ? null : Math.max(0, node.historyStep - 1),
  };
  return { ...decoded, url: artifactUrl(client, decoded, at.organization) };
}

/**
 * Decodes a membership (`artifactCollectionMembership`, `linkArtifact`, registry versions), named
 * and placed as the server says; a migrated model-registry path logs a warning.
 * @example const artifact = fromMembership(client, data.project.artifactCollectionMembership, 'mnist-dataset:v2');
 */
export function fromMembership(client: WandbClient, membership: ArtifactMembershipFieldsFragment, name: string, requestedProject?: string): Artifact {
  const collection = membership.artifactCollection;
  const project = collection?.project;
  if (!collection || !project) throw new NotFoundError('Missing artifact collection project in GraphQL response', { status: 404 });
  if (!membership.artifact) throw new NotFoundError(`Artifact '${project.entity.name}/${project.name}/${name}' not found in response`, { status: 404 });
  if (requestedProject === 'model-registry' && isRegistryProject(project.name)) {
    client.config.logger.warn(`The model registry moved: read '${project.name}/${collection.name}' instead (this request was redirected there).`);
  }
  // The server's names replace the requested ones (case, migrated registries).
  return toArtifact(client, membership.artifact, {
    entity: project.entity.name,
    project: project.name,
    name,
    membership,
    organization: project.entity.organization?.name ?? null,
  });
}

/** An artifact path with entity and project known (registry projects under the organization's entity). */
export interface ResolvedArtifactPath {
  /** The entity that owns the project (the organization's entity for registries). */
  readonly entity: string;
  /** The project, defaults filled in. */
  readonly project: string;
  /** The collection name. */
  readonly collection: string;
  /** `vN` or an alias, when the path had one. */
  readonly alias?: string;
}

/**
 * Fills an artifact path's missing parts (entity: client's, else the viewer's; project: client's,
 * else `uncategorized`) and, for a registry project, swaps the entity for the organization's entity,
 * with `orgHint` (the path's first part) naming the organization.
 * @example const where = await resolveArtifactPath(client, parseArtifactPath('acme/mnist/mnist-dataset:v2'), 'acme');
 */
export async function resolveArtifactPath(
  client: WandbClient,
  parsed: ArtifactPath,
  orgHint: string | undefined,
  options?: CallOptions,
): Promise<ResolvedArtifactPath> {
  const project = parsed.project ?? client.config.project ?? 'uncategorized';
  const entity = isRegistryProject(project)
    ? await resolveOrgEntityName(client, orgHint, options)
    : await resolveEntity(client, parsed.prefix, options).catch((error: unknown) => {
        if (error instanceof ValidationError) {
          throw new ValidationError('Could not determine entity. Please include the entity as part of the artifact name path.');
        }
        throw error;
      });
  return { entity, project, collection: parsed.collection, ...(parsed.alias === undefined ? {} : { alias: parsed.alias }) };
}

/** Options of `getArtifact` and `artifactExists`. */
export interface GetArtifactOptions extends CallOptions {
  /** The expected type; another type is a ValidationError. */
  type?: string;
}

/**
 * One artifact version by path: `[[entity/]project/]collection[:vN|:alias]` (registry paths as
 * `org/wandb-registry-model/collection:alias`). Without an alias the server picks the version.
 * @example const artifact = await getArtifact(client, 'demo/mnist-classifier/mnist-cnn:best');
 */
export async function getArtifact(client: WandbClient, name: string, options: GetArtifactOptions = {}): Promise<Artifact> {
  if (name === undefined || name === null) throw new ValidationError('You must specify name= to fetch an artifact.');
  const parsed = parseArtifactPath(name);
  if (options.type !== undefined && (typeof options.type !== 'string' || !options.type)) throw new ValidationError(`Invalid type '${String(options.type)}'.`);
  // Python's org hint: the first part of a three-part path, else the configured organization.
  const where = await resolveArtifactPath(client, parsed, parsed.prefix ?? client.config.organization, options);
  const requested = membershipName(where);
  const vars = { entity: where.entity, project: where.project, name: requested };
  const projectNotFound = () => new NotFoundError(`project '${where.project}' not found under entity '${where.entity}'`, { status: 404 });
  const notFound = () => new NotFoundError(`artifact membership '${requested}' not found in '${where.entity}/${where.project}'`, { status: 404 });
  let artifact: Artifact;
  if (await supports(client, ArtifactMembershipByNameDocument, options)) {
    const data = await client.request(ArtifactMembershipByNameDocument, vars, options);
    if (!data.project) throw projectNotFound();
    const membership = data.project.artifactCollectionMembership;
    if (!membership) throw notFound();
    artifact = fromMembership(client, membership, requested, where.project);
  } else {
    // Servers without memberships by name (W&B Server of 2023): the version through Project.artifact.
    const data = await client.request((await legacyDocuments()).ArtifactByNameLegacyDocument, vars, options);
    if (!data.project) throw projectNotFound();
    if (!data.project.artifact) throw notFound();
    artifact = toArtifact(client, data.project.artifact, { entity: where.entity, project: where.project, name: requested });
  }
  if (options.type !== undefined && artifact.type !== options.type) {
    throw new ValidationError(`type '${options.type}' specified but this artifact is of type '${artifact.type}'`);
  }
  return artifact;
}

/**
 * Python's `*_exists` policy: an answer that says "no such thing" (bad path, not found, wrong
 * type, refused) is false; failures that say nothing about existence (network, timeout, GraphQL
 * errors in a 200, HTTP 408/504) are thrown.
 * @example const exists = await existsBy(() => getArtifact(client, 'acme/mnist/mnist-dataset:v2'));
 */
export async function existsBy(load: () => Promise<unknown>): Promise<boolean> {
  try {
    await load();
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    if (error instanceof HTTPError && error.status !== 408 && error.status !== 504) return false;
    throw error;
  }
}

/**
 * Whether an artifact version exists (false for malformed paths, missing ones and type mismatches).
 * @example if (await artifactExists(client, 'demo/mnist-classifier/mnist-cnn:v9')) …
 */
export function artifactExists(client: WandbClient, name: string, options?: GetArtifactOptions): Promise<boolean> {
  return existsBy(() => getArtifact(client, name, options));
}
