// The facade: a Python-shaped `Api` class whose methods only delegate to the subpackage functions.
import {
  type CallOptions,
  type ClientOptions,
  type Paginated,
  type Viewer,
  WandbClient,
  WandbError,
  createClient,
  deferPaginated,
  getDefaultEntity,
  getViewer,
  parsePath,
  resolveEntity,
} from '@wandb-api/core';
import {
  type ListReportsOptions,
  type GetRunOptions,
  type ListRunsOptions,
  type ListSweepsOptions,
  type Project,
  type Report,
  type RunColumn,
  type RunHistoriesOptions,
  type RunLocator,
  type RunRows,
  type RunsToRowsOptions,
  type TaggedHistoryRow,
  createProject,
  createRun,
  getProject,
  getReport,
  getRun,
  getSweep,
  listProjects,
  listReports,
  listRuns,
  listSweeps,
  runHistories,
  runsToRows,
} from '@wandb-api/runs';
import { LightRun, Run } from './run.js';
import { Sweep } from './sweep.js';
import type {
  CreateRegistryInput,
  GetArtifactOptions,
  ListArtifactCollectionsOptions,
  ListArtifactsOptions,
  ListRegistriesOptions,
  RegistryVisibility,
} from '@wandb-api/artifacts';
import { loadArtifacts } from './artifactsModule.js';
import { Artifact, ArtifactType } from './artifact.js';
import { ArtifactCollection } from './artifactCollection.js';
import { Registry, type RegistryList, registryList } from './registry.js';
import type { SyncTensorboardOptions, SyncTensorboardResult } from './tensorboard.js';
import { syncTensorboard } from './local.js';
import { DefaultEntityDocument, ViewerDocument } from '@wandb-api/core';
import { CreateProjectDocument } from '@wandb-api/runs';
import { SearchUsersDocument } from '@wandb-api/admin/documents';
import { User } from './user.js';
import { Team } from './team.js';
import type { CreateRunQueueOptions, JobSummary, RunQueueType, UpsertRunQueueOptions } from '@wandb-api/launch';
import { launch } from './launchModule.js';
import { Job, downloadJobFiles } from './launchJob.js';
import { QueuedRun, RunQueue } from './launchQueues.js';
import type {
  Automation,
  AutomationChanges,
  CreateAutomationOptions,
  Integration,
  ListAutomationsOptions,
  ListIntegrationsOptions,
  NewAutomation,
  JsonObject,
  Organization,
  SlackIntegration,
  WebhookIntegration,
} from '@wandb-api/admin';
import { loadAdmin } from './adminModule.js';

/** Options of `new Api(...)`: the client options, plus Python's `timeout` in seconds. */
export interface ApiOptions extends ClientOptions {
  /** Per-request timeout in seconds (Python's `timeout`). Prefer `timeoutMs`. */
  timeout?: number;
}

/** Options of `Api#runs`; C and S type the config and summary paths that filters and order may name. */
export interface RunsOptions<C = Record<string, unknown>, S = Record<string, unknown>> extends Omit<ListRunsOptions<C, S>, 'full'> {
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
  /** Python's `Api.CREATE_PROJECT`: the typed document `createProject` sends. */
  static readonly CREATE_PROJECT: typeof CreateProjectDocument = CreateProjectDocument;
  /** Python's `Api.DEFAULT_ENTITY_QUERY`: the typed document `defaultEntity` sends. */
  static readonly DEFAULT_ENTITY_QUERY: typeof DefaultEntityDocument = DefaultEntityDocument;
  /** Python's `Api.USERS_QUERY`: the typed document `user` and `users` send. */
  static readonly USERS_QUERY: typeof SearchUsersDocument = SearchUsersDocument;
  /** Python's `Api.VIEWER_QUERY`: the typed document `viewer` sends. */
  static readonly VIEWER_QUERY: typeof ViewerDocument = ViewerDocument;

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
   * Default order `+created_at`, 50 runs per page, as Python. `api.runs<Config, Summary>(…)` types
   * each run's `config` and `summary` and the paths `filters` and `order` may name; `validate` checks
   * them at runtime (nothing is checked without it).
   * @example
   * const runs = api.runs<{ lr: number }, { accuracy: number }>('acme/mnist', { filters: { 'config.lr': { $lt: 0.01 } }, order: '-summary_metrics.accuracy' });
   * for await (const run of runs) console.log(run.summary.accuracy * 100);
   * @typeParam C - The config's type: `run.config`, and the `config.<path>` keys of filters and order.
   * @typeParam S - The summary's type: `run.summary`, and the `summary_metrics.<path>` keys.
   */
  runs<C = Record<string, unknown>, S = Record<string, unknown>>(path: string | undefined, options: RunsOptions<C, S> & { lazy: true }): Paginated<LightRun>;
  runs<C = Record<string, unknown>, S = Record<string, unknown>>(path?: string, options?: RunsOptions<C, S>): Paginated<Run<C, S>>;
  runs(path?: string, options: RunsOptions = {}): Paginated<LightRun> | Paginated<Run> {
    const { lazy = false, ...rest } = options;
    return lazy
      ? listRuns(this.client, path, rest).map((data) => new LightRun(this.client, data))
      : listRuns(this.client, path, { ...rest, full: true }).map((data) => new Run(this.client, data));
  }

