/**
 * Tables of artifacts, collections, registries and organizations (one MIGRATIONS entry).
 * A collection is a sequence (an artifact's source, kind SEQUENCE) or a portfolio (a set of links,
 * kind PORTFOLIO). Every artifact belongs to its sequence through a membership too, so versions,
 * aliases and lookups work the same way for both kinds.
 */
export const ARTIFACTS_MIGRATION = `
  ALTER TABLE projects ADD COLUMN allow_all_artifact_types INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,                -- the display name
    org_entity_id INTEGER NOT NULL UNIQUE REFERENCES entities(id),
    advanced_search INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE organization_members (
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (org_id, user_id)
  ) WITHOUT ROWID;
  -- Team entities that belong to an organization (Entity.organization), the org entity included.
  CREATE TABLE organization_entities (
    entity_id INTEGER PRIMARY KEY REFERENCES entities(id),
    org_id INTEGER NOT NULL REFERENCES organizations(id)
  );
  CREATE TABLE artifact_types (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE TABLE artifact_collections (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES artifact_types(id),
    kind TEXT NOT NULL,                       -- SEQUENCE | PORTFOLIO
    name TEXT NOT NULL,
    description TEXT,
    state TEXT NOT NULL DEFAULT 'READY',      -- READY | DELETED
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE INDEX artifact_collections_type ON artifact_collections(type_id, id);
  CREATE TABLE artifact_collection_tags (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (collection_id, name)
  );
  CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    sequence_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES artifact_types(id),
    version_index INTEGER NOT NULL,
    state TEXT NOT NULL,                      -- PENDING | COMMITTED | DELETED
    description TEXT,
    metadata TEXT,                            -- JSON text
    ttl_seconds INTEGER,                      -- NULL: no TTL
    ttl_is_inherited INTEGER NOT NULL DEFAULT 1,
    digest TEXT NOT NULL,                     -- manifest digest (hex MD5)
    commit_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    file_count INTEGER NOT NULL,
    manifest_md5_hex TEXT,                    -- the manifest JSON, a blob
    history_step INTEGER,
    created_by_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    created_by_user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (sequence_id, version_index)
  );
  CREATE TABLE artifact_tags (
    id INTEGER PRIMARY KEY,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (artifact_id, name)
  );
  CREATE TABLE artifact_memberships (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    version_index INTEGER NOT NULL,           -- the version within this collection
    created_at TEXT NOT NULL,
    UNIQUE (collection_id, artifact_id),
    UNIQUE (collection_id, version_index)
  );
  CREATE INDEX artifact_memberships_artifact ON artifact_memberships(artifact_id);
  CREATE TABLE artifact_aliases (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES artifact_collections(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    UNIQUE (collection_id, alias)             -- an alias names one version of a collection
  );
  CREATE INDEX artifact_aliases_artifact ON artifact_aliases(artifact_id);
  CREATE TABLE artifact_files (
    id INTEGER PRIMARY KEY,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,                     -- base64 MD5 for stored files; ETag/URL for references
    ref TEXT,                                 -- reference URI, NULL for stored files
    size INTEGER,
    md5_hex TEXT,                             -- the blob of a stored file
    birth_artifact_id INTEGER,
    extra TEXT,                               -- JSON object or NULL
    mimetype TEXT,
    UNIQUE (artifact_id, path)
  );
  CREATE INDEX artifact_files_md5 ON artifact_files(md5_hex);
  CREATE TABLE artifact_usage (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    artifact_id INTEGER NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    used_at TEXT NOT NULL,
    PRIMARY KEY (run_id, artifact_id)
  ) WITHOUT ROWID;
  CREATE INDEX artifact_usage_artifact ON artifact_usage(artifact_id);
  CREATE INDEX artifacts_created_by ON artifacts(created_by_run_id);
  -- Blobs served without a signature at <storage>/public/<md5> (the targets of http references).
  CREATE TABLE public_blobs (md5_hex TEXT PRIMARY KEY);
`;
