// What this repository's own tests, seeds and parity scenarios import as `@wandb-api/server`
// (vitest.config.ts and parity/tsconfig.json map the name here): the public entry (./index.ts) plus
// the fixtures that work on `server.store`. Not a published entry: the store's types follow the
// server's internals (and name better-sqlite3's), so consumers get `server.seed` instead.
export * from './index';
export type { Store, CreatedUser, CreateTeamInput, CreatedRun } from './store/store';
export { createArtifact, publicReference, linkArtifactVersion, corruptArtifactFile, manifestDigest, LOCAL_STORAGE_ORIGIN } from './store/artifactFixtures';
export type { CreatedArtifact, LinkArtifactVersionInput } from './store/artifactFixtures';
export { createOrganization } from './store/organizations';
export type { CreateOrganizationInput } from './store/organizations';
export { createRunQueue, pushRunQueueItem, setRunQueueItemState } from './store/launchFixtures';
export type { CreateRunQueueFixture, PushRunQueueItemFixture } from './store/launchFixtures';
export type { RunQueueItemState } from './store/launch';