  /**
   * Python's `api.runs(path, filters).histories(samples, keys)`: the sampled histories of a project's
   * runs (or of the runs given) as one flat list, each row tagged with `runId` (Python: `run_id`),
   * empty histories skipped, up to `concurrency` (4) runs at once. Only Python's default list format.
   * @example const rows = await api.runHistories('acme/mnist', { filters: { state: 'finished' }, keys: ['loss'] });
   */
  runHistories(
    runs: string | Iterable<RunLocator> | AsyncIterable<RunLocator>,
    options: RunHistoriesOptions & Pick<RunsOptions, 'filters' | 'order' | 'perPage'> = {},
  ): Promise<TaggedHistoryRow[]> {
    const { filters, order, perPage, ...rest } = options;
    const list = typeof runs === 'string' ? listRuns(this.client, runs, { filters, order, perPage, signal: rest.signal }) : runs;
    return runHistories(this.client, list, rest);
  }

  /**
   * One flat row per run of a project (`config.*` and `summary.*` as dotted keys), from the pages
   * of one runs query; `columns` picks and orders them. No Python counterpart (pandas users build
   * this by hand from `api.runs()`).
   * @example const rows = await api.runsToRows('acme/mnist', { columns: ['id', 'config.lr', 'summary.loss'] });
   */
  runsToRows<C = Record<string, unknown>, S = Record<string, unknown>, K extends RunColumn<NoInfer<C>, NoInfer<S>> = RunColumn<C, S>>(
    path?: string,
    options?: Omit<ListRunsOptions<C, S>, 'full'> & RunsToRowsOptions<K>,
  ): Promise<RunRows<C, S, K>> {
    return runsToRows(this.client, path, options);
  }

  /**
   * One run by path (`entity/project/runs/id`, `entity/project/id`, `project/id`, an app URL …).
   * `api.run<Config, Summary>(path)` types its config and summary; `validate` checks them at runtime.
   */
  async run<C = Record<string, unknown>, S = Record<string, unknown>>(path: string, options?: GetRunOptions<C, S>): Promise<Run<C, S>> {
    return new Run(this.client, await getRun(this.client, path, options));
  }

  /** Creates a run in state `running`. */
  async createRun(input: { runId?: string; project?: string; entity?: string } = {}, options?: CallOptions): Promise<Run> {
    return new Run(this.client, await createRun(this.client, input, options));
  }

  /**
   * Uploads a folder of TensorBoard logs (every tfevents file under it) as a run, as `wandb sync
   * --sync-tensorboard`: scalars, text, histograms and images become history rows with TensorBoard's
   * step (`global_step`) and wall time (`_timestamp`), the tfevents files become run files, and the
   * run ends `finished`. Damaged records are skipped and listed in `issues`. Node only.
   * @example const { runId, issues } = await api.syncTensorboard('./logs', { project: 'mnist', runId: 'exp1' });
   */
  syncTensorboard(rootDir: string, options?: SyncTensorboardOptions): Promise<SyncTensorboardResult> {
    return syncTensorboard(this.client, rootDir, options);
  }

  /**
   * One sweep by path (`entity/project/sweeps/id`, `entity/project/id`, `project/id`, `id`, an app URL).
   * Falls back to the legacy field set on older servers, as Python.
   * @example const sweep = await api.sweep('acme/mnist/sweeps/k3x9q2ab'); const best = await sweep.bestRun();
   */
  async sweep(path: string, options?: CallOptions): Promise<Sweep> {
    return new Sweep(this.client, await getSweep(this.client, path, options));
  }

