// The types of Api#syncTensorboard. syncTensorboard reads local folders, so only the Node entry of
// @wandb-api/runs has it and its types; they are restated here so the facade's browser typings never
// name that entry. Api#syncTensorboard passes them to and from the real function (./local.node.ts)
// without a cast, so the compiler keeps the two in step.
import type { CallOptions } from '@wandb-api/core';

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
  /** The run's entity. */
  readonly entity: string;
  /** The run's project. */
  readonly project: string;
  /** The run's id. */
  readonly runId: string;
  /** The tfevents files read, relative to the folder. */
  readonly eventFiles: string[];
  /** History rows written. */
  readonly rows: number;
  /** Run files uploaded (images under media/images/, the tfevents files). */
  readonly files: string[];
  /** Damaged records that were skipped: file (relative to the folder), byte offset, reason. */
  readonly issues: {
    /** The tfevents file, relative to the folder. */
    readonly file: string;
    /** Byte offset of the bad record's header. */
    readonly offset: number;
    /** What was wrong. */
    readonly message: string;
  }[];
  /** Values W&B does not keep (audio, pr curves, non-scalar tensors …). */
  readonly skipped: {
    /** The tfevents file, relative to the folder. */
    readonly file: string;
    /** The tag, namespaced by sub-folder (`train/audio`). */
    readonly tag: string;
    /** The step of its first occurrence. */
    readonly step: number;
    /** Why it was left out. */
    readonly reason: string;
  }[];
}
