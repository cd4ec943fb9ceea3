// Jobs: a job is an artifact of type `job` whose `wandb-job.json` says how to run it (source,
// entrypoint, input and output types). Listing, loading, and queueing a job with a config.
import { type CallOptions, NotFoundError, Paginated, ValidationError, type WandbClient, parseJson, checkPerPage, endCursorOf } from '@wandb-api/core';
import { type Artifact, artifactFileUrls, getArtifact } from '@wandb-api/artifacts';
import { LaunchError } from './errors.js';
import { type LaunchJobVersionFieldsFragment, LaunchJobVersionsDocument, LaunchJobsDocument } from './generated/graphql.js';
import { type PushToRunQueueOptions, type QueuedRun, pushToRunQueue } from './queuedRuns.js';
import { LAUNCH_PROJECT, checkQueueType, type RunQueueType } from './queues.js';

/** A job, decoded from its artifact and its `wandb-job.json`. */
export interface Job {
  /** As asked for: `entity/project/job-name:alias`. */
  readonly name: string;
  /** The entity the job's artifact belongs to. */
  readonly entity: string;
  /** The project the job's artifact belongs to. */
  readonly project: string;
  /** The job's artifact version. */
  readonly artifact: Artifact;
  /** `repo`, `artifact` or `image`. */
  readonly sourceType: string | null;
  /** `{git: {remote, commit}, entrypoint, notebook, dockerfile, build_context, base_image, args, artifact, image}` as written. */
  readonly source: Readonly<Record<string, unknown>>;
  /** The command that starts the job, e.g. `['python', 'train.py']`; null when the source names none. */
  readonly entrypoint: readonly string[] | null;
  /** Whether the job's code is a notebook. */
  readonly notebook: boolean;
  /** The container image of an `image` job. */
  readonly image: string | null;
  /** W&B type dicts: `{wb_type: 'typedDict', params: {type_map: {...}}}`. */
  readonly inputTypes: unknown;
  /** W&B type dict of what the job's runs log as summary; null when not recorded. */
  readonly outputTypes: unknown;
  /** The runtime the job was made with, e.g. `3.10.12` (Python's version); null when not recorded. */
  readonly runtime: string | null;
  /** A job made by hand: its config types are not checked (Python only warns). */
  readonly partial: boolean;
  /** The whole `wandb-job.json`. */
  readonly info: Readonly<Record<string, unknown>>;
}

/** One version of a job, as `listJobs` gives it. */
export interface JobVersion {
  /** The artifact version's id. */
  readonly id: string;
  /** `vN`. */
  readonly version: string;
  /** The artifact's state, e.g. `COMMITTED`. */
  readonly state: string;
  /** Aliases in this job's collection, without `vN`. */
  readonly aliases: readonly string[];
  /** When the version was created (ISO 8601). */
  readonly createdAt: string;
}

/** One job (an artifact collection of type `job`) and all its versions. */
export interface JobSummary {
  /** The job's name (its artifact collection), without entity, project or alias. */
  readonly name: string;
  /** The entity listed. */
  readonly entity: string;
  /** The project listed. */
  readonly project: string;
  /** Every version of the job, as the server orders them. */
  readonly versions: readonly JobVersion[];
}

