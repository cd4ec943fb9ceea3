// Api#syncTensorboard's Node-only lookup: syncTensorboard reads local folders, so only the Node
// entry of @wandb-api/runs has it (reached through the `node` export condition, as file.ts reaches
// downloadFile). The types are restated here so the facade's browser typings never name it.
import { type CallOptions, ValidationError, type WandbClient } from '@wandb-api/core';
import * as runs from '@wandb-api/runs';

/** Options of `Api#syncTensorboard`. */
export interface SyncTensorboardOptions extends CallOptions {
  /** The run to create (or add to). Default: a new random id. */
  runId?: string;
  /** Default: the Api's project, else `uncategorized`. */
  project?: string;
  /** Default: the Api's entity, else the viewer's. */
  entity?: string;
  /** Upload the tfevents files as run files. Default true. */
  saveFiles?: boolean;
}

/** What `Api#syncTensorboard` did. */
export interface SyncTensorboardResult {
  readonly entity: string;
  readonly project: string;
  readonly runId: string;
  /** The tfevents files read, relative to the folder. */
  readonly eventFiles: string[];
  /** History rows written. */
  readonly rows: number;
  /** Run files uploaded (images under media/images/, the tfevents files). */
  readonly files: string[];
  /** Damaged records that were skipped: file (relative to the folder), byte offset, reason. */
  readonly issues: { readonly file: string; readonly offset: number; readonly message: string }[];
  /** Values W&B does not keep (audio, pr curves, non-scalar tensors …). */
  readonly skipped: { readonly file: string; readonly tag: string; readonly step: number; readonly reason: string }[];
}

type SyncFn = (client: WandbClient, rootDir: string, options?: SyncTensorboardOptions) => Promise<SyncTensorboardResult>;

/** @wandb-api/runs' syncTensorboard, or a ValidationError outside Node. */
export function nodeSyncTensorboard(): SyncFn {
  const fn = (runs as unknown as { syncTensorboard?: SyncFn }).syncTensorboard;
  if (!fn) throw new ValidationError('syncTensorboard reads local TensorBoard folders and needs Node.');
  return fn;
}
