// The facade: a Python-shaped `Api` class whose methods only delegate to the subpackage functions.
import {
  type CallOptions,
  type ClientOptions,
  type Paginated,
  type Viewer,
  WandbClient,
  WandbError,
  createClient,
  getDefaultEntity,
  getViewer,
  parsePath,
} from '@wandb-api/core';
import {
  type ListRunsOptions,
  type Project,
  createProject,
  createRun,
  getProject,
  getRun,
  listProjects,
  listRuns,
} from '@wandb-api/runs';
import { LightRun, Run } from './run.js';

/** Options of `new Api(...)`: the client options, plus Python's `timeout` in seconds. */
export interface ApiOptions extends ClientOptions {
  /** Per-request timeout in seconds (Python's `timeout`). Prefer `timeoutMs`. */
  timeout?: number;
}

/** Options of `Api#runs`. */
export interface RunsOptions extends Omit<ListRunsOptions, 'full'> {
  /**
   * Load only the light fields (no config, summary, system metrics). Default false: unlike
   * Python, which loads each run's data with one extra request on first access, every page
   * carries it, so a ported script gets the same values without N extra requests.
   */
  lazy?: boolean;
}

/**
 * The W&B public API, shaped like Python's `wandb.Api`.
 * @example
 * const api = new Api({ apiKey: process.env.WANDB_API_KEY });
 * for await (const run of api.runs('acme/mnist', { order: '-summary_metrics.accuracy' })) console.log(run.name);
 */
export class Api {
  /** The underlying client; pass it to the subpackage functions for tree-shaken code. */
  readonly client: WandbClient;

  constructor(options: ApiOptions | WandbClient = {}) {
    if (options instanceof WandbClient) {
      this.client = options;
      return;
    }
    const { timeout, ...rest } = options;
    this.client = createClient(timeout !== undefined && rest.timeoutMs === undefined ? { ...rest, timeoutMs: timeout * 1000 } : rest);
  }

  /** The API key in use, if any. */
  get apiKey(): string | undefined {
    return this.client.config.apiKey;
  }

  /** The User-Agent sent with every request. */
  get userAgent(): string {
    return this.client.config.userAgent;
  }

  /** The user the API key belongs to (cached). */
  viewer(options?: CallOptions): Promise<Viewer> {
    return getViewer(this.client, options);
  }

  /** The viewer's default entity (cached once known). */
  defaultEntity(options?: CallOptions): Promise<string | null> {
    return getDefaultEntity(this.client, options);
  }

  /** The projects of an entity (default: the configured one, else the viewer's). */
  projects(entity?: string, options?: { perPage?: number } & CallOptions): Paginated<Project> {
    return listProjects(this.client, entity, options);
  }

  /** One project. Unlike Python, it is loaded right away: a missing project throws NotFoundError. */
  project(name: string, entity?: string, options?: CallOptions): Promise<Project> {
    return getProject(this.client, entity === undefined ? name : { entity, project: name }, options);
  }

  /** Creates a project (or returns the existing one). */
  createProject(name: string, entity?: string, options?: CallOptions): Promise<Project> {
    return createProject(this.client, { name, ...(entity === undefined ? {} : { entity }) }, options);
  }

  /**
   * The runs of a project (`entity/project`, `project`, or the configured default), paged lazily.
   * Default order `+created_at`, 50 runs per page, as Python.
   */
  runs(path: string | undefined, options: RunsOptions & { lazy: true }): Paginated<LightRun>;
  runs(path?: string, options?: RunsOptions): Paginated<Run>;
  runs(path?: string, options: RunsOptions = {}): Paginated<LightRun> | Paginated<Run> {
    const { lazy = false, ...rest } = options;
    return lazy
      ? listRuns(this.client, path, rest).map((data) => new LightRun(this.client, data))
      : listRuns(this.client, path, { ...rest, full: true }).map((data) => new Run(this.client, data));
  }

  /** One run by path (`entity/project/runs/id`, `entity/project/id`, `project/id`, an app URL …). */
  async run(path: string, options?: CallOptions): Promise<Run> {
    return new Run(this.client, await getRun(this.client, path, options));
  }

  /** Creates a run in state `running`. */
  async createRun(input: { runId?: string; project?: string; entity?: string } = {}, options?: CallOptions): Promise<Run> {
    return new Run(this.client, await createRun(this.client, input, options));
  }

  /**
   * The project or run a path or app URL points at.
   * @example const run = await api.fromPath('https://wandb.ai/acme/mnist/runs/abc123');
   */
  async fromPath(path: string, options?: CallOptions): Promise<Project | Run> {
    const parsed = parsePath(path);
    switch (parsed.kind) {
      case 'project':
        return getProject(this.client, parsed, options);
      case 'run':
        return this.run([parsed.entity, parsed.project, parsed.runId].filter(Boolean).join('/'), options);
      default:
        throw new WandbError(`fromPath: ${parsed.kind} paths are not supported by this version yet.`);
    }
  }

  /** Forgets what this Api cached (viewer, default entity, server features). Lists are never cached. */
  flush(): void {
    this.client.forget();
  }
}