/** Options of {@link callJob}: where the run goes and which queue takes it. */
export interface CallJobOptions extends PushToRunQueueOptions {
  /** The project of the run; default: the job's project (Python fails without one). */
  project?: string;
  /** The entity of the run and of the queue; default: the job's entity (Python: the viewer's). */
  entity?: string;
  /** Default `default`. */
  queue?: string;
  /** Default `local-container`. */
  resource?: RunQueueType;
  /** Per-resource overrides, put in the spec as `resource_args`. */
  resourceArgs?: Readonly<Record<string, unknown>>;
  /** The project holding the queue; default `model-registry`. */
  projectQueue?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python's job name rule: `entity/project/name:alias`. */
function parseJobName(name: unknown): { entity: string; project: string } {
  if (name === undefined || name === null) throw new ValidationError('You must specify name= to fetch a job.');
  const parts = typeof name === 'string' ? name.split(':')[0]!.split('/') : [];
  if (typeof name !== 'string' || !name.includes(':') || parts.length !== 3 || parts.some((p) => p === '')) {
    throw new ValidationError('Invalid job specification. A job must be of the form: <entity>/<project>/<job-name>:<alias-or-version>');
  }
  return { entity: parts[0]!, project: parts[1]! };
}

function toJob(name: string, artifact: Artifact, info: Record<string, unknown>): Job {
  const { entity, project } = parseJobName(name);
  const source = isPlainObject(info.source) ? info.source : {};
  const entrypoint = Array.isArray(source.entrypoint) ? source.entrypoint.filter((e): e is string => typeof e === 'string') : null;
  return {
    name,
    entity,
    project,
    artifact,
    sourceType: typeof info.source_type === 'string' ? info.source_type : null,
    source,
    entrypoint,
    notebook: source.notebook === true,
    image: typeof source.image === 'string' ? source.image : null,
    inputTypes: info.input_types ?? null,
    outputTypes: info.output_types ?? null,
    runtime: typeof info.runtime === 'string' ? info.runtime : null,
    partial: info._partial === true,
    info,
  };
}

/**
 * Loads a job: its artifact (type `job`) and its `wandb-job.json`, read straight from storage (no
 * download folder needed). NotFoundError when the job or its `wandb-job.json` is missing.
 * @example const job = await getJob(client, 'acme/mnist/job-train:latest');
 */
export async function getJob(client: WandbClient, name: string, options: CallOptions = {}): Promise<Job> {
  parseJobName(name);
  const artifact = await getArtifact(client, name, { ...options, type: 'job' });
  let url: string | undefined;
  for await (const batch of artifactFileUrls(client, artifact, [{ path: 'wandb-job.json' }], options)) {
    url = batch.find((f) => f.path === 'wandb-job.json')?.directUrl ?? url;
  }
  if (!url) throw new NotFoundError(`Job ${name} has no wandb-job.json.`, { status: 404 });
  const response = await client.fetch(url, { method: 'GET' }, options);
  const info = parseJson(await response.text());
  if (!isPlainObject(info)) throw new LaunchError(`Job ${name}: wandb-job.json is not a JSON object.`);
  return toJob(name, artifact, info);
}

/** A W&B type dict's check of one value (the subset jobs use: number, string, boolean, none, any, list, typedDict, union). */
function typeErrors(type: unknown, value: unknown, path: string): string[] {
  if (!isPlainObject(type)) return [];
  const params = isPlainObject(type.params) ? type.params : {};
  switch (type.wb_type) {
    case 'number':
      return typeof value === 'number' ? [] : [`${path} must be a number, got ${JSON.stringify(value)}`];
    case 'string':
      return typeof value === 'string' ? [] : [`${path} must be a string, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path} must be a boolean, got ${JSON.stringify(value)}`];
    case 'none':
      return value === null ? [] : [`${path} must be null`];
    case 'list':
      return Array.isArray(value) ? value.flatMap((v, i) => typeErrors(params.element_type, v, `${path}[${i}]`)) : [`${path} must be a list`];
    case 'union': {
      const options = Array.isArray(params.allowed_types) ? params.allowed_types : [];
      return options.some((t) => typeErrors(t, value, path).length === 0) ? [] : [`${path} does not match any allowed type`];
    }
    case 'typedDict': {
      if (!isPlainObject(value)) return [`${path || 'config'} must be an object`];
      const map = isPlainObject(params.type_map) ? params.type_map : {};
      const at = (k: string) => (path ? `${path}.${k}` : k);
      // As W&B's TypedDictType: unknown keys are refused, and a missing key counts as null.
      const extra = Object.keys(value).filter((k) => !(k in map)).map((k) => `${at(k)} is not an input of this job`);
      return [...extra, ...Object.entries(map).flatMap(([k, t]) => typeErrors(t, k in value ? value[k] : null, at(k)))];
    }
    default:
      return []; // any, unknown, and types we do not model: accepted, as W&B's assign would for them
  }
}

/**
 * Python's `job.call(config, …)`: checks `config` against the job's input types (every input of the
 * job must be given with a value of its type, and nothing else, as Python's type check), then pushes the launch
 * spec `{job, entity, project, resource, docker, git, overrides: {run_config}, resource_args?}` to the
 * queue and returns the queued run. Differences from Python: `project` and `entity` default to the
 * job's (Python fails without `project`); a type mismatch is a ValidationError (Python: TypeError);
 * artifact objects in the config are not converted; the calling client's key is used throughout.
 * @example const queued = await callJob(client, job, { lr: 0.01 }, { queue: 'default' });
 */
export async function callJob(client: WandbClient, job: Job, config: Readonly<Record<string, unknown>>, options: CallJobOptions = {}): Promise<QueuedRun> {
  if (!isPlainObject(config)) throw new ValidationError('config must be an object of the job\'s inputs.');
  const { project = job.project, entity = job.entity, queue = 'default', resource = 'local-container', resourceArgs, projectQueue = LAUNCH_PROJECT, ...push } = options;
  checkQueueType(resource);
  if (resourceArgs !== undefined && !isPlainObject(resourceArgs)) throw new ValidationError('resourceArgs must be an object.');
  if (!job.partial) {
    const errors = typeErrors(job.inputTypes, config, '');
    if (errors.length > 0) throw new ValidationError(`The config does not fit job ${job.name}: ${errors.join('; ')}.`);
  } else {
    client.config.logger?.warn("Launching manually created job for the first time, can't verify types");
  }
  const spec = {
    job: job.name,
    entity,
    project,
    resource,
    docker: {},
    git: {},
    overrides: { run_config: { ...config } },
    ...(resourceArgs ? { resource_args: resourceArgs } : {}),
  };
  const queued = await pushToRunQueue(client, { entity, name: queue, project: projectQueue }, spec, push);
  return queued;
}

function toVersions(connection: LaunchJobVersionFieldsFragment | null | undefined, name: string): JobVersion[] {
  return (connection?.edges ?? []).map((e) => ({
    id: e.node.id,
    version: e.version,
    state: e.node.state,
    aliases: e.node.aliases.filter((a) => a.artifactCollection?.name === name && !/^v\d+$/.test(a.alias)).map((a) => a.alias),
    createdAt: e.node.createdAt,
  }));
}

/**
 * The jobs of a project, each with every version (collections and versions are paged until done).
 * Errors are thrown — Python's `list_jobs` swallows them and returns `[]`; a missing project is a
 * NotFoundError, a project without jobs gives an empty list.
 * @example for await (const job of listJobs(client, 'acme', 'mnist')) console.log(job.name, job.versions.length);
 */
export function listJobs(client: WandbClient, entity: string, project: string, options: { perPage?: number; signal?: AbortSignal } = {}): Paginated<JobSummary> {
  if (typeof entity !== 'string' || entity === '') throw new ValidationError('Specify an entity when listing jobs');
  if (typeof project !== 'string' || project === '') throw new ValidationError('Specify a project when listing jobs');
  const { signal } = options;
  const perPage = checkPerPage(options.perPage, 50);
  return new Paginated<JobSummary>({
    signal,
    idOf: (job) => job.name,
    fetchPage: async (cursor, pageSignal) => {
      const data = await client.request(LaunchJobsDocument, { entity, project, cursor, perPage }, { signal: pageSignal });
      if (!data.project) throw new NotFoundError(`Project: '${project}' not found in entity: '${entity}' or access denied.`, { status: 404 });
      const connection = data.project.artifactType?.artifactCollections;
      if (!connection) return { items: [], cursor: null, hasNextPage: false };
      const items: JobSummary[] = [];
      for (const edge of connection.edges) {
        if (!edge.node) continue;
        const name = edge.node.name;
        const first = edge.node.artifacts;
        // The first page of versions came with the job; the rest, if any, page on from its cursor.
        const versions = await new Paginated<JobVersion>({
          signal: pageSignal,
          fetchPage: async (cursor, signal) => {
            const conn =
              cursor === null ? first : (await client.request(LaunchJobVersionsDocument, { entity, project, name, cursor }, { signal })).project?.artifactType?.artifactCollection?.artifacts;
            return { items: toVersions(conn, name), cursor: conn ? endCursorOf(conn) : null, hasNextPage: !!conn?.pageInfo.hasNextPage };
          },
        }).toArray();
        items.push({ name, entity, project, versions });
      }
      return { items, cursor: endCursorOf(connection), hasNextPage: connection.pageInfo.hasNextPage };
    },
  });
}
