// wandb-api: the `Api` class plus the most used types. Subpaths (wandb-api/runs, …) re-export the packages.
export { Api, type ApiOptions, type RunsOptions } from './api.js';
export * from '@wandb-api/core';
export { LightRun, Run } from './run.js';
export type { HistoryKeys, HistoryOptions, HistoryRow, Project, RunFilter, RunState, ScanHistoryOptions } from '@wandb-api/runs';
