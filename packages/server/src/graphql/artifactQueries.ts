/**
 * Where artifacts hang off the rest of the graph: Query.artifact / artifactCollection / organization,
 * Project's artifact fields (path lookups `name:alias` / `name:vN`, types, collections, registry flags),
 * Run.inputArtifacts / outputArtifacts, Entity.organization / user / artifactCollections /
 * artifactMemberships (registry search across an org entity), User.organizations and Organization.
 */
import { decodeArtifactNodeGid, artifactNodeGid } from '../artifactIds';
import type { ArtifactRow, CollectionKind, CollectionRow, MembershipRow } from '../store/artifacts';
import { organizations, type OrganizationRow } from '../store/organizations';
import { REGISTRY_PREFIX } from '../store/registries';
import type { EntityRow, ProjectRow, RunRow, UserRow } from '../store/store';
import {
  arts,
  canReadArtifact,
  canReadProject,
  collectionConnection,
  collectionDoc,
  listConnection,
  projectDoc,
  versionDoc,
  type PageArgs,
} from './artifact';
import { matches, pageRows, parseFilter, parseOrder } from './artifactPaging';
import { connection } from './connection';
import type { Context } from './context';
import type { TypeResolvers } from './resolver';


/** The project of an entity that held its (legacy) model registry, and still holds Launch queues. */
const LEGACY_MODEL_REGISTRY = 'model-registry';

/** `coll:alias` → collection name and alias (split at the first ':'; the alias may hold more). */
export function splitArtifactName(name: string): { collection: string; alias: string | undefined } {
  const i = name.indexOf(':');
  return i < 0 ? { collection: name, alias: undefined } : { collection: name.slice(0, i), alias: name.slice(i + 1) };
}

/**
 * Where W&B moved an entity's legacy model registry (its `model-registry` project): the
 * `wandb-registry-model` registry of the entity's organization (a personal entity's: its user's first),
 * when the viewer can read it. Names not found in `model-registry` resolve there, as on W&B.
 */
function migratedModelRegistry(ctx: Context, p: ProjectRow): ProjectRow | undefined {
  if (p.name !== LEGACY_MODEL_REGISTRY) return undefined;
  const orgs = organizations(ctx.store);
  const owner = ctx.entity(p.entity_id)?.owner_id;
  const org = orgs.ofEntity(p.entity_id) ?? (owner != null ? orgs.ofUser(owner)[0] : undefined);
  const registry = org && ctx.store.projects.byName(org.org_entity_id, `${REGISTRY_PREFIX}model`);
  return registry && canReadProject(ctx, registry.id) ? registry : undefined;
}

/** A live collection by name in `p`, or in the registry `p`'s legacy model registry moved to. */
function collectionIn(ctx: Context, p: ProjectRow, name: string): CollectionRow | undefined {
  const found = arts(ctx).collectionByName(p.id, name);
  if (found) return found;
  const registry = migratedModelRegistry(ctx, p);
  return registry && arts(ctx).collectionByName(registry.id, name);
}

function membershipByName(ctx: Context, p: ProjectRow, name: string | null | undefined): MembershipRow | null {
  if (!name) return null;
  const { collection, alias } = splitArtifactName(name);
  const c = collectionIn(ctx, p, collection);
  return (c && arts(ctx).resolve(c.id, alias)) ?? null;
}

/** Every project of an entity the viewer may read. */
export function visibleProjects(ctx: Context, entity: EntityRow): ProjectRow[] {
  return ctx.store.projects.list(entity.id, ctx.viewer, { first: 100_000 }).items.map((i) => i.node);
}

/** Orders of registry version searches (Python's advanced search names and their aliases). */
const MEMBERSHIP_ORDER = {
  artifact_created_at: 'created_at',
  created_at: 'created_at',
  createdAt: 'created_at',
  artifact_size: 'size',
  acm_created_at: 'linked_at',
  linked_at: 'linked_at',
  version_index: 'version_index',
  versionIndex: 'version_index',
  id: 'id',
};

