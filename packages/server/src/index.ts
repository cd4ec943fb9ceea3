/**
 * A W&B-compatible local server for tests, demos and benchmarks: `startServer`, and per-test data
 * through `server.seed` (in the server's process) or `connectSeeder` (from another one, over HTTP).
 * @module @wandb-api/server
 */
export { startServer } from './server';
export type { LocalAutomations, LocalServer, StartServerOptions } from './server';
export type { AutomationExecution, ExecutionState } from './store/triggerExecutions';
export type { FaultRule } from './http/faults';
export type { Faults } from './http/faults';
export type { RequestLogEntry } from './http/requestLog';
export type { SeedSpec } from './seed/seed';
// Federated identity: trusted JWT issuers (StartServerOptions.identity) and test tokens.
export { mintIdentityToken } from './http/oidc';
export type { IdentityOptions, MintIdentityTokenInput, TrustedIssuer } from './http/oidc';
export type { ArtifactFilesSpec } from './seed/artifacts';
export type { HistoryExportPolicy } from './store/historyExports';
export type { SchemaProfile } from './graphql/profiles';
// Per-test data.
export { connectSeeder } from './fixture/client';
export type { SeederConnection } from './fixture/client';
export type {
  Seeder,
  SeedProjectInput,
  SeededProject,
  SeedRunInput,
  SeededRun,
  SeedArtifactInput,
  SeededArtifact,
  SeedUserInput,
  SeededUser,
  SeedTeamInput,
  SeededTeam,
  SeedSlackIntegrationInput,
  SeededSlackIntegration,
} from './fixture/seeder';
// The fixture inputs the seed inputs take their fields (and the fields' documentation) from.
export type { CreateProjectInput, CreateRunInput } from './store/store';
export type { CreateArtifactInput, ArtifactReference, GeneratedContent } from './store/artifactFixtures';
