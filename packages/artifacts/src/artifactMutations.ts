// Changing artifact versions: save (aliases, then description/metadata/tags/TTL), delete, link
// into a portfolio (registry collection), unlink; and the runs that logged or used a version.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient, checkSupport, resolveEntity, supports } from '@wandb-api/core';
import { type Artifact, fromMembership, toArtifact } from './artifact.js';
import { isRegistryProject, parseArtifactPath } from './artifactPath.js';
import { checkTags } from './collections.js';
import {
  AddAliasesDocument,
  ArtifactCreatedByDocument,
  ArtifactUsedByDocument,
  DeleteAliasesDocument,
  DeleteArtifactDocument,
  LinkArtifactDocument,
  ProjectArtifactCollectionDocument,
  ProjectReadOnlyDocument,
  type RunInfoFieldsFragment,
  UnlinkArtifactDocument,
  UpdateArtifactDocument,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';
import { resolveOrgInfo } from './org.js';

/** A TTL: seconds (> 0), `null` for none (not even the team default), or `'inherit'` (the team default). */
export type ArtifactTtl = number | null | 'inherit';

/** What `saveArtifact` can change; fields left out keep their value. */
export interface ArtifactChanges {
  /** Cannot be cleared: a null description is not sent (as Python). */
  description?: string | null;
  /** The whole new metadata object (JSON values, at most 100 top-level keys, no NaN/Infinity). */
  metadata?: Readonly<Record<string, unknown>>;
  /** The whole new alias list of the collection it was fetched through (no `/` or `:`). */
  aliases?: readonly string[];
  /** The whole new tag list. */
  tags?: readonly string[];
  /** The new time to live (seconds, `null` for none, or `'inherit'` for the team default). */
  ttl?: ArtifactTtl;
}

/**
 * Checks alias names before any request.
 * @example checkAliases(['latest', 'production']) // ['latest', 'production']
 */
export function checkAliases(aliases: unknown): string[] {
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || !a)) throw new ValidationError('aliases must be an array of non-empty strings.');
  const bad = aliases.filter((a: string) => a.includes('/') || a.includes(':'));
  if (bad.length > 0) throw new ValidationError(`Aliases must not contain any of the following characters: '/', ':'. Got: ${JSON.stringify(bad)}`);
  return [...new Set(aliases as string[])];
}

function checkMetadata(metadata: unknown): string {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new ValidationError('metadata must be an object.');
  if (Object.keys(metadata).length > 100) throw new ValidationError('Artifact must not have more than 100 metadata keys.');
  let text: string;
  try {
    text = JSON.stringify(metadata, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new ValidationError('metadata must not hold NaN or Infinity.');
      return value;
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`metadata cannot be serialised: ${(error as Error).message}`);
  }
  return text;
}

/** The TTL input value: −1 inherit, −2 disabled, else whole seconds. */
function ttlInput(artifact: Artifact, ttl: ArtifactTtl): number {
  if (artifact.type === 'wandb-history') throw new ValidationError('Cannot set artifact TTL for type wandb-history');
  if (artifact.isLink) throw new ValidationError('Cannot set TTL for link artifact. Unlink the artifact first then set the TTL for the source artifact');
  if (ttl === 'inherit') return -1;
  if (ttl === null) return -2;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) throw new ValidationError('Artifact TTL Duration has to be positive.');
  return Math.floor(ttl);
}

/** The TTL as the artifact currently has it, in the same terms. */
const currentTtl = (a: Artifact): ArtifactTtl => (a.ttlIsInherited ? 'inherit' : a.ttl);

/**
 * Saves changes to a logged version: alias additions/removals on the collection it was fetched
 * through first, then description, metadata, tags and (only when changed) TTL. For a link whose
 * source project the viewer cannot change, only aliases are saved (with a warning). Returns the
 * artifact as the server now has it.
 * @example const saved = await saveArtifact(client, artifact, { aliases: [...artifact.aliases, 'staging'], tags: ['clean'] });
 */
