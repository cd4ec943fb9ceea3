// Node-only credential discovery: the netrc file, as the Python client reads it. Reached only
// through the `node` export condition, so browser bundles never see `fs`.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { netrcKeyFor, parseNetrc } from './netrc.js';
import { processEnv } from './config.js';

/** `$NETRC`, else `~/.netrc`, else `~/_netrc`. */
export function netrcPath(env: Record<string, string | undefined> = processEnv()): string | undefined {
  if (env.NETRC) return env.NETRC;
  const home = env.HOME ?? homedir();
  return [join(home, '.netrc'), join(home, '_netrc')].find((p) => existsSync(p));
}

/** Reads the API key for a base URL from the netrc file; a missing or unreadable file gives none. */
export function netrcApiKey(baseUrl: string, env?: Record<string, string | undefined>): string | undefined {
  const path = netrcPath(env);
  if (!path) return undefined;
  try {
    return netrcKeyFor(parseNetrc(readFileSync(path, 'utf8')), baseUrl);
  } catch {
    return undefined;
  }
}
