// The run properties parity/py/common.py's run_fields prints, under Python's names, for the
// scenarios that compare whole runs.
import type { Run } from 'wandb-api';
import { normalize } from './harness';

/** The comparable form of a run, as parity/py/common.py's run_fields prints it. */
export function runFields(run: Run): unknown {
  return normalize({
    id: run.id,
    name: run.name,
    display_name: run.displayName,
    storage_id: run.storageId,
    entity: run.entity,
    project: run.project,
    state: run.state,
    tags: run.tags,
    group: run.group,
    job_type: run.jobType,
    sweep_name: run.sweepName,
    config: run.config,
    summary: run.summary,
    created_at: run.createdAt,
    heartbeat_at: run.heartbeatAt,
    url: run.url,
    path: run.path,
    user: run.user,
    commit: run.commit,
    notes: run.notes,
    description: run.description,
  });
}