  /**
   * The sweeps of a project, newest first (Python: `api.project(name).sweeps()`); 50 per page,
   * `.count()` = the project's total. `filters` need a server with SWEEPS_QUERY_FILTERING (else UnsupportedError).
   * @example for await (const s of api.sweeps('acme/mnist')) console.log(s.id, s.bestLoss);
   */
  sweeps(path?: string, options?: ListSweepsOptions): Paginated<Sweep> {
    return listSweeps(this.client, path, options).map((data) => new Sweep(this.client, data));
  }

  /**
   * The reports of a project (`entity/project` or `project`), 50 per page; `name` keeps one report name.
   * @example const [report] = await api.reports('acme/mnist', { name: 'weekly' }).toArray({ limit: 1 });
   */
  reports(path?: string, options?: ListReportsOptions): Paginated<Report> {
    return listReports(this.client, path, options);
  }

  /**
   * The project, run, sweep or report a path or app URL points at. A report path (`entity/project/reports/Title--ID`)
   * is loaded from the server (Python builds an empty report without a request).
   * @example const run = await api.fromPath('https://wandb.ai/acme/mnist/runs/abc123');
   */
  async fromPath(path: string, options?: CallOptions): Promise<Project | Run | Sweep | Report> {
    const parsed = parsePath(path);
    switch (parsed.kind) {
      case 'project':
        return getProject(this.client, parsed, options);
      case 'run':
        return this.run([parsed.entity, parsed.project, parsed.runId].filter(Boolean).join('/'), options);
      case 'sweep':
        return this.sweep([parsed.entity, parsed.project, parsed.sweepId].filter(Boolean).join('/'), options);
      case 'report':
        return getReport(this.client, path, options);
      default: {
        // Exhaustive: a new path kind in core must be handled here.
        const kind: never = parsed;
        throw new WandbError(`fromPath: unsupported path kind ${JSON.stringify(kind)}`);
      }
    }
  }

  /**
   * One artifact version by path: `[[entity/]project/]collection[:vN|:alias]`, registry versions
   * as `[org/]wandb-registry-<name>/collection:alias`. `type` checks its type.
   * @example const model = await api.artifact('demo/mnist-classifier/mnist-cnn:best', 'model');
   */
  async artifact(name: string, type?: string, options?: CallOptions): Promise<Artifact> {
    return new Artifact(this.client, await (await loadArtifacts()).getArtifact(this.client, name, { ...options, ...(type === undefined ? {} : { type }) }));
  }

  /**
   * Whether an artifact version exists: false for malformed paths, missing versions and type
   * mismatches; network failures still throw.
   * @example if (await api.artifactExists('demo/mnist-classifier/mnist-cnn:v9')) …
   */
  async artifactExists(name: string, type?: string, options?: CallOptions): Promise<boolean> {
    return (await loadArtifacts()).artifactExists(this.client, name, { ...options, ...(type === undefined ? {} : { type }) } as GetArtifactOptions);
  }

  /**
   * One artifact type of a project (default: the configured project).
   * @example const t = await api.artifactType('model', 'demo/mnist-classifier');
   */
  async artifactType(typeName: string, project?: string, options?: CallOptions): Promise<ArtifactType> {
    return new ArtifactType(this.client, await (await loadArtifacts()).getArtifactType(this.client, typeName, project, options));
  }

  /**
   * The artifact types of a project, 50 per page.
   * @example for await (const t of api.artifactTypes('demo/mnist-classifier')) console.log(t.name);
   */
  artifactTypes(project?: string, options?: CallOptions): Paginated<ArtifactType> {
    return deferPaginated(loadArtifacts, (m) => m.listArtifactTypes(this.client, project, options).map((data) => new ArtifactType(this.client, data)));
  }

  /**
   * One collection by type and path `[[entity/]project/]name`.
   * @example const coll = await api.artifactCollection('dataset', 'demo/mnist-classifier/mnist-dataset');
   */
  async artifactCollection(typeName: string, name: string, options?: CallOptions): Promise<ArtifactCollection> {
    return new ArtifactCollection(this.client, await (await loadArtifacts()).getArtifactCollection(this.client, typeName, name, options));
  }

  /**
   * Whether a collection exists (Python's argument order: name, then type).
   * @example await api.artifactCollectionExists('demo/mnist-classifier/mnist-cnn', 'model') // true
   */
  async artifactCollectionExists(name: string, type: string, options?: CallOptions): Promise<boolean> {
    return (await loadArtifacts()).artifactCollectionExists(this.client, name, type, options);
  }

