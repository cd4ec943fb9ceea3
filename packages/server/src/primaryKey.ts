/**
 * The primary user's API key, which `startServer` returns. Keys are stored hashed, so the database
 * cannot give it back after a restart: with a dataDir the key is also written to
 * `<dataDir>/primary-api-key` (mode 0600, like ~/.netrc), and a restart reads it from there. When
 * that file is missing or holds a key that no longer works (deleted, or a database from before keys
 * were hashed), the primary user gets a new key and the file is rewritten.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store, UserRow } from './store/store';

/** The file in a dataDir holding the primary user's key. */
export const PRIMARY_KEY_FILE = 'primary-api-key';

/**
 * The key to return for `primary`: `minted` when this start just created it (a new database),
 * else the one in the dataDir's file if it still authenticates as `primary`, else a new one.
 */
export function primaryApiKey(store: Store, primary: UserRow, dataDir: string | undefined, minted?: string): string {
  const file = dataDir === undefined ? undefined : join(dataDir, PRIMARY_KEY_FILE);
  if (minted === undefined && file !== undefined) {
    const saved = readSaved(file);
    if (saved !== undefined && store.authenticate(saved)?.id === primary.id) return saved;
  }
  const key = minted ?? store.users.addApiKey(primary.id);
  if (file !== undefined) {
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // writeFileSync's mode applies only when it creates the file
  }
  return key;
}

function readSaved(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
