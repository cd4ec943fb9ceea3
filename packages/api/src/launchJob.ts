// A Python-shaped launch job: the decoded job plus `call(...)`, which delegates to @wandb-api/launch.
// `api.job(name, path)` downloads the job's files in Node through ./local.ts (the Node entry of
// @wandb-api/artifacts in the facade's Node entry); browsers get a ValidationError for `path`.
import type { WandbClient } from '@wandb-api/core';
import type { Artifact } from '@wandb-api/artifacts';
import type { CallJobOptions, Job as JobData, RunQueueType } from '@wandb-api/launch';
import { launch } from './launchModule.js';
import { QueuedRun } from './launchQueues.js';
import { downloadArtifact } from './local.js';

/** Options of `Job#call`, in Python's order and names (camelCase). */
export interface JobCallOptions extends Omit<CallJobOptions, 'templateVariableValues'> {
  /** Values of the queue's template variables (Python's `template_variables`). */
  templateVariables?: CallJobOptions['templateVariableValues'];
  /** The queue type the run is launched on; default `local-container`. */
  resource?: RunQueueType;
}

/**
 * Downloads a job's files (Node only), as Python's `Job` does on construction; returns the folder.
 * @example const dir = await downloadJobFiles(client, job.artifact, './job-train');
 */
export function downloadJobFiles(client: WandbClient, artifact: Artifact, root: string): Promise<string> {
  return downloadArtifact(client, artifact, { root });
}

/**
 * A launch job, as `api.job(name)` gives it.
 * @example const job = await api.job('acme/mnist/job-train:latest'); console.log(job.entrypoint, job.inputTypes);
 */
export class Job {
  readonly #client: WandbClient;
  /** The folder the job's files were downloaded to (`api.job(name, path)`), else null. */
  readonly path: string | null;

  constructor(client: WandbClient, data: JobData, path: string | null = null) {
    this.#client = client;
    Object.assign(this, data);
    this.path = path;
  }

  /**
   * Queues the job with `config` (checked against its input types first) and returns the queued run.
   * `project` and `entity` default to the job's own (Python fails without a project).
   * @example const queued = await job.call({ lr: 0.01 }, { queue: 'gpu-queue', resource: 'kubernetes' });
   */
  async call(config: Readonly<Record<string, unknown>>, options: JobCallOptions = {}): Promise<QueuedRun> {
    const { templateVariables, ...rest } = options;
    const queued = await (await launch()).callJob(this.#client, this, config, { ...rest, ...(templateVariables ? { templateVariableValues: templateVariables } : {}) });
    return QueuedRun.from(this.#client, queued, options.priority ?? null);
  }
}
// The data fields, declared once through the interface they come from.
export interface Job extends JobData {}
