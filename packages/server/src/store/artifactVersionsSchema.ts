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
