// Project paths of artifact calls (`project` or `entity/project`), with registry projects placed
// under their organization's entity. Unlike `Api.artifact`, these calls take the organization
// only from the path's first part, never from the client's `organization` (as Python).
import { type CallOptions, DEFAULT_PROJECT, ValidationError, type WandbClient, resolveEntity } from '@wandb-api/core';
import { isRegistryProject } from './artifactPath.js';
import { resolveOrgEntityName } from './org.js';

/** A project with its entity known. */
export interface ArtifactProject {
  /** The entity that owns the project (the organization's entity for registries). */
  readonly entity: string;
  /** The project name. */
  readonly project: string;
}

/**
 * Splits `entity/project` once at the first '/' (Python's `_parse_project_path`); `project` alone
 * or nothing takes the client's defaults. Throws ValidationError on malformed input.
 * @example parseArtifactProject('acme/mnist') // { entity: 'acme', project: 'mnist' }
 */
export function parseArtifactProject(path: string | undefined): { entity?: string; project?: string } {
  if (path === undefined || path === null) return {};
  if (typeof path !== 'string' || !path.trim()) throw new ValidationError(`Invalid project path '${String(path)}'.`);
  const slash = path.indexOf('/');
  if (slash < 0) return { project: path };
  const entity = path.slice(0, slash);
  const project = path.slice(slash + 1);
  if (!entity || !project || project.includes('/')) throw new ValidationError(`Invalid project path '${path}': expected "project" or "entity/project".`);
  return { entity, project };
}

/**
 * Resolves a parsed project: defaults filled, a registry project moved to its organization's entity.
 * @example const where = await resolveArtifactProject(client, parseArtifactProject('acme/mnist'));
 */
export async function resolveArtifactProject(
  client: WandbClient,
  parsed: { entity?: string; project?: string },
  options?: CallOptions,
): Promise<ArtifactProject> {
  const project = parsed.project ?? client.config.project ?? DEFAULT_PROJECT;
  if (isRegistryProject(project)) return { entity: await resolveOrgEntityName(client, parsed.entity, options), project };
  return { entity: await resolveEntity(client, parsed.entity, options), project };
}
