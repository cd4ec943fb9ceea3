export { startServer } from './server';
export type { LocalServer, StartServerOptions } from './server';
export type { FaultRule } from './http/faults';
export type { Faults } from './http/faults';
export type { RequestLogEntry } from './http/requestLog';
export type { SeedSpec } from './seed/seed';
export type {
  Store,
  CreatedUser,
  CreateTeamInput,
  CreateProjectInput,
  CreateRunInput,
  CreatedRun,
} from './store/store';