  /**
   * The collections of one type in a project, 50 per page; `.count()` is the server's total.
   * @example for await (const c of api.artifactCollections('demo/mnist-classifier', 'dataset')) console.log(c.name);
   */
  artifactCollections(projectName: string, typeName: string, options?: ListArtifactCollectionsOptions): Paginated<ArtifactCollection> {
    return deferPaginated(loadArtifacts, (m) =>
      m.listArtifactCollections(this.client, projectName, typeName, options).map((data) => new ArtifactCollection(this.client, data)),
    );
  }

  /**
   * The committed versions of a collection, 50 per page; `tags` keeps versions with all of them
   * (unlike Python, a page without a match does not end the listing).
   * @example const clean = await api.artifacts('dataset', 'demo/mnist-classifier/mnist-dataset', { tags: ['clean'] }).toArray();
   */
  artifacts(typeName: string, name: string, options?: ListArtifactsOptions): Paginated<Artifact> {
    return deferPaginated(loadArtifacts, (m) => m.listArtifacts(this.client, typeName, name, options).map((data) => new Artifact(this.client, data)));
  }

  /**
   * Python's deprecated alias of `artifacts(typeName, name)`.
   * @deprecated Use `artifacts`.
   */
  artifactVersions(typeName: string, name: string, options?: Omit<ListArtifactsOptions, 'order' | 'tags'>): Paginated<Artifact> {
    return deferPaginated(loadArtifacts, (m) => m.artifactVersions(this.client, typeName, name, options).map((data) => new Artifact(this.client, data)));
  }

  /**
   * The registries of an organization (default: the configured one, else the entity's only one),
   * 100 per page, chainable: `.collections(filter)`, `.versions(filter)`.
   * @example for await (const v of api.registries({ filter: { name: 'model' } }).versions({ alias: 'production' })) console.log(v.name);
   */
  registries(options?: ListRegistriesOptions): RegistryList {
    return registryList(this.client, (m) => m.listRegistries(this.client, options));
  }

  /**
   * One registry by name (without `wandb-registry-`).
   * @example const reg = await api.registry('model');
   */
  async registry(name: string, organization?: string, options?: CallOptions): Promise<Registry> {
    return new Registry(this.client, await (await loadArtifacts()).getRegistry(this.client, name, { ...options, ...(organization === undefined ? {} : { organization }) }));
  }

  /**
   * Creates a registry; ValidationError when one of that name exists.
   * @example const reg = await api.createRegistry('eval', 'organization', { artifactTypes: ['dataset'] });
   */
  async createRegistry(
    name: string,
    visibility: RegistryVisibility,
    options: Omit<CreateRegistryInput, 'name' | 'visibility'> & CallOptions = {},
  ): Promise<Registry> {
    const { organization, description, artifactTypes, ...call } = options;
    return new Registry(
      this.client,
      await (await loadArtifacts()).createRegistry(
        this.client,
        {
          name,
          visibility,
          ...(organization === undefined ? {} : { organization }),
          ...(description === undefined ? {} : { description }),
          ...(artifactTypes === undefined ? {} : { artifactTypes }),
        },
        call,
      ),
    );
  }

  /**
   * One user by username or email (the first partial match; null when none). Admins only:
   * anyone else gets PermissionError.
   * @example const bob = await api.user('bob@example.com');
   */
  async user(usernameOrEmail: string, options?: CallOptions): Promise<User | null> {
    const data = await (await loadAdmin()).getUser(this.client, usernameOrEmail, options);
    return data && new User(this.client, data);
  }

  /**
   * Every user whose username, email or name contains `usernameOrEmail`. Admins only: anyone else
   * gets PermissionError, never an empty list.
   * @example const users = await api.users('example.com');
   */
  async users(usernameOrEmail: string, options?: CallOptions): Promise<User[]> {
    return (await (await loadAdmin()).listUsers(this.client, usernameOrEmail, options)).map((data) => new User(this.client, data));
  }

  /**
   * Creates a user from an email (admins only); `admin: true` makes a server admin.
   * @example const dave = await api.createUser('dave@example.com', { admin: false });
   */
  async createUser(email: string, options?: { admin?: boolean } & CallOptions): Promise<User> {
    return new User(this.client, await (await loadAdmin()).createUser(this.client, email, options));
  }

