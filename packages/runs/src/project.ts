import {
  type CallOptions,
  NotFoundError,
  Paginated,
  type ProjectPath,
  ValidationError,
  type WandbClient,
  resolveEntity,
  resolveProjectPath,
  checkPerPage,
  endCursorOf,
  supports,
} from '@wandb-api/core';
import {
  CreateProjectDocument,
  ProjectDocument,
  type ProjectFieldsFragment,
  ProjectsDocument,
} from './generated/graphql.js';
import { legacyDocuments } from './legacyDocuments.js';
import { appUrl } from './url.js';

/** A W&B project. */
export interface Project {
  /** The server's global id. */
  readonly id: string;
  /** The numeric id some mutations need; null from servers that do not have it (W&B Server of 2023). */
  readonly internalId: string | null;
  /** The project name. */
  readonly name: string;
  /** The entity (user or team) that owns the project. */
  readonly entity: string;
  /** The project's description. */
  readonly description: string | null;
  /** `PRIVATE`, `PUBLIC` … as the server reports it. */
  readonly access: string | null;
  /** When the project was created (ISO 8601). */
  readonly createdAt: string;
  /** When the project last changed (ISO 8601). */
  readonly updatedAt: string | null;
  /** Whether the project is a W&B benchmark. */
  readonly isBenchmark: boolean;
  /** Whether the viewer may not change the project. */
  readonly readOnly: boolean;
  /** The project's owner. */
  readonly user: {
    /** The user's display name. */
    readonly name: string;
    /** The user's login name. */
    readonly username: string | null;
  } | null;
  /** `[entity, project]`, as Python's `project.path`. */
  readonly path: readonly [entity: string, project: string];
  /** The project's page in the W&B app. */
  readonly url: string;
}

export function toProject(client: WandbClient, node: ProjectFieldsFragment & { readonly internalId?: string }): Project {
  return {
    id: node.id,
    internalId: node.internalId ?? null,
    name: node.name,
    entity: node.entityName,
    description: node.description,
    access: node.access,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    isBenchmark: node.isBenchmark,
    readOnly: node.readOnly ?? false,
    user: node.user ? { name: node.user.name, username: node.user.username } : null,
    path: [node.entityName, node.name],
    url: appUrl(client, node.entityName, node.name, 'workspace'),
  };
}

export interface ListProjectsOptions extends CallOptions {
  /** Projects per request. Default 200 (as Python). */
  perPage?: number;
}

/**
 * The projects of an entity (default: the client's entity, else the viewer's).
 * @example for await (const p of listProjects(client, 'acme')) console.log(p.name);
 */
export function listProjects(client: WandbClient, entity?: string, options: ListProjectsOptions = {}): Paginated<Project> {
  const perPage = checkPerPage(options.perPage, 200);
  if (entity !== undefined && (typeof entity !== 'string' || !entity.trim() || entity.includes('/'))) {
    throw new ValidationError(`Invalid entity '${String(entity)}'.`);
  }
  return new Paginated({
    signal: options.signal,
    idOf: (p) => p.id,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const resolved = await resolveEntity(client, entity, call);
      const vars = { entity: resolved, cursor, perPage };
      // Servers without Project.internalId get the older variant (projects without it).
      const data = (await supports(client, ProjectsDocument, call))
        ? await client.request(ProjectsDocument, vars, call)
        : await client.request((await legacyDocuments()).ProjectsLegacyDocument, vars, call);
      if (!data.models) throw new NotFoundError(`Could not find entity '${resolved}'.`, { status: 404 });
      return {
        items: data.models.edges.flatMap((e) => (e.node ? [toProject(client, e.node)] : [])),
        cursor: endCursorOf(data.models),
        hasNextPage: data.models.pageInfo.hasNextPage,
      };
    },
  });
}

/**
 * One project by path (`project` or `entity/project`).
 * @example const p = await getProject(client, 'acme/mnist');
 */
export async function getProject(client: WandbClient, path: string | ProjectPath, options?: CallOptions): Promise<Project> {
  const { entity, project } = await resolveProjectPath(client, path, options);
  const vars = { name: project, entity };
  const data = (await supports(client, ProjectDocument, options))
    ? await client.request(ProjectDocument, vars, options)
    : await client.request((await legacyDocuments()).ProjectLegacyDocument, vars, options);
  if (!data.project) throw new NotFoundError(`Could not find project ${entity}/${project}.`, { status: 404 });
  return toProject(client, data.project);
}

/** What `createProject` needs. */
export interface CreateProjectInput {
  /** The project name: letters, digits, `-`, `_` and `.`. */
  name: string;
  /** Default: the client's entity, else the viewer's. */
  entity?: string;
  /** The project's description. */
  description?: string;
  /** e.g. `PRIVATE` or `PUBLIC`. */
  access?: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Creates a project, or returns the existing one with that name.
 * @example await createProject(client, { name: 'mnist', entity: 'acme' });
 */
export async function createProject(client: WandbClient, input: CreateProjectInput, options?: CallOptions): Promise<Project> {
  if (typeof input?.name !== 'string' || !NAME.test(input.name)) {
    throw new ValidationError(`Invalid project name '${String(input?.name)}': use letters, digits, '-', '_' and '.'.`);
  }
  const entity = await resolveEntity(client, input.entity, options);
  const vars = { input: { name: input.name, entityName: entity, description: input.description, access: input.access } };
  const data = (await supports(client, CreateProjectDocument, options))
    ? await client.request(CreateProjectDocument, vars, options)
    : await client.request((await legacyDocuments()).CreateProjectLegacyDocument, vars, options);
  const project = data.upsertModel?.project;
  if (!project) throw new NotFoundError(`Could not create project ${entity}/${input.name}.`, { status: 404 });
  return toProject(client, project);
}
