// Artifacts (versions, types, collections, files, manifests, registries) load on first use (a
// dynamic import) so pages that never touch them do not download them; the facade imports only
// their types up front.
/**
 * Imports `@wandb-api/artifacts`, once; every artifact, collection, registry and organization call
 * of the facade goes through it.
 * @example const { getArtifact } = await loadArtifacts();
 */
export const loadArtifacts = () => import('@wandb-api/artifacts');

/** What `loadArtifacts` gives: the `@wandb-api/artifacts` module. */
export type ArtifactsModule = Awaited<ReturnType<typeof loadArtifacts>>;
