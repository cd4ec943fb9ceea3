/**
 * API keys stored hashed: the table keeps each key's SHA-256 (`key_hash`, looked up on every
 * request) and a name for listings (its first 8 characters), never the key. Row ids are kept, so
 * GraphQL `ApiKey.id`s stay the same. Older databases are converted in place with `sha256_hex`, a SQL
 * function db.ts registers before migrating.
 */
export const API_KEYS_HASHED_MIGRATION = `
  CREATE TABLE api_keys_hashed (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    description TEXT
  );
  INSERT INTO api_keys_hashed (id, key_hash, name, user_id, created_at, description)
    SELECT rowid, sha256_hex(key), substr(key, 1, 8), user_id, created_at, description FROM api_keys ORDER BY rowid;
  DROP TABLE api_keys;
  ALTER TABLE api_keys_hashed RENAME TO api_keys;
  CREATE INDEX api_keys_user ON api_keys(user_id, id);
`;