export async function saveArtifact(client: WandbClient, artifact: Artifact, changes: ArtifactChanges, options?: CallOptions): Promise<Artifact> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  if (artifact.state === 'PENDING') throw new ValidationError(`'Artifact.save' used prior to logging artifact ${artifact.name}.`);
  const aliases = changes.aliases === undefined ? [...artifact.aliases] : checkAliases(changes.aliases);
  const tags = changes.tags === undefined ? [...artifact.tags] : checkTags(changes.tags);
  const metadata = checkMetadata(changes.metadata ?? artifact.metadata);
  const ttlChanged = changes.ttl !== undefined && changes.ttl !== currentTtl(artifact);
  const ttl = ttlChanged ? ttlInput(artifact, changes.ttl!) : undefined;
  const description = changes.description === undefined ? artifact.description : changes.description;
  if (artifact.isLink && (changes.description !== undefined || changes.metadata !== undefined || changes.tags !== undefined)) {
    client.config.logger.warn(`Editing the description, metadata or tags of link artifact '${artifact.qualifiedName}' changes its source artifact and every link.`);
  }

  const tagsToAdd = tags.filter((t) => !artifact.tags.includes(t)).map((tagName) => ({ tagName }));
  const tagsToDelete = artifact.tags.filter((t) => !tags.includes(t)).map((tagName) => ({ tagName }));
  // Before any change: what the server cannot take is refused (nothing half-saved), and servers
  // without TTLs and tags (W&B Server of 2023) get the update without them.
  await checkSupport(
    client,
    'saveArtifact',
    [
      ...(ttl === undefined ? [] : ['UpdateArtifactInput.ttlDurationSeconds']),
      ...(tagsToAdd.length ? ['UpdateArtifactInput.tagsToAdd'] : []),
      ...(tagsToDelete.length ? ['UpdateArtifactInput.tagsToDelete'] : []),
    ],
    options,
  );
  const current = await supports(client, UpdateArtifactDocument, options);

  const target = { entityName: artifact.entity, projectName: artifact.project, artifactCollectionName: artifact.collectionName };
  const added = aliases.filter((a) => !artifact.aliases.includes(a));
  const removed = artifact.aliases.filter((a) => !aliases.includes(a));
  if (added.length > 0) {
    await client.request(AddAliasesDocument, { input: { artifactID: artifact.id, aliases: added.map((alias) => ({ ...target, alias })) } }, options);
  }
  if (removed.length > 0) {
    await client.request(DeleteAliasesDocument, { input: { artifactID: artifact.id, aliases: removed.map((alias) => ({ ...target, alias })) } }, options);
  }

  if (artifact.isLink) {
    const source = artifact.sourceEntity && artifact.sourceProject
      ? (await client.request(ProjectReadOnlyDocument, { entity: artifact.sourceEntity, project: artifact.sourceProject }, options)).project
      : null;
    if (!source || source.readOnly) {
      client.config.logger.warn('Skipping non-alias updates due to insufficient permissions on the source artifact.');
      return { ...artifact, aliases };
    }
  }

  const input = {
    artifactID: artifact.id,
    metadata,
    ...(description == null ? {} : { description }),
    ...(ttl === undefined ? {} : { ttlDurationSeconds: ttl }),
    ...(tagsToAdd.length > 0 ? { tagsToAdd } : {}),
    ...(tagsToDelete.length > 0 ? { tagsToDelete } : {}),
  };
  const data = current ? await client.request(UpdateArtifactDocument, { input }, options) : await client.request((await legacyDocuments()).UpdateArtifactLegacyDocument, { input }, options);
  const node = data.result?.artifact;
  if (!node) throw new NotFoundError('Unable to parse updateArtifact response', { status: 404 });
  return toArtifact(client, node, { entity: artifact.entity, project: artifact.project, name: artifact.name, version: artifact.version });
}

/** Options of `deleteArtifact`. */
export interface DeleteArtifactOptions extends CallOptions {
  /** Also remove its aliases; without it the server refuses a version that has aliases. Default false. */
  deleteAliases?: boolean;
}

/**
 * Deletes a logged version; a link is unlinked instead (its source stays), as Python.
 * @example await deleteArtifact(client, artifact, { deleteAliases: true });
 */
export async function deleteArtifact(client: WandbClient, artifact: Artifact, options: DeleteArtifactOptions = {}): Promise<void> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  if (artifact.isLink) {
    client.config.logger.warn(`Deleting a link artifact only removes the link '${artifact.qualifiedName}'; its source artifact stays.`);
    return unlinkArtifact(client, artifact, options);
  }
  await client.request(DeleteArtifactDocument, { input: { artifactID: artifact.id, deleteAliases: options.deleteAliases ?? false } }, options);
}

/** Options of `linkArtifact`. */
export interface LinkArtifactOptions extends CallOptions {
  /** Aliases to give it in the target collection. */
  aliases?: readonly string[];
}

