/**
 * Artifact and registry mutations: aliases, updates, deletes, links, collection saves and tags,
 * artifact types, usage, and the registry side of projects (upsertModel's registry fields,
 * renameProject, deleteModel). Writes need membership of the owning entity, as run mutations do.
 */
import { decodeArtifactNodeGid } from '../artifactIds';
import { ForbiddenError, UserInputError } from '../errors';
import { decodeGid } from '../ids';
import { automationEvents } from '../store/automationEvents';
import { deleteEmptyProject, REGISTRY_PREFIX, renameProject } from '../store/registries';
import { projectMembers } from '../store/projectMembers';
import type { ArtifactRow, CollectionKind, CollectionRow } from '../store/artifacts';
import type { ProjectRow } from '../store/store';
import { arts, canReadArtifact, canReadProject } from './artifact';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';

interface AliasInput {
  entityName: string;
  projectName: string;
  artifactCollectionName: string;
  alias: string;
}

interface TagInput {
  tagName: string;
}

/** Types W&B reserves for its own use (§7.5): their collections are not renamed or re-typed by clients. */
export function isReservedType(type: string, collectionName?: string): boolean {
  if (type.startsWith('wandb-') || type === 'job') return true;
  if (collectionName === undefined) return false;
  return (type === 'run_table' && collectionName.startsWith('run-')) || (type === 'code' && collectionName.startsWith('source-'));
}

