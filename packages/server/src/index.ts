/**
 * A W&B-compatible local server for tests, demos and benchmarks, with store fixtures for seeding.
 * @module @wandb-api/server
 */
export { startServer } from './server';
export type { LocalServer, StartServerOptions } from './server';
export type { FaultRule } from './http/faults';
export type { Faults } from './http/faults';
export type { RequestLogEntry } from './http/requestLog';
export type { SeedSpec } from './seed/seed';
// Federated identity: trusted JWT issuers (StartServerOptions.identity) and test tokens.
export { mintIdentityToken } from './http/oidc';
export type { IdentityOptions, MintIdentityTokenInput, TrustedIssuer } from './http/oidc';
export type {
  Store,
  CreatedUser,
  CreateTeamInput,
  CreateProjectInput,
  CreateRunInput,
  CreatedRun,
} from './store/store';
// Artifacts, registries and organizations (fixtures for tests and seeds).
export {
  createArtifact,
  publicReference,
  linkArtifactVersion,
  corruptArtifactFile,
  manifestDigest,
  LOCAL_STORAGE_ORIGIN,
} from './store/artifactFixtures';
export type {
  CreateArtifactInput,
  CreatedArtifact,
  ArtifactReference,
  GeneratedContent,
  LinkArtifactVersionInput,
} from './store/artifactFixtures';
export { createOrganization } from './store/organizations';
export type { CreateOrganizationInput } from './store/organizations';
export type { ArtifactFilesSpec } from './seed/artifacts';
// Launch: run queues and their items (fixtures for tests and seeds).
export { createRunQueue, pushRunQueueItem, setRunQueueItemState } from './store/launchFixtures';
export type { CreateRunQueueFixture, PushRunQueueItemFixture } from './store/launchFixtures';
export type { RunQueueItemState } from './store/launch';
