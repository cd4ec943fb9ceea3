// syncTensorboard: uploads a folder of TensorBoard logs as a W&B run, as `wandb sync
// --sync-tensorboard` does: create the run (upsertBucket), stream the history rows and the summary
// through the file-stream endpoint, upload images under media/images/ and the tfevents files
// themselves as run files, then mark the run finished. Damaged records are reported (file and byte
// offset) and skipped; everything readable is still synced.
import { openAsBlob } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type CallOptions, ValidationError, type WandbClient } from '@wandb-api/core';
import { uploadFile } from '../files.js';
import { createRun } from '../run.js';
import { decodeEvent } from './events.js';
import { postFileStream, streamRun } from './fileStream.js';
import { type NamespacedEvent, type SkippedValue, buildHistory } from './rows.js';
import { readTfRecords } from './tfrecord.js';

/** Options of {@link syncTensorboard}: which run receives the logs. */
export interface SyncTensorboardOptions extends CallOptions {
  /** The run to create (or add to). Default: a new random id. */
  runId?: string;
  /** Default: the client's project, else `uncategorized`. */
  project?: string;
  /** Default: the client's entity, else the viewer's. */
  entity?: string;
  /** Upload the tfevents files as run files. Default true, as W&B does. */
  saveFiles?: boolean;
}

/** A record that could not be read. `file` is relative to the synced folder. */
export interface SyncIssue {
  /** The tfevents file, relative to the synced folder, `/`-separated. */
  readonly file: string;
  /** Byte offset of the bad record's header in that file. */
  readonly offset: number;
  /** What was wrong (CRC mismatch, truncation, undecodable event). */
  readonly message: string;
}

/** What {@link syncTensorboard} did: the run written and what was read, uploaded and skipped. */
export interface SyncTensorboardResult {
  /** The run's entity. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The run's id. */
  readonly runId: string;
  /** The tfevents files read, relative to the folder, `/`-separated. */
  readonly eventFiles: string[];
  /** History rows written. */
  readonly rows: number;
  /** The run files uploaded: images (media/images/…) and, with saveFiles, the tfevents files. */
  readonly files: string[];
  /** Damaged records (skipped), with file and byte offset. */
  readonly issues: SyncIssue[];
  /** Values W&B does not keep (audio, pr curves, non-scalar tensors …), once per file and tag. */
  readonly skipped: SkippedValue[];
}

/**
 * A tfevents file by W&B's rule: a `tfevents` name component, not a profiler or SageMaker marker.
 * @example isTfeventsFile('events.out.tfevents.1700000000.host'); // true
 */
export function isTfeventsFile(name: string): boolean {
  if (name.endsWith('.profile-empty') || name.endsWith('.sagemaker-uploaded')) return false;
  return name.split('.').includes('tfevents');
}

async function findEventFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && isTfeventsFile(e.name))
    // Node 20.12 renamed Dirent.path to parentPath.
    .map((e) => relative(root, join(e.parentPath ?? (e as { path?: string }).path ?? root, e.name)).split(sep).join('/'));
  return files.sort();
}

function checkOptions(rootDir: unknown, options: SyncTensorboardOptions): void {
  if (typeof rootDir !== 'string' || rootDir === '') throw new ValidationError('rootDir must be the path of a folder of TensorBoard logs.');
  for (const key of ['runId', 'project', 'entity'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ValidationError(`${key} must be a non-empty string.`);
  }
}

/**
 * Syncs every tfevents file under `rootDir` (recursively) into one run and returns what was done.
 * Files in sub-folders are namespaced by the folder (`train/loss`), as W&B's TensorBoard sync does.
 * @example
 * const result = await syncTensorboard(client, './runs/exp1', { project: 'mnist', runId: 'exp1' });
 * for (const issue of result.issues) console.warn(`${issue.file} @${issue.offset}: ${issue.message}`);
 */
export async function syncTensorboard(client: WandbClient, rootDir: string, options: SyncTensorboardOptions = {}): Promise<SyncTensorboardResult> {
  checkOptions(rootDir, options);
  const { runId, project, entity, saveFiles = true, ...call } = options;
  let isDir = false;
  try {
    isDir = (await stat(rootDir)).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new ValidationError(`${rootDir} is not a folder.`);
  const eventFiles = await findEventFiles(rootDir);
  if (eventFiles.length === 0) throw new ValidationError(`No tfevents files under ${rootDir}.`);

  const issues: SyncIssue[] = [];
  const events: NamespacedEvent[] = [];
  for (const file of eventFiles) {
    const slash = file.lastIndexOf('/');
    const namespace = slash < 0 ? '' : file.slice(0, slash);
    const bytes = await readFile(join(rootDir, file));
    for (const record of readTfRecords(bytes, (issue) => issues.push({ file, ...issue }))) {
      try {
        events.push({ namespace, file, event: decodeEvent(record.data) });
      } catch (error) {
        issues.push({ file, offset: record.offset, message: `not an Event: ${(error as Error).message}` });
      }
    }
  }
  for (const issue of issues) client.config.logger.warn(`tensorboard: ${issue.file} at byte ${issue.offset}: ${issue.message}`);
  const { rows, media, skipped } = buildHistory(events);

  const run = await createRun(client, { ...(runId ? { runId } : {}), ...(project ? { project } : {}), ...(entity ? { entity } : {}) }, call);
  const target = { entity: run.entity, project: run.project, runId: run.id };
  const uploaded: string[] = [];
  try {
    for (const file of media) {
      await uploadFile(client, { entity: run.entity, project: run.project, id: run.id }, { ...call, name: file.name, data: file.data });
      uploaded.push(file.name);
    }
    if (saveFiles) {
      for (const file of eventFiles) {
        // Named by the path under the folder, as W&B saves them (train/events.out.tfevents…).
        const data = await openAsBlob(join(rootDir, file));
        await uploadFile(client, { entity: run.entity, project: run.project, id: run.id }, { ...call, name: file, data });
        uploaded.push(file);
      }
    }
    const summary: Record<string, unknown> = {};
    for (const row of rows) Object.assign(summary, row);
    await streamRun(client, target, { ...call, history: rows, summary, exitCode: 0 });
  } catch (error) {
    // Leave the run failed rather than running forever; the original error is what matters.
    await postFileStream(client, target, { complete: true, exitcode: 1 }).catch(() => {});
    throw error;
  }
  return { ...target, eventFiles, rows: rows.length, files: uploaded, issues, skipped };
}
