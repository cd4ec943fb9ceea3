// @wandb-api/runs: projects and runs as tree-shakable functions over a client.
export { type CreateProjectInput, type ListProjectsOptions, type Project, createProject, getProject, listProjects } from './project.js';
export { type CreateRunInput, type LightRun, type Run, type RunState, createRun, generateRunId, getRun } from './run.js';
export { type ListRunsOptions, type RunFilter, listRuns } from './runs.js';
export { type HistoryKeys, type HistoryOptions, type HistoryRow, type ScanHistoryOptions, getHistory, getHistoryKeys, scanHistory } from './history.js';
export type { RunLocator } from './locate.js';