  /**
   * One team with its members (pending invites included); NotFoundError when missing.
   * @example const team = await api.team('vision-team'); await team.invite('carol');
   */
  async team(name: string, options?: CallOptions): Promise<Team> {
    return new Team(this.client, await (await loadAdmin()).getTeam(this.client, name, options));
  }

  /**
   * Creates a team whose admin is the caller or (server admins only) `adminUsername`. Unlike
   * Python, which swallows errors and loads the team anyway, failures throw typed errors.
   * @example const team = await api.createTeam('nlp-team', { adminUsername: 'bob' });
   */
  async createTeam(team: string, options?: { adminUsername?: string } & CallOptions): Promise<Team> {
    return new Team(this.client, await (await loadAdmin()).createTeam(this.client, team, options));
  }

  /**
   * One run queue (W&B keeps queues in the entity's `model-registry` project), loaded right away;
   * NotFoundError when missing. Python builds it lazily and fails on `external_links` until loaded.
   * @example const queue = await api.runQueue('acme', 'gpu-queue'); console.log(queue.type, queue.templateVariables);
   */
  async runQueue(entity: string, name: string, options?: CallOptions): Promise<RunQueue> {
    return new RunQueue(this.client, await (await launch()).getRunQueue(this.client, entity, name, options));
  }

  /**
   * Creates a run queue of `type` (local-container, local-process, kubernetes, sagemaker, gcp-vertex);
   * `config` is sent wrapped as `{resource_args: {<type>: config}}`. Type, name, mode and template
   * variables are checked before any request.
   * @example const q = await api.createRunQueue('gpu-queue', 'kubernetes', { entity: 'acme', templateVariables: { gpus: { schema: { type: 'integer', minimum: 1 } } } });
   */
  async createRunQueue(name: string, type: RunQueueType, options?: CreateRunQueueOptions): Promise<RunQueue> {
    return new RunQueue(this.client, await (await launch()).createRunQueue(this.client, name, type, options));
  }

  /**
   * Creates or updates a run queue (Python's argument order: name, resource config, resource type);
   * external links `{label: url}` are sent as `{links: [...]}`; the server's config warnings are logged.
   * @example const q = await api.upsertRunQueue('cpu', { env: [] }, 'local-container', { entity: 'acme' });
   */
  async upsertRunQueue(
    name: string,
    resourceConfig: Readonly<Record<string, unknown>>,
    resourceType: RunQueueType,
    options: Omit<UpsertRunQueueOptions, 'config'> = {},
  ): Promise<RunQueue> {
    return new RunQueue(this.client, (await (await launch()).upsertRunQueue(this.client, name, resourceType, { ...options, config: resourceConfig })).queue);
  }

  /**
   * A queued run by queue and item id; sends nothing until used. `projectQueue` defaults to
   * `model-registry` (Python forwards None and the object cannot look its item up).
   * @example const run = await api.queuedRun('acme', 'mnist', 'default', itemId).waitUntilRunning({ timeoutMs: 600_000 });
   */
  queuedRun(entity: string, project: string, queueName: string, runQueueItemId: string, options: { projectQueue?: string; priority?: number } = {}): QueuedRun {
    return new QueuedRun(this.client, { id: runQueueItemId, entity, project, queueName, projectQueue: options.projectQueue ?? null, priority: options.priority ?? null });
  }

  /**
   * A launch job (`entity/project/name:alias`): its artifact and `wandb-job.json`. With `path` (Node)
   * its files are downloaded there too, as Python does on construction.
   * @example const job = await api.job('acme/mnist/job-train:latest'); const queued = await job.call({ lr: 0.01 });
   */
  async job(name: string, path?: string, options?: CallOptions): Promise<Job> {
    const data = await (await launch()).getJob(this.client, name, options);
    return new Job(this.client, data, path === undefined ? null : await downloadJobFiles(this.client, data.artifact, path));
  }

  /**
   * The jobs of a project, each with all its versions. Errors are thrown (Python's `list_jobs`
   * swallows them and returns `[]`).
   * @example for (const job of await api.listJobs('acme', 'mnist')) console.log(job.name, job.versions.map((v) => v.version));
   */
  async listJobs(entity: string, project: string, options?: { signal?: AbortSignal }): Promise<JobSummary[]> {
    return (await launch()).listJobs(this.client, entity, project, options).toArray();
  }

  /**
   * The automations of an entity, or without one all those in the viewer's projects (as Python), 50
   * per page; `name` keeps one name. Build new ones with the builders of `wandb-api/admin`.
   * @example for await (const a of api.automations('vision-team')) console.log(a.name, a.event.eventType, a.action.actionType);
   */
  automations(entity?: string, options?: ListAutomationsOptions): Paginated<Automation> {
    return deferPaginated(loadAdmin, (m) => m.listAutomations(this.client, entity, options));
  }

