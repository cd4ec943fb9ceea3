// Python-shaped run objects: the decoded fields of @wandb-api/runs plus methods that delegate to
// its functions. No behaviour lives here.
import { type CallOptions, type Paginated, type WandbClient, deferPaginated } from '@wandb-api/core';
import {
  type HistoryKeys,
  type HistoryOptions,
  type HistoryRow,
  type ListFilesOptions,
  type LightRun as LightRunData,
  type Run as RunData,
  type ScanHistoryOptions,
  type ConsoleLine,
  type ConsoleLogsOptions,
  type DeleteRunOptions,
  type GetRunOptions,
  type RunChanges,
  type RunState,
  type SettableRunState,
  type WaitUntilFinishedOptions,
  consoleLogs,
  deleteRun,
  stopRun,
  updateRun,
  updateRunState,
  waitUntilFinished,
  getHistory,
  getHistoryKeys,
  getFile,
  getRun,
  getRunMetadata,
  listFiles,
  scanHistory,
} from '@wandb-api/runs';
import { File } from './file.js';
import { uploadFilePath } from './local.js';
import type { RunArtifactsOptions } from '@wandb-api/artifacts';
import { loadArtifacts } from './artifactsModule.js';
import { Artifact } from './artifact.js';

/** A run with its light fields (from `api.runs(path, { lazy: true })`); `load()` gets the rest. */
export class LightRun {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: LightRunData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** The client this run talks through. */
  get client(): WandbClient {
    return this.#client;
  }

  /** Loads the whole run (config, summary, system metrics, history keys); `load<Config, Summary>()` types them. */
  async load<C = Record<string, unknown>, S = Record<string, unknown>>(options?: GetRunOptions<C, S>): Promise<Run<C, S>> {
    return new Run(this.#client, await getRun(this.#client, this.path.join('/'), options));
  }

  /** The history, sampled by the server to about `samples` (500) rows. */
  history(options?: HistoryOptions): Promise<HistoryRow[]> {
    return getHistory(this.#client, this, options);
  }

  /** Every history row in step order (not sampled), fetched in step windows (a Paginated list: `toArray({ limit })`, early exit). */
  scanHistory(options?: ScanHistoryOptions): Paginated<HistoryRow> {
    return scanHistory(this.#client, this, options);
  }

  /** The logged keys and the last step, asked fresh (a full run also has them as `historyKeys`). */
  loadHistoryKeys(options?: CallOptions): Promise<HistoryKeys> {
    return getHistoryKeys(this.#client, this, options);
  }

  /**
   * The run's `wandb-metadata.json` (host, python, git, args …), or null when it has none. Python's
   * `run.metadata` is a property that hides every failure as None; this throws typed errors.
   */
  metadata(options?: CallOptions): Promise<Record<string, unknown> | null> {
    return getRunMetadata(this.#client, this, options);
  }

  /** The run's files, paged (`names` or a SQL LIKE `pattern`; `perPage` 50). `.count()` is the run's total. */
  files(options?: ListFilesOptions): Paginated<File> {
    return listFiles(this.#client, this, options).map((f) => new File(this.#client, f));
  }

  /** One file by name; NotFoundError when the run has none by that name. */
  async file(name: string, options?: CallOptions): Promise<File> {
    return new File(this.#client, await getFile(this.#client, this, name, options));
  }

  /** Uploads a local file, named by its path relative to `root` (default `.`). Node only. */
  async uploadFile(path: string, root = '.', options?: CallOptions): Promise<File> {
    return new File(this.#client, await uploadFilePath(this.#client, this, path, { ...options, root }));
  }

  /**
   * Writes changes to the server and refreshes this object from its answer. Python's `update()`
   * takes no arguments and sends the run's local fields (set by assignment); here the changes are
   * an object (`{ displayName, tags, notes, description, group, jobType, config, summary }`) and
   * only those are sent. `summary` replaces the whole summary, as in Python.
   * @example await run.update({ tags: [...run.tags, 'best'], summary: { ...run.summary, score: 0.9 } });
   */
  async update(changes: RunChanges = {}, options?: CallOptions): Promise<this> {
    return Object.assign(this, await updateRun(this.#client, this, changes, options));
  }

  /** Python's alias of `update()`. */
  save(changes: RunChanges = {}, options?: CallOptions): Promise<this> {
    return this.update(changes, options);
  }

  /** Deletes the run (and, with `deleteArtifacts: true`, the artifacts it logged). */
  delete(options?: DeleteRunOptions): Promise<void> {
    return deleteRun(this.#client, this, options);
  }

  /** Moves the run to `pending` or `failed` when the server allows it; true (and `state` updated) if it did. */
  async updateState(state: SettableRunState, options?: CallOptions): Promise<boolean> {
    const done = await updateRunState(this.#client, this, state, options);
    if (done) Object.assign(this, { state });
    return done;
  }

  /** Asks the run to stop (the server sets a flag its process polls). */
  stop(options?: CallOptions): Promise<boolean> {
    return stopRun(this.#client, this, options);
  }

  /**
   * Polls every `pollMs` (5000) until the run is finished, crashed, failed, killed or preempted
   * (Python waits for ever on the last two) and returns that state, also set on this object.
   */
  async waitUntilFinished(options?: WaitUntilFinishedOptions): Promise<RunState> {
    const state = await waitUntilFinished(this.#client, this, options);
    Object.assign(this, { state });
    return state;
  }

  /** The artifacts this run logged, 100 per page (Python's `logged_artifacts()`). */
  loggedArtifacts(options?: RunArtifactsOptions): Paginated<Artifact> {
    return deferPaginated(loadArtifacts, (m) => m.runLoggedArtifacts(this.#client, this, options).map((data) => new Artifact(this.#client, data)));
  }

  /** The artifacts this run used, 100 per page (Python's `used_artifacts()`). */
  usedArtifacts(options?: RunArtifactsOptions): Paginated<Artifact> {
    return deferPaginated(loadArtifacts, (m) => m.runUsedArtifacts(this.#client, this, options).map((data) => new Artifact(this.#client, data)));
  }

  /** The console lines: all of them paged forward (`perPage` 1000), or the `last` N in one request. */
  consoleLogs(options?: ConsoleLogsOptions): Paginated<ConsoleLine> {
    return consoleLogs(this.#client, this, options);
  }
}
// The data fields, declared once through the interface they come from.
export interface LightRun extends LightRunData {}

/** A run with all its data, as `api.run(path)` and `api.runs(path)` return it; C and S type its config and summary. */
export class Run<C = Record<string, unknown>, S = Record<string, unknown>> extends LightRun {
  constructor(client: WandbClient, data: RunData<C, S>) {
    super(client, data);
  }
}
export interface Run<C = Record<string, unknown>, S = Record<string, unknown>> extends RunData<C, S> {}
