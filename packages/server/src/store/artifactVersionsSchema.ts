/** Tables of artifact logging (see artifactVersions.ts): one MIGRATIONS entry. */
export const ARTIFACT_VERSIONS_MIGRATION = `
  -- Aliases asked for when a version was created; applied when it commits.
  CREATE TABLE artifact_pending_aliases (
    id INTEGER PRIMARY KEY,                   -- the order they were asked for in
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    UNIQUE (artifact_id, alias)
  );
  -- Blobs uploaded through a pending version's signed URLs: besides blobs its entity already holds,
  -- the only stored files it may commit (so knowing an MD5 never grants another entity's bytes).
  CREATE TABLE artifact_uploads (
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    md5_hex TEXT NOT NULL,
    PRIMARY KEY (artifact_id, md5_hex)
  ) WITHOUT ROWID;
`;

/**
 * Continuing a version (one MIGRATIONS entry): the client's ids of a version and its sequence (a second
 * createArtifact with the same `clientID` continues the version), a distributed version's id (runs
 * upserting one pending version), the manifest type a version is logged with (FULL, INCREMENTAL on a
 * base version, or PATCH) and every run that logged a version, deduplicated or not (Run.outputArtifacts).
 */
export const ARTIFACT_CONTINUATION_MIGRATION = `
  ALTER TABLE artifacts ADD COLUMN client_id TEXT;
  ALTER TABLE artifacts ADD COLUMN distributed_id TEXT;
  ALTER TABLE artifacts ADD COLUMN manifest_type TEXT NOT NULL DEFAULT 'FULL';   -- FULL | INCREMENTAL | PATCH
  ALTER TABLE artifacts ADD COLUMN base_artifact_id INTEGER;                     -- INCREMENTAL: the version it extends
  CREATE INDEX artifacts_client_id ON artifacts(sequence_id, client_id) WHERE client_id IS NOT NULL;
  CREATE INDEX artifacts_distributed_id ON artifacts(sequence_id, distributed_id) WHERE distributed_id IS NOT NULL;
  ALTER TABLE artifact_collections ADD COLUMN client_id TEXT;                    -- the sequenceClientID it was created with
  CREATE TABLE artifact_outputs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, artifact_id)
  ) WITHOUT ROWID;
  CREATE INDEX artifact_outputs_artifact ON artifact_outputs(artifact_id);
`;
