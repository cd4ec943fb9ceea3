import {
  type CallOptions,
  NotFoundError,
  ValidationError,
  type WandbClient,
  parseJsonObject,
  resolveEntity,
  resolveRunPath,
  unwrapConfig,
} from '@wandb-api/core';
import { type HeavyRunFieldsFragment, type LightRunFieldsFragment, RunDocument, UpsertRunDocument } from './generated/graphql.js';
import { appUrl } from './url.js';

/** Run states W&B reports (the server may add others). */
export type RunState = 'running' | 'finished' | 'crashed' | 'failed' | 'killed' | 'preempting' | 'preempted' | 'pending' | (string & {});

/** The light view of a run: what a runs page carries by default (no config or summary). */
export interface LightRun {
  /** The short run id shown in URLs (the server's `name`). */
  readonly id: string;
  /** The display name (the server's `displayName`), falling back to the id. */
  readonly name: string;
  /** The display name as the server keeps it; null when unset. */
  readonly displayName: string | null;
  /** The server's global id, used by mutations. */
  readonly storageId: string;
  /** The entity (user or team) that owns the run. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The project's numeric id. */
  readonly projectInternalId: string;
  /** `running`, `finished`, `crashed`, `failed`, `killed`, `preempted` or `pending`. */
  readonly state: RunState;
  /** The run's tags. */
  readonly tags: readonly string[];
  /** The run's group, when it has one. */
  readonly group: string | null;
  /** The run's job type, when it has one. */
  readonly jobType: string | null;
  /** The short id of the sweep that made the run, when one did. */
  readonly sweepName: string | null;
  /** The git commit the run logged. */
  readonly commit: string | null;
  /** The machine the run ran on. */
  readonly host: string | null;
  /** The run's notes. */
  readonly notes: string | null;
  /** The run's description. */
  readonly description: string | null;
  /** Whether the viewer may not change the run. */
  readonly readOnly: boolean;
  /** When the run started (ISO 8601). */
  readonly createdAt: string;
  /** The run's last heartbeat (ISO 8601). */
  readonly heartbeatAt: string | null;
  /** When the run last changed (ISO 8601). */
  readonly updatedAt: string | null;
  /** How many history rows the run logged. */
  readonly historyLineCount: number | null;
  /** Who logged the run. */
  readonly user: {
    /** The user's display name. */
    readonly name: string;
    /** The user's login name. */
    readonly username: string | null;
  } | null;
  /** `[entity, project, runId]`, as Python's `run.path`. */
  readonly path: readonly [entity: string, project: string, runId: string];
  /** The run's page in the W&B app. */
  readonly url: string;
}

/**
 * A run with its data: config (unwrapped), summary, system metrics and history keys. `C` and `S`
 * type the config and the summary (default `Record<string, unknown>`); they are checked at runtime
 * only by the `validate` functions given to the call that loaded the run.
 * @typeParam C - The config's type (`run.config`).
 * @typeParam S - The summary's type (`run.summary`).
 */
export interface Run<C = Record<string, unknown>, S = Record<string, unknown>> extends LightRun {
  /** The user config, unwrapped from `{value, desc}`, without W&B's internal keys. */
  readonly config: Readonly<C>;
  /** The config with W&B's internal keys (`_wandb`, `wandb_version`). */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  /** The summary metrics, decoded (NaN and ±Infinity kept as numbers). */
  readonly summary: Readonly<S>;
  /** The last system metrics (CPU, GPU, memory …), decoded. */
  readonly systemMetrics: Readonly<Record<string, unknown>>;
  /** `{keys: {...}, lastStep}` as the server reports it. */
  readonly historyKeys: Readonly<Record<string, unknown>>;
  /** The last logged step, -1 when nothing was logged. */
  readonly lastHistoryStep: number;
}

/**
 * Runtime checks of a run's data: each function gets the decoded config (or summary) and returns it
 * typed, or throws. A zod or valibot schema fits as it is (`{ config: Config.parse }`); nothing is
 * checked at runtime without them.
 */
export interface RunValidators<C, S> {
  /** Checks the unwrapped config (W&B's internal keys removed); its return becomes `run.config`. */
  readonly config?: (value: unknown) => C;
  /** Checks the summary; its return becomes `run.summary`. */
  readonly summary?: (value: unknown) => S;
}

/** Options of `getRun`. */
export interface GetRunOptions<C = Record<string, unknown>, S = Record<string, unknown>> extends CallOptions {
  /** Checks (and types) the run's config and summary; a rejection is a ValidationError with the validator's error as `cause`. */
  validate?: RunValidators<C, S>;
}

/** Checks the validators' shape (and that full runs are asked for) before any request. */
export function checkValidators(validate: unknown, full: boolean | undefined): void {
  const v = validate as RunValidators<unknown, unknown> | null | undefined;
  if (v !== undefined && (!full || typeof v !== 'object' || !v || [v.config, v.summary].some((f) => f !== undefined && typeof f !== 'function'))) {
    throw new ValidationError('validate must be { config?, summary? } of functions, on full runs.');
  }
}

