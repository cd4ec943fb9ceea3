// The artifact path grammar, as Python's `ArtifactPath.from_str` reads it: split at the FIRST ':'
// (the alias may itself hold '/' and ':'); before it, `name`, `project/name` or
// `prefix/project/name`, where the prefix is an entity, or an organization for registry projects.
import { ValidationError } from '@wandb-api/core';

/** A parsed artifact path; parts the input left out are undefined (defaults are filled later). */
export interface ArtifactPath {
  /** The entity, or for a registry project the organization (name or entity name). */
  readonly prefix?: string;
  /** The project; undefined means the client's default project. */
  readonly project?: string;
  /** The collection name. */
  readonly collection: string;
  /** What follows the first ':' — `vN` or an alias such as `latest`. */
  readonly alias?: string;
}

/** Projects whose names start with this hold registries (they live under the organization's entity). */
export const REGISTRY_PREFIX = 'wandb-registry-';

/**
 * Whether a project is a registry (`wandb-registry-<name>` with a non-empty name).
 * @example isRegistryProject('wandb-registry-model') // true
 */
export function isRegistryProject(project: string | undefined): boolean {
  return project !== undefined && project.startsWith(REGISTRY_PREFIX) && project.length > REGISTRY_PREFIX.length;
}

/**
 * Whether an alias names a version index (`v` then digits: `v0`, `v12`) rather than a custom alias.
 * @example isVersionAlias('v3') // true; isVersionAlias('latest') // false
 */
export function isVersionAlias(alias: string): boolean {
  return /^v\d+$/.test(alias);
}

function invalid(input: string, why: string): ValidationError {
  return new ValidationError(`Invalid artifact path: '${input}' (${why})`);
}

/**
 * Parses `[[prefix/]project/]collection[:alias]`. No alias is added: `p/coll` asks the server for
 * `coll` and lets it choose the version, as Python does.
 * @example parseArtifactPath('acme/mnist/model:v3') // { prefix: 'acme', project: 'mnist', collection: 'model', alias: 'v3' }
 */
export function parseArtifactPath(input: string): ArtifactPath {
  if (typeof input !== 'string') throw new ValidationError(`An artifact path must be a string, got ${typeof input}.`);
  const colon = input.indexOf(':');
  const head = colon < 0 ? input : input.slice(0, colon);
  const alias = colon < 0 ? undefined : input.slice(colon + 1);
  if (alias !== undefined && !alias) throw invalid(input, 'empty version or alias after ":"');
  const parts = head.split('/');
  if (parts.length > 3) throw invalid(input, 'expected [[entity/]project/]name[:alias]');
  if (parts.some((p) => !p.trim())) throw invalid(input, 'an empty part');
  const collection = parts[parts.length - 1]!;
  const base = alias === undefined ? { collection } : { collection, alias };
  if (parts.length === 1) return base;
  if (parts.length === 2) return { project: parts[0]!, ...base };
  return { prefix: parts[0]!, project: parts[1]!, ...base };
}

/**
 * `collection[:alias]`, the name the server looks a membership up by.
 * @example membershipName({ collection: 'mnist-dataset', alias: 'v2' }) // 'mnist-dataset:v2'
 */
export function membershipName(path: Pick<ArtifactPath, 'collection' | 'alias'>): string {
  return path.alias === undefined ? path.collection : `${path.collection}:${path.alias}`;
}
