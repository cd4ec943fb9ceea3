/**
 * Registries as projects (an organization's `wandb-registry-<name>` projects): renaming one (W&B's
 * renameProject; a registry keeps its prefix) and deleting one that holds no runs, sweeps or reports,
 * with its artifact types, collections and versions (deleteModel). SQL only; permissions are the
 * resolvers' (graphql/artifactMutations.ts).
 */
import { UserInputError } from '../errors';
import { checkName, type ProjectRow } from './projects';
import type { Store } from './store';
import { wandbTime } from './time';

/** Registry projects are named `wandb-registry-<name>` under an organization's entity. */
export const REGISTRY_PREFIX = 'wandb-registry-';

/**
 * Renames a project within its entity; a registry keeps its prefix, a project does not gain it.
 * @example renameProject(store, project, 'wandb-registry-models-v2').name
 */
export function renameProject(store: Store, project: ProjectRow, newName: string): ProjectRow {
  checkName('project', newName);
  if (newName !== project.name) {
    if (store.projects.byName(project.entity_id, newName)) throw new UserInputError(`project ${newName} already exists`);
    if (project.name.startsWith(REGISTRY_PREFIX) !== newName.startsWith(REGISTRY_PREFIX)) throw new UserInputError('a registry keeps its wandb-registry- prefix');
    store.db.prepare('UPDATE projects SET name = ?, updated_at = ? WHERE id = ?').run(newName, wandbTime(), project.id);
  }
  return store.projects.byId(project.id) as ProjectRow;
}

/**
 * Deletes a project that holds no runs, sweeps or reports (a registry), with its artifact types,
 * collections and the versions logged in them (their links and aliases go too); its members go with it.
 * @example deleteEmptyProject(store, registry)
 */
export function deleteEmptyProject(store: Store, project: ProjectRow): void {
  const db = store.db;
  const busy = ['runs', 'sweeps', 'views'].some((t) => db.prepare(`SELECT 1 FROM ${t} WHERE project_id = ? LIMIT 1`).get(project.id) !== undefined);
  if (busy) throw new UserInputError(`project ${project.name} still holds runs, sweeps or reports`);
  db.transaction(() => {
    db.prepare('DELETE FROM artifacts WHERE sequence_id IN (SELECT id FROM artifact_collections WHERE project_id = ?)').run(project.id);
    db.prepare('DELETE FROM artifact_collections WHERE project_id = ?').run(project.id);
    db.prepare('DELETE FROM artifact_types WHERE project_id = ?').run(project.id);
    db.prepare('DELETE FROM projects WHERE id = ?').run(project.id);
  });
}