/** Members of the owning entity write; so do a project's (registry's) admin and member roles. */
function assertWriter(ctx: Context, project: ProjectRow): void {
  if (!ctx.canWrite(project.entity_id) && !projectMembers(ctx.store).canWrite(ctx.viewer, project)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot write to ${project.entity_name}/${project.name}`);
  }
}

/** A project the viewer can see, by entity and name; errors like W&B's "not found". */
function requireProject(ctx: Context, entityName: string | null | undefined, projectName: string | null | undefined): ProjectRow {
  const entity = entityName ? ctx.store.entities.byName(entityName) : ctx.store.personalEntity(ctx.viewer);
  const project = entity && projectName ? ctx.store.projects.byName(entity.id, projectName) : undefined;
  if (!project || !canReadProject(ctx, project.id)) throw new UserInputError(`project ${entityName ?? ''}/${projectName ?? ''} not found`);
  return project;
}

function requireArtifact(ctx: Context, gid: string): ArtifactRow {
  const id = decodeArtifactNodeGid('Artifact', gid);
  const a = id === undefined ? undefined : arts(ctx).artifactById(id);
  if (!a || a.state === 'DELETED' || !canReadArtifact(ctx, a)) throw new UserInputError(`artifact ${JSON.stringify(gid)} not found`);
  return a;
}

function requireCollection(ctx: Context, gid: string, kind?: CollectionKind): CollectionRow {
  const id = decodeArtifactNodeGid('ArtifactCollection', gid);
  const c = id === undefined ? undefined : arts(ctx).collectionById(id);
  if (!c || c.state !== 'READY' || (kind && c.kind !== kind) || !canReadProject(ctx, c.project_id)) {
    throw new UserInputError(`artifact ${kind === 'PORTFOLIO' ? 'portfolio' : kind === 'SEQUENCE' ? 'sequence' : 'collection'} ${JSON.stringify(gid)} not found`);
  }
  return c;
}

function writableCollection(ctx: Context, c: CollectionRow): CollectionRow {
  assertWriter(ctx, ctx.project(c.project_id) as ProjectRow);
  return c;
}

/** The collection an alias input names, which must hold the artifact. */
function aliasTarget(ctx: Context, a: ArtifactRow, input: AliasInput): CollectionRow {
  const project = requireProject(ctx, input.entityName, input.projectName);
  assertWriter(ctx, project);
  const c = arts(ctx).collectionByName(project.id, input.artifactCollectionName);
  if (!c || !arts(ctx).membership(c.id, a.id)) {
    throw new UserInputError(`artifact is not in collection ${input.entityName}/${input.projectName}/${input.artifactCollectionName}`);
  }
  return c;
}

const typeNameOf = (ctx: Context, c: CollectionRow): string => arts(ctx).typeById(c.type_id)?.name ?? '';

export const ArtifactMutations: TypeResolvers = {
  createArtifactType: (_: unknown, { input }: { input: { entityName: string; projectName: string; name: string; description?: string | null } }, ctx: Context) => {
    const project = requireProject(ctx, input.entityName, input.projectName);
    assertWriter(ctx, project);
    return { artifactType: arts(ctx).ensureType(project.id, input.name, input.description), clientMutationId: null };
  },

  useArtifact: (
    _: unknown,
    { input }: { input: { entityName: string; projectName: string; runName: string; artifactID: string; clientMutationId?: string | null } },
    ctx: Context,
  ) => {
    const project = requireProject(ctx, input.entityName, input.projectName);
    assertWriter(ctx, project);
    const run = ctx.store.runs.byName(project.id, input.runName);
    if (!run) throw new UserInputError(`run ${input.entityName}/${input.projectName}/${input.runName} not found`);
    const a = requireArtifact(ctx, input.artifactID);
    arts(ctx).addUsage(run.id, a.id);
    return { artifact: a, run, clientMutationId: input.clientMutationId ?? null };
  },

  addAliases: (_: unknown, { input }: { input: { artifactID: string; aliases: AliasInput[] } }, ctx: Context) => {
    const a = requireArtifact(ctx, input.artifactID);
    const before = automationEvents(ctx.store).aliasSnapshot(a.id);
    ctx.store.db.transaction(() => {
      for (const al of input.aliases) arts(ctx).setAlias(aliasTarget(ctx, a, al).id, a.id, al.alias);
    });
    automationEvents(ctx.store).aliasesAdded(a.id, before, ctx.viewer.id);
    return { success: true };
  },

  deleteAliases: (_: unknown, { input }: { input: { artifactID: string; aliases: AliasInput[] } }, ctx: Context) => {
    const a = requireArtifact(ctx, input.artifactID);
    ctx.store.db.transaction(() => {
      for (const al of input.aliases) arts(ctx).removeAlias(aliasTarget(ctx, a, al).id, a.id, al.alias);
    });
    return { success: true };
  },

  updateArtifact: (
    _: unknown,
    {
      input,
    }: {
      input: {
        artifactID: string;
        description?: string | null;
        metadata?: string | null;
        ttlDurationSeconds?: number | null;
        tagsToAdd?: TagInput[] | null;
        tagsToDelete?: TagInput[] | null;
        aliases?: { alias: string; artifactCollectionName: string }[] | null;
      };
    },
    ctx: Context,
  ) => {
    const a = requireArtifact(ctx, input.artifactID);
    const sequence = arts(ctx).collectionById(a.sequence_id) as CollectionRow;
    writableCollection(ctx, sequence);
    if (input.metadata != null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.metadata);
      } catch {
        throw new UserInputError('metadata must be a JSON object');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError('metadata must be a JSON object');
    }
    const events = automationEvents(ctx.store);
    const [aliasesBefore, tagsBefore] = [events.aliasSnapshot(a.id), arts(ctx).artifactTags(a.id).map((t) => t.name)];
    const result = ctx.store.db.transaction(() => {
      const updated = arts(ctx).updateArtifact(a.id, input);
      arts(ctx).setArtifactTags(
        a.id,
        (input.tagsToAdd ?? []).map((t) => t.tagName),
        (input.tagsToDelete ?? []).map((t) => t.tagName),
      );
      // Legacy form: aliases (in collections of the source project) replace the artifact's aliases there.
      if (input.aliases) {
        for (const al of input.aliases) {
          const c = arts(ctx).collectionByName(sequence.project_id, al.artifactCollectionName);
          if (!c || !arts(ctx).membership(c.id, a.id)) throw new UserInputError(`artifact is not in collection ${al.artifactCollectionName}`);
          arts(ctx).setAlias(c.id, a.id, al.alias);
        }
      }
      return { artifact: arts(ctx).artifactById(updated.id) };
    });
    events.aliasesAdded(a.id, aliasesBefore, ctx.viewer.id);
    events.artifactTagsChanged(a.id, tagsBefore, ctx.viewer.id);
    return result;
  },

  deleteArtifact: (_: unknown, { input }: { input: { artifactID: string; deleteAliases?: boolean | null } }, ctx: Context) => {
    const a = requireArtifact(ctx, input.artifactID);
    writableCollection(ctx, arts(ctx).collectionById(a.sequence_id) as CollectionRow);
    const aliases = arts(ctx).aliasesOfArtifact(a.id);
    if (aliases.length > 0 && !input.deleteAliases) {
      throw new UserInputError(
        `cannot delete artifact with aliases (${aliases.map((al) => al.alias).join(', ')}): remove them first or pass deleteAliases: true`,
      );
    }
    ctx.store.db.transaction(() => arts(ctx).deleteArtifact(a.id));
    return { artifact: arts(ctx).artifactById(a.id) };
  },

  linkArtifact: (
    _: unknown,
    {
      input,
    }: {
      input: {
        artifactID?: string | null;
        artifactPortfolioID?: string | null;
        artifactPortfolioName?: string | null;
        entityName?: string | null;
        projectName?: string | null;
        aliases?: { alias: string; artifactCollectionName: string }[] | null;
      };
    },
    ctx: Context,
  ) => {
    if (!input.artifactID) throw new UserInputError('linkArtifact needs artifactID');
    const a = requireArtifact(ctx, input.artifactID);
    if (a.state !== 'COMMITTED') throw new UserInputError('only committed artifacts can be linked');
    const typeName = arts(ctx).typeById(a.type_id)?.name ?? '';
    const before = automationEvents(ctx.store).aliasSnapshot(a.id);
    const linked = ctx.store.db.transaction(() => {
      let portfolio: CollectionRow | undefined;
      if (input.artifactPortfolioID) portfolio = requireCollection(ctx, input.artifactPortfolioID, 'PORTFOLIO');
      else {
        if (!input.artifactPortfolioName) throw new UserInputError('linkArtifact needs artifactPortfolioName or artifactPortfolioID');
        const project = linkTargetProject(ctx, input.entityName, input.projectName);
        portfolio = arts(ctx).collectionByName(project.id, input.artifactPortfolioName);
        if (portfolio && portfolio.kind !== 'PORTFOLIO') throw new UserInputError(`${input.artifactPortfolioName} is an artifact sequence; link into a portfolio`);
        if (!portfolio) {
          checkRegistryType(ctx, project, typeName);
          const type = arts(ctx).ensureType(project.id, typeName);
          portfolio = arts(ctx).createCollection({ projectId: project.id, typeId: type.id, kind: 'PORTFOLIO', name: input.artifactPortfolioName });
        }
      }
      const project = ctx.project(portfolio.project_id) as ProjectRow;
      assertWriter(ctx, project);
      if (typeNameOf(ctx, portfolio) !== typeName) {
        throw new UserInputError(`cannot link an artifact of type ${typeName} into ${portfolio.name}, which holds type ${typeNameOf(ctx, portfolio)}`);
      }
      const membership = arts(ctx).addMembership(portfolio.id, a.id);
      for (const al of input.aliases ?? []) arts(ctx).setAlias(portfolio.id, a.id, al.alias);
      // The newest link is `latest`, as on W&B.
      arts(ctx).setAlias(portfolio.id, a.id, 'latest');
      return { versionIndex: membership.version_index, artifactMembership: membership };
    });
    automationEvents(ctx.store).artifact({ type: 'LINK_MODEL', collectionId: linked.artifactMembership.collection_id, artifactId: a.id, authorId: ctx.viewer.id });
    automationEvents(ctx.store).aliasesAdded(a.id, before, ctx.viewer.id);
    return linked;
  },

  unlinkArtifact: (_: unknown, { input }: { input: { artifactID: string; artifactPortfolioID: string } }, ctx: Context) => {
    const a = requireArtifact(ctx, input.artifactID);
    const portfolio = writableCollection(ctx, requireCollection(ctx, input.artifactPortfolioID, 'PORTFOLIO'));
    if (!arts(ctx).removeMembership(portfolio.id, a.id)) throw new UserInputError(`artifact is not linked to ${portfolio.name}`);
    automationEvents(ctx.store).artifact({ type: 'UNLINK_ARTIFACT', collectionId: portfolio.id, artifactId: a.id, authorId: ctx.viewer.id });
    return { success: true };
  },

  updateArtifactSequence: (
    _: unknown,
    { input }: { input: { artifactSequenceID: string; name?: string | null; description?: string | null } },
    ctx: Context,
  ) => updateCollection(ctx, requireCollection(ctx, input.artifactSequenceID, 'SEQUENCE'), input),

  updateArtifactPortfolio: (
    _: unknown,
    { input }: { input: { artifactPortfolioID: string; name?: string | null; description?: string | null } },
    ctx: Context,
  ) => updateCollection(ctx, requireCollection(ctx, input.artifactPortfolioID, 'PORTFOLIO'), input),

  moveArtifactSequence: (_: unknown, { input }: { input: { artifactSequenceID: string; destinationArtifactTypeName: string } }, ctx: Context) => {
    const c = writableCollection(ctx, requireCollection(ctx, input.artifactSequenceID, 'SEQUENCE'));
    const from = typeNameOf(ctx, c);
    if (isReservedType(from, c.name)) throw new UserInputError(`the type of ${c.name} (${from}) is reserved for internal use and cannot be changed`);
    if (isReservedType(input.destinationArtifactTypeName, c.name)) {
      throw new UserInputError(`artifact type ${input.destinationArtifactTypeName} is reserved for internal use`);
    }
    const type = arts(ctx).ensureType(c.project_id, input.destinationArtifactTypeName);
    return { artifactCollection: arts(ctx).updateCollection(c.id, { typeId: type.id }) };
  },

  deleteArtifactSequence: (_: unknown, { input }: { input: { artifactSequenceID: string } }, ctx: Context) => {
    const c = writableCollection(ctx, requireCollection(ctx, input.artifactSequenceID, 'SEQUENCE'));
    return { artifactCollection: ctx.store.db.transaction(() => arts(ctx).deleteCollection(c.id)) };
  },

  deleteArtifactPortfolio: (_: unknown, { input }: { input: { artifactPortfolioID: string } }, ctx: Context) => {
    const c = writableCollection(ctx, requireCollection(ctx, input.artifactPortfolioID, 'PORTFOLIO'));
    return { artifactCollection: ctx.store.db.transaction(() => arts(ctx).deleteCollection(c.id)) };
  },

  createArtifactCollectionTagAssignments: (
    _: unknown,
    { input }: { input: { entityName: string; projectName: string; artifactCollectionName: string; tags: TagInput[] } },
    ctx: Context,
  ) => {
    const c = namedCollection(ctx, input);
    const before = arts(ctx).collectionTags(c.id).map((t) => t.name);
    const tags = arts(ctx).addCollectionTags(
      c.id,
      input.tags.map((t) => t.tagName),
    );
    automationEvents(ctx.store).collectionTagsChanged(c.id, before, ctx.viewer.id);
    return { tags: tags.map((t) => ({ id: Buffer.from(`Tag:c${t.id}`).toString('base64'), name: t.name })) };
  },

  deleteArtifactCollectionTagAssignments: (
    _: unknown,
    { input }: { input: { entityName: string; projectName: string; artifactCollectionName: string; tags: TagInput[] } },
    ctx: Context,
  ) => {
    const c = namedCollection(ctx, input);
    const before = arts(ctx).collectionTags(c.id).map((t) => t.name);
    arts(ctx).removeCollectionTags(
      c.id,
      input.tags.map((t) => t.tagName),
    );
    automationEvents(ctx.store).collectionTagsChanged(c.id, before, ctx.viewer.id);
    return { success: true };
  },

  renameProject: (_: unknown, { input }: { input: { entityName: string; oldProjectName: string; newProjectName: string } }, ctx: Context) => {
    const project = requireProject(ctx, input.entityName, input.oldProjectName);
    assertWriter(ctx, project);
    const renamed = renameProject(ctx.store, project, input.newProjectName);
    return { project: renamed, model: renamed, inserted: false, entityName: renamed.entity_name, clientMutationId: null };
  },

  /** Deletes a project that holds no runs, sweeps or reports (registries); its collections go with it. */
  deleteModel: (_: unknown, { input }: { input: { id: string } }, ctx: Context) => {
    const id = decodeGid('Project', input.id);
    const project = id === undefined ? undefined : ctx.store.projects.byId(id);
    if (!project || !canReadProject(ctx, project.id)) throw new UserInputError(`project ${JSON.stringify(input.id)} not found`);
    assertWriter(ctx, project);
    deleteEmptyProject(ctx.store, project);
    return { success: true };
  },
};

function namedCollection(ctx: Context, input: { entityName: string; projectName: string; artifactCollectionName: string }): CollectionRow {
  const project = requireProject(ctx, input.entityName, input.projectName);
  const c = arts(ctx).collectionByName(project.id, input.artifactCollectionName);
  if (!c) throw new UserInputError(`artifact collection ${input.entityName}/${input.projectName}/${input.artifactCollectionName} not found`);
  return writableCollection(ctx, c);
}

function updateCollection(ctx: Context, c: CollectionRow, input: { name?: string | null; description?: string | null }) {
  writableCollection(ctx, c);
  const type = typeNameOf(ctx, c);
  if (input.name != null && input.name !== c.name && isReservedType(type, c.name)) {
    throw new UserInputError(`${c.name} has the reserved type ${type}: it cannot be renamed`);
  }
  return { artifactCollection: arts(ctx).updateCollection(c.id, input) };
}

/** The project a link targets: created on demand, except registries (they are made by upsertModel). */
function linkTargetProject(ctx: Context, entityName: string | null | undefined, projectName: string | null | undefined): ProjectRow {
  const entity = entityName ? ctx.store.entities.byName(entityName) : ctx.store.personalEntity(ctx.viewer);
  if (!entity || !projectName) throw new UserInputError(`project ${entityName ?? ''}/${projectName ?? ''} not found`);
  const existing = ctx.store.projects.byName(entity.id, projectName);
  if (existing) {
    if (!canReadProject(ctx, existing.id)) throw new UserInputError(`project ${entity.name}/${projectName} not found`);
    return existing;
  }
  if (projectName.startsWith(REGISTRY_PREFIX)) throw new UserInputError(`registry ${projectName} not found in ${entity.name}`);
  if (!ctx.canWrite(entity.id)) throw new ForbiddenError(`permission denied: ${ctx.viewer.username} cannot write to ${entity.name}`);
  return ctx.store.projects.insert({ entityId: entity.id, name: projectName, createdBy: ctx.viewer.id });
}

/** Registries accept only their artifact types, unless they allow all. */
function checkRegistryType(ctx: Context, project: ProjectRow, typeName: string): void {
  if (!project.name.startsWith(REGISTRY_PREFIX) || arts(ctx).allowAllTypes(project.id)) return;
  if (!arts(ctx).typeByName(project.id, typeName)) {
    throw new UserInputError(`artifact type ${typeName} is not allowed in registry ${project.name.slice(REGISTRY_PREFIX.length)}`);
  }
}

/**
 * upsertModel's registry fields: `allowAllArtifactTypesInRegistry` and `artifactTypes` (add-only);
 * a registry's creator becomes its first (admin) member, as on W&B.
 * Called by the upsertModel resolver after the project itself is saved.
 * @example applyRegistryFields(ctx, project, { allowAllArtifactTypesInRegistry: false, artifactTypes: [{ name: 'model' }] }, true)
 */
export function applyRegistryFields(
  ctx: Context,
  project: ProjectRow,
  input: { allowAllArtifactTypesInRegistry?: boolean | null; artifactTypes?: { name: string; description?: string | null }[] | null },
  inserted = false,
): void {
  if (inserted && project.name.startsWith(REGISTRY_PREFIX)) projectMembers(ctx.store).add(project.id, [ctx.viewer.id], [], 'admin');
  if (input.allowAllArtifactTypesInRegistry != null) arts(ctx).setAllowAllTypes(project.id, input.allowAllArtifactTypesInRegistry);
  for (const t of input.artifactTypes ?? []) {
    if (isReservedType(t.name)) throw new UserInputError(`artifact type ${t.name} is reserved for internal use`);
    arts(ctx).ensureType(project.id, t.name, t.description);
  }
}
