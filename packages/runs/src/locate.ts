import { type CallOptions, type ResolvedRunPath, type WandbClient, resolveRunPath } from '@wandb-api/core';

/** A run named by a path string, or a run object already loaded (no request needed to place it). */
export type RunLocator =
  | string
  | {
      /** The entity (user or team). */
      readonly entity: string;
      /** The project name. */
      readonly project: string;
      /** The short id shown in URLs. */
      readonly id: string;
    };

/** Where a run lives; a path string may need the default entity (one cached request). */
export async function locateRun(client: WandbClient, run: RunLocator, options?: CallOptions): Promise<ResolvedRunPath> {
  return typeof run === 'string' ? resolveRunPath(client, run, options) : { entity: run.entity, project: run.project, runId: run.id };
}
