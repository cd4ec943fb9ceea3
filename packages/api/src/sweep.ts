// Python-shaped sweep and agent objects: the decoded fields of @wandb-api/runs plus methods that
// delegate to its functions. No behaviour lives here.
import type { CallOptions, Paginated, WandbClient } from '@wandb-api/core';
import {
  type Agent as AgentData,
  type BestRunOptions,
  type LightRun as LightRunData,
  type ListRunsOptions,
  type Sweep as SweepData,
  agentRuns,
  bestRun,
  getAgent,
  listAgents,
  sweepPriorRuns,
  sweepRuns,
} from '@wandb-api/runs';
import { LightRun, Run } from './run.js';

/** A sweep, as `api.sweep(path)` returns it. */
export class Sweep {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: SweepData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** The client this sweep talks through. */
  get client(): WandbClient {
    return this.#client;
  }

  /** The sweep's runs with config and summary (`lazy: true` for the light fields), default order `+created_at`; `runs<Config, Summary>()` types them. */
  runs<C = Record<string, unknown>, S = Record<string, unknown>>(options: Omit<ListRunsOptions<C, S>, 'full'> & { lazy: true }): Paginated<LightRun>;
  runs<C = Record<string, unknown>, S = Record<string, unknown>>(options?: Omit<ListRunsOptions<C, S>, 'full'> & { lazy?: boolean }): Paginated<Run<C, S>>;
  runs(options: Omit<ListRunsOptions, 'full'> & { lazy?: boolean } = {}): Paginated<LightRun> | Paginated<Run> {
    const { lazy = false, ...rest } = options;
    return lazy
      ? sweepRuns(this.#client, this, rest).map((data: LightRunData) => new LightRun(this.#client, data))
      : sweepRuns(this.#client, this, { ...rest, full: true }).map((data) => new Run(this.#client, data));
  }

  /** The best run by the sweep's metric goal (or `order`); null without runs. Without a metric: the most recent run. */
  async bestRun<C = Record<string, unknown>, S = Record<string, unknown>>(options?: BestRunOptions<C, S>): Promise<Run<C, S> | null> {
    const data = await bestRun(this.#client, this, options);
    return data && new Run(this.#client, data);
  }

  /** The runs the sweep was created with (`prior_runs`), light fields. Python's Sweep has no such method. */
  async priorRuns(options?: CallOptions): Promise<LightRun[]> {
    return (await sweepPriorRuns(this.#client, this, options)).map((data) => new LightRun(this.#client, data));
  }

  /** The sweep's agents. */
  async agents(options?: CallOptions): Promise<Agent[]> {
    return (await listAgents(this.#client, this, options)).map((a) => new Agent(this.#client, a));
  }

  /** One agent by name or id. */
  async agent(agentId: string, options?: CallOptions): Promise<Agent> {
    return new Agent(this.#client, await getAgent(this.#client, this, agentId, options));
  }
}
export interface Sweep extends SweepData {}

/** A sweep agent. */
export class Agent {
  readonly #client: WandbClient;

  constructor(client: WandbClient, data: AgentData) {
    this.#client = client;
    Object.assign(this, data);
  }

  /** The runs this agent started (light fields, 50 per page); `.count()` is `totalRuns`. */
  runs(options?: { perPage?: number } & CallOptions): Paginated<LightRun> {
    return agentRuns(this.#client, this, options).map((data) => new LightRun(this.#client, data));
  }
}
export interface Agent extends AgentData {}
