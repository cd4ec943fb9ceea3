// Run writes: updateRun (fields, config, summary), deleteRun, updateRunState and stopRun. Every
// mutation names the run by its storage id (the server's global `id`): a run object from getRun or
// listRuns carries it; a path costs one getRun first.
import {
  BadRequestError,
  type CallOptions,
  GraphQLError,
  NotFoundError,
  ValidationError,
  type WandbClient,
  parseRunPath,
  stringifyJson,
  wrapConfig,
} from '@wandb-api/core';
import { DeleteRunDocument, StopRunDocument, UpdateRunStateDocument, UpsertRunDocument, type UpsertRunMutation } from './generated/graphql.js';
import type { RunLocator } from './locate.js';
import { type Run, getRun, toRun } from './run.js';

/** A run to write to: a path, a `{entity, project, id}`, or a loaded run (which saves a lookup). */
export type RunTarget =
  | RunLocator
  | (RunLocator & {
      /** The run's global id; saves the lookup a path needs. */
      readonly storageId: string;
      /** The run's config with internal keys; lets `config` changes keep `_wandb` without a lookup. */
      readonly rawConfig?: Readonly<Record<string, unknown>>;
    });

/** What `updateRun` can change. Absent keys are left as they are on the server. */
export interface RunChanges {
  /** The human name (Python's `run.name`). */
  displayName?: string;
  /** Replaces the whole tag list. */
  tags?: readonly string[];
  /** The run's notes. */
  notes?: string;
  /** The run's description. */
  description?: string;
  /** The run's group. */
  group?: string;
  /** The run's job type. */
  jobType?: string;
  /** Replaces the whole user config (plain values; W&B's `_wandb` key is kept). */
  config?: Readonly<Record<string, unknown>>;
  /** Replaces the WHOLE summary (Python's semantics): keys not given are dropped. */
  summary?: Readonly<Record<string, unknown>>;
}

const STRING_FIELDS = ['displayName', 'notes', 'description', 'group', 'jobType'] as const;
const OBJECT_FIELDS = ['config', 'summary'] as const;
// Spelled out (no spread) so that bundlers can drop it where mutations are unused.
const KNOWN = new Set<string>(['displayName', 'notes', 'description', 'group', 'jobType', 'config', 'summary', 'tags']);