const PROJECT_ORDER = { name: 'name', createdAt: 'created_at', created_at: 'created_at', updatedAt: 'updated_at', updated_at: 'updated_at', id: 'id' };

/**
 * Entity.projects when a filter or order is given (registry search): an org entity lists only its
 * `wandb-registry-*` projects, filtered by the registry fields (id, name, entity_id, description, created_at, updated_at).
 */
export function filteredProjectConnection(ctx: Context, entity: EntityRow, args: PageArgs & { filters?: string | null; order?: string | null }) {
  const filter = parseFilter(args.filters);
  const order = parseOrder(args.order, PROJECT_ORDER) ?? { field: 'id', desc: false };
  const isOrgEntity = organizations(ctx.store).ofEntity(entity.id)?.org_entity_id === entity.id;
  const rows = visibleProjects(ctx, entity).filter((p) => (!isOrgEntity || p.name.startsWith(REGISTRY_PREFIX)) && matches(projectDoc(p), filter));
  const page = pageRows(rows, (p) => (order.field === 'id' ? p.id : (p[order.field as keyof ProjectRow] as string)), (p) => p.id, order.desc, args, 100);
  return connection(page, args.after);
}

function projectsMatching(ctx: Context, entity: EntityRow, projectFilters: string | null | undefined): ProjectRow[] {
  const filter = parseFilter(projectFilters);
  return visibleProjects(ctx, entity).filter((p) => matches(projectDoc(p), filter));
}

/** Organizations the viewer may see: their own, or any for admins. */
function visibleOrg(ctx: Context, org: OrganizationRow | undefined): OrganizationRow | null {
  if (!org) return null;
  return ctx.viewer.admin === 1 || organizations(ctx.store).isMember(org.id, ctx.viewer.id) || ctx.store.entities.isMember(org.org_entity_id, ctx.viewer.id)
    ? org
    : null;
}

export const ArtifactQueries: TypeResolvers = {
  artifact: (_: unknown, args: { id: string }, ctx: Context) => {
    const id = decodeArtifactNodeGid('Artifact', args.id);
    const a = id === undefined ? undefined : arts(ctx).artifactById(id);
    return a && canReadArtifact(ctx, a) ? a : null;
  },
  artifactCollection: (_: unknown, args: { id: string }, ctx: Context) => {
    const id = decodeArtifactNodeGid('ArtifactCollection', args.id);
    const c = id === undefined ? undefined : arts(ctx).collectionById(id);
    return c && c.state === 'READY' && canReadProject(ctx, c.project_id) ? c : null;
  },
  organization: (_: unknown, args: { id?: string | null; name?: string | null }, ctx: Context) => {
    const orgs = organizations(ctx.store);
    if (args.name) return visibleOrg(ctx, orgs.byName(args.name));
    const id = args.id ? decodeArtifactNodeGid('Organization', args.id) : undefined;
    return visibleOrg(ctx, id === undefined ? undefined : orgs.byId(id));
  },
};

export const ProjectArtifacts: TypeResolvers = {
  artifact: (p: ProjectRow, args: { name: string }, ctx: Context) => {
    const m = membershipByName(ctx, p, args.name);
    return m ? (arts(ctx).artifactById(m.artifact_id) ?? null) : null;
  },
  artifactCollectionMembership: (p: ProjectRow, args: { name?: string | null }, ctx: Context) => membershipByName(ctx, p, args.name),
  artifactCollection: (p: ProjectRow, args: { name: string }, ctx: Context) => collectionIn(ctx, p, args.name) ?? null,
  artifactCollections: (p: ProjectRow, args: PageArgs & { filters?: string | null; order?: string | null; collectionTypes?: CollectionKind[] | null }, ctx: Context) =>
    collectionConnection(ctx, { projectIds: [p.id], kinds: args.collectionTypes }, args),
  artifactType: (p: ProjectRow, args: { name: string }, ctx: Context) => arts(ctx).typeByName(p.id, args.name) ?? null,
  artifactTypes: (p: ProjectRow, args: PageArgs & { includeAll?: boolean | null }, ctx: Context) => {
    // Without includeAll, only types that hold a collection (W&B hides empty ones).
    const types = arts(ctx)
      .typesOf(p.id)
      .filter((t) => args.includeAll || arts(ctx).collections({ projectIds: [p.id], typeId: t.id }).length > 0);
    return connection(pageRows(types, (t) => t.id, (t) => t.id, false, args), args.after);
  },
  allowAllArtifactTypesInRegistry: (p: ProjectRow, _: unknown, ctx: Context) => arts(ctx).allowAllTypes(p.id),
};

