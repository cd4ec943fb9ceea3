// Artifact types of a project (`dataset`, `model` …).
import { type CallOptions, NotFoundError, Paginated, ValidationError, type WandbClient, endCursorOf } from '@wandb-api/core';
import { type ArtifactTypeFieldsFragment, ProjectArtifactTypeDocument, ProjectArtifactTypesDocument } from './generated/graphql.js';
import { parseArtifactProject, resolveArtifactProject } from './projectPath.js';

/** An artifact type of a project. */
export interface ArtifactType {
  /** The server's global id. */
  readonly id: string;
  /** The type name (`dataset`, `model` …). */
  readonly name: string;
  /** Free text; null when none is set. */
  readonly description: string | null;
  /** ISO 8601 creation time, as the server reports it. */
  readonly createdAt: string;
  /** The entity of the project it belongs to. */
  readonly entity: string;
  /** The project it belongs to (types are per project). */
  readonly project: string;
}

function toArtifactType(node: ArtifactTypeFieldsFragment, entity: string, project: string): ArtifactType {
  return { id: node.id, name: node.name, description: node.description ?? null, createdAt: node.createdAt, entity, project };
}

/**
 * Checks a type or collection name before any request.
 * @example checkName('dataset', 'artifact type') // 'dataset'
 */
export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new ValidationError(`Invalid ${what} '${String(value)}'.`);
  return value;
}

/**
 * One artifact type of a project (`entity/project`, `project`, or the client's default project).
 * @example const type = await getArtifactType(client, 'model', 'demo/mnist-classifier');
 */
export async function getArtifactType(client: WandbClient, typeName: string, project?: string, options?: CallOptions): Promise<ArtifactType> {
  checkName(typeName, 'artifact type');
  const where = await resolveArtifactProject(client, parseArtifactProject(project), options);
  const data = await client.request(ProjectArtifactTypeDocument, { ...where, type: typeName }, options);
  const node = data.project?.artifactType;
  if (!node) throw new NotFoundError(`Could not find artifact type '${typeName}'`, { status: 404 });
  return toArtifactType(node, where.entity, where.project);
}

/**
 * The artifact types of a project, 50 per page (Python's fixed page size). No count.
 * @example for await (const t of listArtifactTypes(client, 'demo/mnist-classifier')) console.log(t.name);
 */
export function listArtifactTypes(client: WandbClient, project?: string, options: CallOptions = {}): Paginated<ArtifactType> {
  const parsed = parseArtifactProject(project);
  return new Paginated({
    signal: options.signal,
    idOf: (t) => t.id,
    fetchPage: async (cursor, signal) => {
      const call = { ...options, signal };
      const where = await resolveArtifactProject(client, parsed, call);
      const data = await client.request(ProjectArtifactTypesDocument, { ...where, cursor, perPage: 50 }, call);
      const types = data.project?.artifactTypes;
      if (!types) throw new NotFoundError(`Could not find project ${where.entity}/${where.project}.`, { status: 404 });
      return {
        items: types.edges.flatMap((e) => (e?.node ? [toArtifactType(e.node, where.entity, where.project)] : [])),
        cursor: endCursorOf(types),
        hasNextPage: types.pageInfo.hasNextPage,
      };
    },
  });
}