function checkTarget(run: RunTarget): void {
  if (typeof run === 'string') parseRunPath(run);
  else if (!run || typeof run.entity !== 'string' || typeof run.project !== 'string' || typeof run.id !== 'string') {
    throw new ValidationError('run must be a path such as "entity/project/run-id" or a run object.');
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Serialises a JSON payload with NaN/±Infinity as bare tokens, as W&B clients write them. */
function encode(name: string, value: unknown): string {
  try {
    return stringifyJson(value);
  } catch (error) {
    throw new ValidationError(`${name} cannot be serialised: ${(error as Error).message}`);
  }
}

/** Checks every change before any request; unknown keys are refused (a typo would otherwise be a silent no-op). */
function checkChanges(changes: RunChanges): void {
  if (!isPlainObject(changes)) throw new ValidationError('changes must be an object such as { tags: ["best"] }.');
  for (const key of Object.keys(changes)) {
    if (!KNOWN.has(key)) throw new ValidationError(`Unknown run field '${key}': expected one of ${[...KNOWN].join(', ')}.`);
  }
  for (const key of STRING_FIELDS) {
    const v = changes[key];
    if (v !== undefined && typeof v !== 'string') throw new ValidationError(`${key} must be a string, got ${typeof v}.`);
  }
  if (changes.tags !== undefined && (!Array.isArray(changes.tags) || changes.tags.some((t) => typeof t !== 'string' || t === ''))) {
    throw new ValidationError('tags must be a list of non-empty strings.');
  }
  for (const key of OBJECT_FIELDS) {
    const v = changes[key];
    if (v !== undefined && !isPlainObject(v)) throw new ValidationError(`${key} must be a plain object.`);
  }
}

interface Resolved {
  storageId: string;
  entity: string;
  project: string;
  runId: string;
  rawConfig: Readonly<Record<string, unknown>> | undefined;
}

/** The storage id (and raw config when known) without a request when the caller holds a loaded run. */
async function resolveTarget(client: WandbClient, run: RunTarget, needConfig: boolean, options?: CallOptions): Promise<Resolved> {
  if (typeof run !== 'string' && 'storageId' in run && typeof run.storageId === 'string' && (!needConfig || run.rawConfig)) {
    return { storageId: run.storageId, entity: run.entity, project: run.project, runId: run.id, rawConfig: run.rawConfig };
  }
  const loaded = await getRun(client, typeof run === 'string' ? run : `${run.entity}/${run.project}/${run.id}`, options);
  return { storageId: loaded.storageId, entity: loaded.entity, project: loaded.project, runId: loaded.id, rawConfig: loaded.rawConfig };
}

function decodeBucket(client: WandbClient, data: UpsertRunMutation, where: Resolved): Run {
  const bucket = data.upsertBucket?.bucket;
  if (!bucket) throw new NotFoundError(`Could not update run ${where.entity}/${where.project}/${where.runId}.`, { status: 404 });
  return toRun(client, bucket, bucket.project?.entityName ?? where.entity, bucket.project?.name ?? where.project);
}

/**
 * Changes a run's fields, config and/or summary (`upsertBucket`) and returns the run as the server
 * now has it. Run fields and config go in one mutation (config re-wrapped as `{k: {value, desc}}`
 * with W&B's `_wandb` kept); `summary`, when given, in a second one that **replaces the whole
 * summary**, as Python's `run.update()`/`summary.update()` do — pass `{...run.summary, k: v}` to
 * change one key. Unlike Python, only the given fields are sent and the run is re-read.
 * @example
 * const run = await updateRun(client, 'acme/mnist/abc123', { tags: ['best'], summary: { ...old.summary, score: 0.9 } });
 */
export async function updateRun(client: WandbClient, run: RunTarget, changes: RunChanges, options?: CallOptions): Promise<Run> {
  checkTarget(run);
  checkChanges(changes);
  const { summary, config, tags, displayName, notes, description, group, jobType } = changes;
  const summaryText = summary === undefined ? undefined : encode('summary', summary);
  const configText = config === undefined ? undefined : encode('config', config);
  const where = await resolveTarget(client, run, config !== undefined, options);

  let last: Run | undefined;
  const fields = { displayName, notes, description, groupName: group, jobType, tags: tags && [...tags] };
  const hasFields = configText !== undefined || Object.values(fields).some((v) => v !== undefined);
  if (hasFields) {
    let wrapped: string | undefined;
    if (config !== undefined) {
      // Python's json_config: every user key wrapped, plus `_wandb` from the raw config.
      const internal = where.rawConfig && '_wandb' in where.rawConfig ? { _wandb: { value: where.rawConfig._wandb, desc: null } } : {};
      wrapped = encode('config', { ...wrapConfig({ ...config }), ...internal });
    }
    const input = Object.fromEntries(Object.entries({ id: where.storageId, ...fields, config: wrapped }).filter(([, v]) => v !== undefined));
    last = decodeBucket(client, await client.request(UpsertRunDocument, { input: input as { id: string } }, options), where);
  }
  if (summaryText !== undefined) {
    last = decodeBucket(client, await client.request(UpsertRunDocument, { input: { id: where.storageId, summaryMetrics: summaryText } }, options), where);
  }
  return last ?? getRun(client, `${where.entity}/${where.project}/${where.runId}`, options);
}

export interface DeleteRunOptions extends CallOptions {
  /** Also delete the artifacts the run logged. Default false. */
  deleteArtifacts?: boolean;
}

/**
 * Deletes a run (`deleteRun`). `deleteArtifacts` goes into the input only when true, as Python
 * sends it (older servers do not know the field).
 * @example await deleteRun(client, 'acme/mnist/abc123', { deleteArtifacts: true });
 */
export async function deleteRun(client: WandbClient, run: RunTarget, options: DeleteRunOptions = {}): Promise<void> {
  checkTarget(run);
  const { deleteArtifacts = false } = options;
  if (typeof deleteArtifacts !== 'boolean') throw new ValidationError('deleteArtifacts must be a boolean.');
  const { storageId } = await resolveTarget(client, run, false, options);
  await client.request(DeleteRunDocument, { input: deleteArtifacts ? { id: storageId, deleteArtifacts } : { id: storageId } }, options);
}

/** The states a client may move a run to; the server also checks the current state (see updateRunState). */
export type SettableRunState = 'pending' | 'failed';

/**
 * Moves a run to `pending` or `failed` (`updateRunState`). The server decides: → pending from
 * running/failed/crashed/preempted, → failed from pending/running, never for sweep runs. Returns
 * whether it did: W&B answers a transition it refuses with a GraphQL error ("invalid state
 * transition"), which is `false` here (Python raises). Other target states are a ValidationError
 * before any request.
 * @example if (await updateRunState(client, 'acme/mnist/abc123', 'failed')) console.log('marked failed');
 */
export async function updateRunState(client: WandbClient, run: RunTarget, state: SettableRunState, options?: CallOptions): Promise<boolean> {
  checkTarget(run);
  if (state !== 'pending' && state !== 'failed') {
    throw new ValidationError(`A run's state can only be set to 'pending' or 'failed', got '${String(state)}'.`);
  }
  const { storageId } = await resolveTarget(client, run, false, options);
  try {
    const data = await client.request(UpdateRunStateDocument, { input: { id: storageId, state } }, options);
    return data.updateRunState?.success === true;
  } catch (error) {
    if (isRefusedTransition(error)) return false;
    throw error;
  }
}

/** The server's answer to a transition it does not allow (a 400, or GraphQL errors in a 200). */
function isRefusedTransition(error: unknown): boolean {
  if (!(error instanceof BadRequestError) && !(error instanceof GraphQLError)) return false;
  return error.errors.some((e) => /invalid state transition/i.test(e.message));
}

/**
 * Asks a run to stop (`stopRun`). Asynchronous: the server only sets a flag (`shouldStop`) that the
 * run's process polls; use `waitUntilFinished` to see it end.
 * @example await stopRun(client, 'acme/mnist/abc123');
 */
export async function stopRun(client: WandbClient, run: RunTarget, options?: CallOptions): Promise<boolean> {
  checkTarget(run);
  const { storageId } = await resolveTarget(client, run, false, options);
  const data = await client.request(StopRunDocument, { input: { id: storageId } }, options);
  return data.stopRun?.success === true;
}