/**
 * Links a version into a portfolio: `[[entity-or-org/]project/]collection`, e.g.
 * `wandb-registry-model/mnist-models` (the organization is found from the artifact's source
 * entity, with the path's first part or the client's `organization` as a hint). Returns the link.
 * @example const link = await linkArtifact(client, artifact, 'wandb-registry-model/mnist-models', { aliases: ['production'] });
 */
export async function linkArtifact(client: WandbClient, artifact: Artifact, targetPath: string, options: LinkArtifactOptions = {}): Promise<Artifact> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  const target = parseArtifactPath(targetPath);
  if (target.alias !== undefined) throw new ValidationError(`Invalid link target '${targetPath}': name a collection, without ':${target.alias}'.`);
  const aliases = options.aliases === undefined ? [] : checkAliases(options.aliases);
  if (artifact.isLink) client.config.logger.warn(`Artifact '${artifact.qualifiedName}' is a link; its source artifact '${artifact.sourceQualifiedName}' is linked.`);
  const project = target.project ?? client.config.project ?? 'uncategorized';
  const entity = isRegistryProject(project)
    ? (await resolveOrgInfo(client, artifact.sourceEntity, target.prefix ?? client.config.organization, options)).entityName
    : (target.prefix ?? artifact.sourceEntity) || (await resolveEntity(client, undefined, options));
  const data = await client.request(
    LinkArtifactDocument,
    {
      input: {
        artifactID: artifact.id,
        artifactPortfolioName: target.collection,
        entityName: entity,
        projectName: project,
        aliases: aliases.map((alias) => ({ artifactCollectionName: target.collection, alias })),
      },
    },
    options,
  );
  const membership = data.result?.artifactMembership;
  if (!membership) throw new NotFoundError('Unable to parse linked artifact version from response', { status: 404 });
  return fromMembership(client, membership, target.collection);
}

/**
 * Removes a link (the version stays in its source and other collections). A non-link is a
 * ValidationError: delete it instead.
 * @example await unlinkArtifact(client, link);
 */
export async function unlinkArtifact(client: WandbClient, artifact: Artifact, options?: CallOptions): Promise<void> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  if (!artifact.isLink) {
    throw new ValidationError(`Artifact '${artifact.qualifiedName}' is not a linked artifact and cannot be unlinked.  To delete it, use 'delete' instead.`);
  }
  const data = await client.request(
    ProjectArtifactCollectionDocument,
    { entity: artifact.entity, project: artifact.project, type: artifact.type, name: artifact.collectionName },
    options,
  );
  const collection = data.project?.artifactType?.artifactCollection;
  if (!collection) throw new NotFoundError(`Could not find artifact collection '${artifact.entity}/${artifact.project}/${artifact.collectionName}'.`, { status: 404 });
  await client.request(UnlinkArtifactDocument, { input: { artifactID: artifact.id, artifactPortfolioID: collection.id } }, options);
}

/** A run named just enough to load it: `getRun(client, `${entity}/${project}/${id}`)`. */
export interface ArtifactRunInfo {
  /** The run's global id. */
  readonly storageId: string;
  /** The short run id. */
  readonly id: string;
  /** The entity that owns the run's project. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
}

const toRunInfo = (run: RunInfoFieldsFragment): ArtifactRunInfo | null =>
  run.project ? { storageId: run.id, id: run.name, entity: run.project.entity.name, project: run.project.name } : null;

/**
 * The run that logged a version, or null when something else created it.
 * @example const run = await artifactLoggedBy(client, artifact); // { entity, project, id, storageId }
 */
export async function artifactLoggedBy(client: WandbClient, artifact: Pick<Artifact, 'id'>, options?: CallOptions): Promise<ArtifactRunInfo | null> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  const data = await client.request(ArtifactCreatedByDocument, { id: artifact.id }, options);
  const creator = data.artifact?.createdBy;
  return creator?.__typename === 'Run' ? toRunInfo(creator) : null;
}

/**
 * The runs that used a version (runs without a project are skipped).
 * @example for (const run of await artifactUsedBy(client, artifact)) console.log(run.id);
 */
export async function artifactUsedBy(client: WandbClient, artifact: Pick<Artifact, 'id'>, options?: CallOptions): Promise<ArtifactRunInfo[]> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  const data = await client.request(ArtifactUsedByDocument, { id: artifact.id }, options);
  return (data.artifact?.usedBy.edges ?? []).flatMap((e) => (e?.node ? (toRunInfo(e.node) ?? []) : []));
}
