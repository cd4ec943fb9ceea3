/**
 * Tables of Launch (one MIGRATIONS entry): default resource configs (a queue's type, config and
 * template variables), run queues (in a project, W&B uses the entity's `model-registry`) and their
 * items. An item goes PENDING → LEASED (an agent popped it) → CLAIMED (the agent acked it with the
 * run it started), or FAILED at any point.
 */
export const LAUNCH_MIGRATION = `
  CREATE TABLE launch_resource_configs (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    resource TEXT NOT NULL,                   -- the queue type, e.g. 'kubernetes'
    config TEXT NOT NULL,                     -- JSON text, {"resource_args": {<type>: {...}}}
    template_variables TEXT NOT NULL DEFAULT '{}', -- JSON {<name>: {description?, schema: {...}}}
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE run_queues (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    access TEXT NOT NULL DEFAULT 'PROJECT',
    prioritization_mode TEXT,                 -- 'V0' | 'DISABLED' | NULL
    resource_config_id INTEGER REFERENCES launch_resource_configs(id) ON DELETE SET NULL,
    external_links TEXT,                      -- JSON text, {"links": [{label, url}]}
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE TABLE run_queue_items (
    id INTEGER PRIMARY KEY,
    queue_id INTEGER NOT NULL REFERENCES run_queues(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'PENDING',    -- PENDING | LEASED | CLAIMED | FAILED
    run_spec TEXT NOT NULL,                   -- JSON text as pushed
    template_variable_values TEXT,            -- JSON text as pushed
    priority INTEGER NOT NULL DEFAULT 2,      -- 0 (critical) … 3 (low); used when the queue's mode is V0
    associated_run_id TEXT,                   -- the run's short id, set by ackRunQueueItem
    launch_agent_id TEXT,
    failure TEXT,                             -- JSON {stage, message, info, filePaths} from failRunQueueItem
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX run_queue_items_queue ON run_queue_items(queue_id, id);
`;
