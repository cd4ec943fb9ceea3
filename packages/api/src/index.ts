/**
 * The `Api` class, shaped like Python's `wandb.Api`, its object classes, and the most used types.
 * @module wandb-api
 */
// wandb-api: the `Api` class plus the most used types. Subpaths (wandb-api/runs, …) re-export the packages.
export { Api, type ApiOptions, type RunsOptions } from './api.js';
export * from '@wandb-api/core';
export { LightRun, Run } from './run.js';
export { type DownloadOptions, File } from './file.js';
export { Agent, Sweep } from './sweep.js';
export { Artifact, ArtifactType } from './artifact.js';
export { ArtifactCollection } from './artifactCollection.js';
export { type CollectionList, Registry, type RegistryList } from './registry.js';
export { User } from './user.js';
export { Member, Team } from './team.js';
export type { ApiKey, Invite, OrganizationMember } from '@wandb-api/admin';
export type {
  Automation,
  AutomationChanges,
  AutomationScope,
  CreateAutomationOptions,
  Integration,
  ListAutomationsOptions,
  ListIntegrationsOptions,
  NewAutomation,
  Organization,
  SavedAction,
  SavedEvent,
  SlackIntegration,
  WebhookIntegration,
} from '@wandb-api/admin';
export type {
  ArtifactChanges,
  ArtifactCollectionChanges,
  ArtifactFile,
  ArtifactManifest,
  ArtifactTtl,
  ListArtifactCollectionsOptions,
  ListArtifactsOptions,
  ListRegistriesOptions,
  ManifestEntry,
  RegistryChanges,
  ArtifactCollectionFilter,
  ArtifactVersionFilter,
  RegistryFilter,
  RegistryFilterInput,
  RegistryMember,
  RegistryMemberRef,
  RegistryRole,
  RegistryTeamMember,
  RegistryUserMember,
  RegistryOrder,
  RegistryVisibility,
} from '@wandb-api/artifacts';
export type { SyncTensorboardOptions, SyncTensorboardResult } from './tensorboard.js';
export type { BestRunOptions, ListReportsOptions, ListSweepsOptions, Report, SweepFilter, SweepStateName } from '@wandb-api/runs';
export type { HistoryKeys, HistoryOptions, HistoryRow, Project, RunFilter, RunOrder, RunState, RunStateName, ScanHistoryOptions } from '@wandb-api/runs';
export type { GetRunOptions, RunValidators, RunColumn, RunRow, RunRows, TagsFilter } from '@wandb-api/runs';
export type {
  ConsoleLine,
  ConsoleLogsOptions,
  DeleteRunOptions,
  RunChanges,
  RunHistoriesOptions,
  RunTableRow,
  RunsToRowsOptions,
  SettableRunState,
  TaggedHistoryRow,
  WaitUntilFinishedOptions,
} from '@wandb-api/runs';
export { QueuedRun, RunQueue } from './launchQueues.js';
export { Job, type JobCallOptions } from './launchJob.js';
export type {
  CreateRunQueueOptions,
  JobSummary,
  JobVersion,
  QueuedRunState,
  RunQueueType,
  TemplateVariable,
  TemplateVariableSchema,
  UpsertRunQueueOptions,
  WaitOptions,
} from '@wandb-api/launch';
