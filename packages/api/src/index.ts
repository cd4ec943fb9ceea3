// wandb-api: the `Api` class plus the most used types. Subpaths (wandb-api/runs, …) re-export the packages.
export { Api, type ApiOptions, type RunsOptions } from './api.js';
export * from '@wandb-api/core';
export { LightRun, Run } from './run.js';
export { type DownloadOptions, File } from './file.js';
export { Agent, Sweep } from './sweep.js';
export type { BestRunOptions, ListReportsOptions, ListSweepsOptions, Report } from '@wandb-api/runs';
export type { HistoryKeys, HistoryOptions, HistoryRow, Project, RunFilter, RunState, ScanHistoryOptions } from '@wandb-api/runs';
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
