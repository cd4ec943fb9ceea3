/**
 * Tables of automations (one MIGRATIONS entry): entity secrets, integrations (generic webhooks and
 * Slack channels), triggers with their scope, event filter and action, the execution history the
 * server writes when it fires a trigger, per-run match state for run metric triggers, and custom
 * chart presets. A trigger belongs to the entity of its scope; deleting the scope deletes it.
 */
export const AUTOMATIONS_MIGRATION = `
  CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,                      -- never leaves the server but in a webhook request
    created_at TEXT NOT NULL,
    UNIQUE (entity_id, name)
  );
  CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                       -- GENERIC_WEBHOOK | SLACK
    name TEXT,                                -- webhooks: unique in the entity
    url_endpoint TEXT,
    secret_ref TEXT,                          -- the name of a secret of the entity (HMAC signature)
    access_token_ref TEXT,                    -- the name of a secret of the entity (Bearer token)
    team_name TEXT,                           -- Slack: the workspace
    channel_name TEXT,                        -- Slack: the channel
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX integrations_webhook_name ON integrations(entity_id, name) WHERE kind = 'GENERIC_WEBHOOK';
  CREATE TABLE triggers (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    enabled INTEGER NOT NULL,
    scope_type TEXT NOT NULL,                 -- PROJECT | ARTIFACT_COLLECTION
    scope_project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    scope_collection_id INTEGER REFERENCES artifact_collections(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    event_filter TEXT NOT NULL,               -- the eventFilter JSON as the client sent it
    action_type TEXT NOT NULL,                -- GENERIC_WEBHOOK | NOTIFICATION | NO_OP
    integration_id INTEGER REFERENCES integrations(id),
    action_config TEXT NOT NULL,              -- JSON: {requestPayload} or {title, message, severity} or {}
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT,
    UNIQUE (entity_id, name)
  );
  CREATE INDEX triggers_project ON triggers(scope_project_id);
  CREATE INDEX triggers_collection ON triggers(scope_collection_id);
  CREATE TABLE trigger_executions (
    id INTEGER PRIMARY KEY,
    trigger_id INTEGER NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    event TEXT NOT NULL,                      -- JSON: what happened (the payload variables)
    action_type TEXT NOT NULL,
    state TEXT NOT NULL,                      -- PENDING | SUCCEEDED | FAILED | SKIPPED
    request TEXT,                             -- JSON: the request sent, secrets masked
    response_status INTEGER,
    error TEXT,
    triggered_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX trigger_executions_trigger ON trigger_executions(trigger_id, id);
  CREATE TABLE trigger_run_matches (
    trigger_id INTEGER NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    PRIMARY KEY (trigger_id, run_id)
  ) WITHOUT ROWID;
  CREATE TABLE custom_charts (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    type TEXT NOT NULL,
    access TEXT NOT NULL,                     -- PRIVATE | PUBLIC
    spec TEXT NOT NULL,                       -- JSON text as written
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT,
    UNIQUE (entity_id, name)
  );
`;
