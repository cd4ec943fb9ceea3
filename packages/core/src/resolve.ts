// Filling the parts a path leaves out: the entity from the client's config, else the viewer's
// default entity (one cached request, made only when needed); the project from the config.
import type { WandbClient } from './client.js';
import { DEFAULT_PROJECT } from './config.js';
import { ValidationError } from './errors.js';
import { type ProjectPath, parseProjectPath, parseRunPath } from './paths.js';
import type { CallOptions } from './transport.js';
import { getDefaultEntity } from './viewer.js';

/** A project path with both parts known. */
export interface ResolvedProjectPath {
  /** The entity (user or team). */
  readonly entity: string;
  /** The project name. */
  readonly project: string;
}

/** A run path with every part known. */
export interface ResolvedRunPath extends ResolvedProjectPath {
  /** The run's id (the short one in its URL). */
  readonly runId: string;
}

/** The entity to use: the given one, the client's, else the viewer's default entity. */
export async function resolveEntity(client: WandbClient, entity?: string | null, options?: CallOptions): Promise<string> {
  const chosen = entity ?? client.config.entity ?? (await getDefaultEntity(client, options));
  if (!chosen) throw new ValidationError('No entity: pass one, or set `entity` in the client options or WANDB_ENTITY.');
  return chosen;
}

/**
 * Resolves `project`, `entity/project`, an app URL, or nothing (the client's project, else
 * `uncategorized`) into an entity and a project.
 */
export async function resolveProjectPath(client: WandbClient, path?: string | ProjectPath, options?: CallOptions): Promise<ResolvedProjectPath> {
  const parsed: Partial<ProjectPath> = typeof path === 'string' ? parseProjectPath(path) : (path ?? {});
  const project = parsed.project ?? client.config.project ?? DEFAULT_PROJECT;
  return { entity: await resolveEntity(client, parsed.entity, options), project };
}

/** Resolves any run path form into entity, project and run id; malformed paths throw before any request. */
export async function resolveRunPath(client: WandbClient, path: string, options?: CallOptions): Promise<ResolvedRunPath> {
  const parsed = parseRunPath(path);
  const project = parsed.project ?? client.config.project;
  if (!project) throw new ValidationError(`Invalid path: '${path}' (missing project)`);
  return { entity: await resolveEntity(client, parsed.entity, options), project, runId: parsed.runId };
}
