// Python-shaped run objects: the decoded fields of @wandb-api/runs plus methods that delegate to
// its functions. No behaviour lives here.
import type { CallOptions, WandbClient } from '@wandb-api/core';
import {
  type HistoryKeys,
  type HistoryOptions,
  type HistoryRow,
  type LightRun as LightRunData,
  type Run as RunData,
  type ScanHistoryOptions,
  getHistory,
  getHistoryKeys,
  getRun,
  scanHistory,
} from '@wandb-api/runs';

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

  /** Loads the whole run (config, summary, system metrics, history keys). */
  async load(options?: CallOptions): Promise<Run> {
    return new Run(this.#client, await getRun(this.#client, this.path.join('/'), options));
  }

  /** The history, sampled by the server to about `samples` (500) rows. */
  history(options?: HistoryOptions): Promise<HistoryRow[]> {
    return getHistory(this.#client, this, options);
  }

  /** Every history row in step order (not sampled), fetched in step windows. */
  scanHistory(options?: ScanHistoryOptions): AsyncIterable<HistoryRow> {
    return scanHistory(this.#client, this, options);
  }

  /** The logged keys and the last step, asked fresh (a full run also has them as `historyKeys`). */
  loadHistoryKeys(options?: CallOptions): Promise<HistoryKeys> {
    return getHistoryKeys(this.#client, this, options);
  }
}
// The data fields, declared once through the interface they come from.
export interface LightRun extends LightRunData {}

/** A run with all its data, as `api.run(path)` and `api.runs(path)` return it. */
export class Run extends LightRun {
  constructor(client: WandbClient, data: RunData) {
    super(client, data);
  }
}
export interface Run extends RunData {}
