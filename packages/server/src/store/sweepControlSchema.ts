/**
 * Tables of the sweep workflow (one MIGRATIONS entry): what upsertSweep keeps beyond the config
 * (the controller and scheduler JSON as given; a launch sweep's scheduler is its launchScheduler),
 * agents' last reported metrics, and the prior runs a sweep was created with (priorRunsFilters).
 */
export const SWEEP_CONTROL_MIGRATION = `
  ALTER TABLE sweeps ADD COLUMN controller TEXT;              -- JSON text, as upsertSweep gave it
  ALTER TABLE sweeps ADD COLUMN scheduler TEXT;               -- JSON text; set: the sweep uses a scheduler (enqueueSweepRun)
  ALTER TABLE sweep_agents ADD COLUMN metrics TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE sweep_prior_runs (
    sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (sweep_id, run_id)
  ) WITHOUT ROWID;
`;