/** Runs the validators over a decoded run; a rejection names the run and keeps the validator's error as `cause`. */
export function validateRun<C, S>(run: Run, validate: RunValidators<C, S> | undefined): Run<C, S> {
  if (!validate) return run as Run<C, S>; // no copy in the common case
  const out: Record<string, unknown> = { ...run };
  for (const part of ['config', 'summary'] as const) {
    const check = validate?.[part];
    try {
      if (check) out[part] = check(run[part]);
    } catch (error) {
      throw new ValidationError(`Run ${run.path.join('/')}: ${part} failed validation: ${error}`, { cause: error });
    }
  }
  return out as unknown as Run<C, S>;
}

/**
 * Decodes the light fields of a run node. `runsUrl` is the app URL of the project's runs (with a
 * trailing slash), made once per page by callers decoding many runs.
 */
export function toLightRun(
  client: WandbClient,
  node: LightRunFieldsFragment,
  entity: string,
  project: string,
  runsUrl: string = appUrl(client, entity, project, 'runs', ''),
): LightRun {
  return {
    id: node.name,
    name: node.displayName ?? node.name,
    displayName: node.displayName,
    storageId: node.id,
    entity,
    project,
    projectInternalId: node.projectId,
    state: node.state ?? 'not found',
    tags: node.tags ?? [],
    group: node.group,
    jobType: node.jobType,
    sweepName: node.sweepName,
    commit: node.commit,
    host: node.host,
    notes: node.notes,
    description: node.description,
    readOnly: node.readOnly ?? false,
    createdAt: node.createdAt,
    heartbeatAt: node.heartbeatAt,
    updatedAt: node.updatedAt,
    historyLineCount: node.historyLineCount,
    user: node.user ? { name: node.user.name, username: node.user.username } : null,
    path: [entity, project, node.name],
    url: runsUrl + encodeURIComponent(node.name),
  };
}

/** Decodes a run node with its JSON payloads (each parsed once, NaN/Infinity tolerated). */
export function toRun(
  client: WandbClient,
  node: LightRunFieldsFragment & Partial<HeavyRunFieldsFragment>,
  entity: string,
  project: string,
  runsUrl?: string,
): Run {
  const { config, rawConfig } = unwrapConfig(parseJsonObject(node.config));
  const historyKeys = typeof node.historyKeys === 'object' && node.historyKeys !== null ? (node.historyKeys as Record<string, unknown>) : {};
  const lastStep = historyKeys.lastStep;
  return {
    ...toLightRun(client, node, entity, project, runsUrl),
    config,
    rawConfig,
    summary: parseJsonObject(node.summaryMetrics),
    systemMetrics: parseJsonObject(node.systemMetrics),
    historyKeys,
    lastHistoryStep: typeof lastStep === 'number' ? lastStep : -1,
  };
}

/**
 * One run by path: `entity/project/runs/id`, `entity/project/id`, `project/id`, an app URL …
 * `getRun<Config, Summary>` types the config and summary; `validate` checks them at runtime.
 * @example
 * const run = await getRun<{ lr: number }, { loss: number }>(client, 'acme/mnist/abc123');
 * console.log(run.summary.loss * 2, run.config.lr);
 * @typeParam C - The config's type; inferred from `validate.config` when given.
 * @typeParam S - The summary's type; inferred from `validate.summary` when given.
 */
export async function getRun<C = Record<string, unknown>, S = Record<string, unknown>>(
  client: WandbClient,
  path: string,
  options?: GetRunOptions<C, S>,
): Promise<Run<C, S>> {
  checkValidators(options?.validate, true);
  const { entity, project, runId } = await resolveRunPath(client, path, options);
  const data = await client.request(RunDocument, { entity, project, name: runId }, options);
  const node = data.project?.run;
  if (!node) throw new NotFoundError(`Could not find run ${entity}/${project}/${runId}.`, { status: 404 });
  return validateRun(toRun(client, node, entity, project), options?.validate);
}

/** What `createRun` needs; every field has a default. */
export interface CreateRunInput {
  /** Default: 8 random lowercase letters and digits. */
  runId?: string;
  /** Default: the client's project, else `uncategorized`. */
  project?: string;
  /** Default: the client's entity, else the viewer's. */
  entity?: string;
  /** Default `running`. */
  state?: 'running' | 'pending';
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** 8 random lowercase letters and digits, as W&B generates run ids. */
export function generateRunId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Creates a run (`upsertBucket`) and returns it.
 * @example const run = await createRun(client, { project: 'mnist' });
 */
export async function createRun(client: WandbClient, input: CreateRunInput = {}, options?: CallOptions): Promise<Run> {
  const runId = input.runId ?? generateRunId();
  if (!RUN_ID.test(runId)) throw new ValidationError(`Invalid run id '${runId}': use letters, digits, '-' and '_'.`);
  if (input.state !== undefined && input.state !== 'running' && input.state !== 'pending') {
    throw new ValidationError(`A new run's state must be 'running' or 'pending', got '${String(input.state)}'.`);
  }
  const project = input.project ?? client.config.project ?? 'uncategorized';
  const entity = await resolveEntity(client, input.entity, options);
  const data = await client.request(
    UpsertRunDocument,
    { input: { name: runId, modelName: project, entityName: entity, state: input.state ?? 'running' } },
    options,
  );
  const bucket = data.upsertBucket?.bucket;
  if (!bucket) throw new NotFoundError(`Could not create run ${entity}/${project}/${runId}.`, { status: 404 });
  return toRun(client, bucket, bucket.project?.entityName ?? entity, bucket.project?.name ?? project);
}
