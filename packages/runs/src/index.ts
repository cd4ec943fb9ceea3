/**
 * The browser-safe entry of `@wandb-api/runs`: projects, runs, history, files, sweeps and reports as functions of a client.
 * @module @wandb-api/runs
 */
// @wandb-api/runs: projects and runs as tree-shakable functions over a client.
export { type CreateProjectInput, type ListProjectsOptions, type Project, createProject, getProject, listProjects } from './project.js';
export { CreateProjectDocument } from './generated/graphql.js'; // Python's Api.CREATE_PROJECT
export { type CreateRunInput, type GetRunOptions, type LightRun, type Run, type RunState, type RunValidators, createRun, generateRunId, getRun } from './run.js';
export { type ListRunsOptions, listRuns } from './runs.js';
export { type RunFieldFilters, type RunFilter, type RunOrder, type RunOrderField, type RunStateName, type TagsFilter, checkRunOrder } from './runQuery.js';
export { type HistoryKeys, type HistoryOptions, type HistoryRow, type ScanHistoryOptions, getHistory, getHistoryKeys, scanHistory } from './history.js';
export type { RunLocator } from './locate.js';
export {
  type DeleteRunOptions,
  type RunChanges,
  type RunTarget,
  type SettableRunState,
  deleteRun,
  stopRun,
  updateRun,
  updateRunState,
} from './mutations.js';
export { TERMINAL_RUN_STATES, type WaitUntilFinishedOptions, waitUntilFinished } from './wait.js';
export { type ConsoleLine, type ConsoleLogsOptions, consoleLogs, parseLogTimestamp } from './logs.js';
export {
  type RunColumn,
  type RunHistoriesOptions,
  type RunRow,
  type RunRowFields,
  type RunRows,
  type RunTableRow,
  type RunsToRowsOptions,
  type TaggedHistoryRow,
  runHistories,
  runsToRows,
} from './multi.js';
export {
  type FetchFileOptions,
  type FileData,
  type ListFilesOptions,
  type RunFile,
  type UploadFileInput,
  checkFileName,
  deleteFile,
  fetchFileBytes,
  fetchFileStream,
  getFile,
  listFiles,
  uploadFile,
} from './files.js';
export {
  type Agent,
  type AgentLocator,
  type BestRunOptions,
  type ListSweepsOptions,
  type Sweep,
  type SweepFieldFilters,
  type SweepFilter,
  type SweepLocator,
  type SweepStateName,
  agentRuns,
  bestRun,
  formatOrderKey,
  getAgent,
  getSweep,
  listAgents,
  listSweeps,
  sweepPriorRuns,
  sweepRuns,
} from './sweeps.js';
export { type ListReportsOptions, type Report, getReport, listReports, reportSlug } from './reports.js';
export { METADATA_FILE, getRunMetadata } from './metadata.js';