export const RunArtifacts: TypeResolvers = {
  inputArtifacts: (r: RunRow, args: PageArgs, ctx: Context) =>
    listConnection(arts(ctx).inputsOf(r.id).filter((a) => canReadArtifact(ctx, a)), (a: ArtifactRow) => a.id, args),
  outputArtifacts: (r: RunRow, args: PageArgs, ctx: Context) => listConnection(arts(ctx).outputsOf(r.id), (a: ArtifactRow) => a.id, args),
};

export const EntityArtifacts: TypeResolvers = {
  organization: (e: EntityRow, _: unknown, ctx: Context) => organizations(ctx.store).ofEntity(e.id) ?? null,
  user: (e: EntityRow, _: unknown, ctx: Context) => (e.is_team === 0 && e.owner_id !== null ? (ctx.user(e.owner_id) ?? null) : null),
  artifactCollections: (
    e: EntityRow,
    args: PageArgs & { filters?: string | null; order?: string | null; projectFilters?: string | null; collectionTypes?: CollectionKind[] | null },
    ctx: Context,
  ) => collectionConnection(ctx, { projectIds: projectsMatching(ctx, e, args.projectFilters).map((p) => p.id), kinds: args.collectionTypes }, args),
  artifactMemberships: (
    e: EntityRow,
    args: PageArgs & { filters?: string | null; order?: string | null; projectFilters?: string | null; collectionFilters?: string | null },
    ctx: Context,
  ) => {
    const collectionFilter = parseFilter(args.collectionFilters);
    const versionFilter = parseFilter(args.filters);
    const collections: CollectionRow[] = arts(ctx)
      .collections({ projectIds: projectsMatching(ctx, e, args.projectFilters).map((p) => p.id) })
      .filter((c) => matches(collectionDoc(ctx, c), collectionFilter));
    const rows = collections.flatMap((c) =>
      arts(ctx)
        .membershipsOf(c.id)
        .filter((m) => matches(versionDoc(ctx, m, arts(ctx).artifactById(m.artifact_id) as ArtifactRow), versionFilter)),
    );
    // Newest links first (as registry version searches list them) unless an order is given.
    const order = parseOrder(args.order, MEMBERSHIP_ORDER) ?? { field: 'id', desc: true };
    const key = (m: MembershipRow): string | number => {
      if (order.field === 'id' || order.field === 'version_index') return order.field === 'id' ? m.id : m.version_index;
      if (order.field === 'linked_at') return m.created_at;
      const a = arts(ctx).artifactById(m.artifact_id) as ArtifactRow;
      return order.field === 'size' ? a.size : a.created_at;
    };
    return connection(pageRows(rows, key, (m) => m.id, order.desc, args, 100), args.after);
  },
};

export const UserOrganizations: TypeResolvers = {
  organizations: (u: UserRow, _: unknown, ctx: Context) =>
    ctx.viewer.id === u.id || ctx.viewer.admin === 1 ? organizations(ctx.store).ofUser(u.id) : [],
};

export const Organization: TypeResolvers = {
  id: (o: OrganizationRow) => artifactNodeGid('Organization', o.id),
  name: (o: OrganizationRow) => o.name,
  orgEntity: (o: OrganizationRow, _: unknown, ctx: Context) => ctx.entity(o.org_entity_id) ?? null,
  advancedRegistryFeatures: (o: OrganizationRow) => ({ advancedSearch: o.advanced_search === 1 }),
};