  /**
   * The one automation named `name`: NotFoundError when none, ValidationError when several (name the entity).
   * @example const a = await api.automation('deploy-on-prod', { entity: 'vision-team' });
   */
  async automation(name: string, options?: { entity?: string } & CallOptions): Promise<Automation> {
    return (await loadAdmin()).getAutomation(this.client, name, options);
  }

  /**
   * Creates an automation: `event.do(action)` from the builders of `wandb-api/admin`, named here or on
   * the new automation; ConflictError when the name is taken, unless `fetchExisting`.
   * @example await api.createAutomation(onAddArtifactAlias({ scope: coll, filter: ArtifactEvent.alias.eq('prod') }).do(sendWebhook(hook, { v: '${artifact_version_string}' })), { name: 'deploy' });
   */
  async createAutomation(automation: NewAutomation, options?: CreateAutomationOptions): Promise<Automation> {
    return (await loadAdmin()).createAutomation(this.client, automation, options);
  }

  /**
   * Saves an automation's fields: a saved one spread with changes (Python edits it in place).
   * NotFoundError when it no longer exists, unless `createMissing`.
   * @example await api.updateAutomation({ ...automation, enabled: false });
   */
  async updateAutomation(automation: AutomationChanges, options?: { createMissing?: boolean } & CallOptions): Promise<Automation> {
    return (await loadAdmin()).updateAutomation(this.client, automation, options);
  }

  /**
   * Deletes an automation (or the one with this id); true when deleted.
   * @example await api.deleteAutomation(automation);
   */
  async deleteAutomation(automation: Pick<Automation, 'id'> | string, options?: CallOptions): Promise<true> {
    return (await loadAdmin()).deleteAutomation(this.client, automation, options);
  }

  /**
   * The integrations (Slack and webhooks) of an entity (default: the configured one, else the viewer's).
   * @example for await (const i of api.integrations('vision-team')) console.log(i.type, i.id);
   */
  integrations(entity?: string, options?: ListIntegrationsOptions): Paginated<Integration> {
    return deferPaginated(loadAdmin, (m) => m.listIntegrations(this.client, entity, options));
  }

  /**
   * The webhook integrations of an entity.
   * @example const [hook] = await api.webhookIntegrations('vision-team').toArray({ limit: 1 });
   */
  webhookIntegrations(entity?: string, options?: ListIntegrationsOptions): Paginated<WebhookIntegration> {
    return deferPaginated(loadAdmin, (m) => m.listWebhookIntegrations(this.client, entity, options));
  }

  /**
   * The Slack integrations of an entity (Python's keyword `entity` is the first argument here).
   * @example const [slack] = await api.slackIntegrations('vision-team').toArray({ limit: 1 });
   */
  slackIntegrations(entity?: string, options?: ListIntegrationsOptions): Paginated<SlackIntegration> {
    return deferPaginated(loadAdmin, (m) => m.listSlackIntegrations(this.client, entity, options));
  }

  /**
   * Saves a custom chart preset (Python's argument order) and returns its id, `entity/name`.
   * @example const id = await api.createCustomChart('acme', 'bars', 'Bars', 'vega2', 'private', { mark: 'bar' });
   */
  async createCustomChart(
    entity: string,
    name: string,
    displayName: string,
    specType: 'vega2',
    access: 'private' | 'public',
    spec: JsonObject | string,
    options?: CallOptions,
  ): Promise<string> {
    return (await loadAdmin()).createCustomChart(this.client, { entity, name, displayName, specType, access, spec }, options);
  }

  /**
   * An organization with its entity and members: by name, else the configured one, else that of
   * the entity the client acts as (as Python). NotFoundError when the caller is not in it.
   * @example const org = await api.organization(); console.log(org.name, org.entityName);
   */
  async organization(name?: string, options?: CallOptions): Promise<Organization> {
    const org = name ?? this.client.config.organization ?? (await (await loadArtifacts()).resolveOrgInfo(this.client, await resolveEntity(this.client, undefined, options), undefined, options)).name;
    return (await loadAdmin()).getOrganization(this.client, org, options);
  }

  /** Forgets what this Api cached (viewer, default entity, server features). Lists are never cached. */
  flush(): void {
    this.client.forget();
  }
}
