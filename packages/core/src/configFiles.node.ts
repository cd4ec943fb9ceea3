// The files W&B's own tools keep configuration in, read as Python's wandb.Api reads them: the netrc
// file (API keys by host) and the settings files (`wandb login --host`, `wandb init`). Node only:
// reached through the `node` export condition, so browser bundles never see `fs`.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFiles } from './config.js';
import { identityCredentials } from './identity.node.js';
import { netrcKeyFor, parseNetrc } from './netrc.js';

type Env = Record<string, string | undefined>;

/**
 * Where files are looked for. With the process environment, HOME falls back to the OS home and the
 * workspace to the current directory; an `env` given as an option names every place itself, so
 * tests and embedders never read the machine's files by accident.
 */
function places(env: Env | undefined): { env: Env; home?: string; cwd?: string } {
  if (env) return { env, home: env.HOME || undefined, cwd: env.WANDB_DIR || undefined };
  return { env: process.env, home: process.env.HOME || homedir(), cwd: process.env.WANDB_DIR || process.cwd() };
}

/** `$NETRC`, else `~/.netrc`, else `~/_netrc`, whichever exists; undefined when none does. */
export function netrcPath(env?: Env): string | undefined {
  const { env: e, home } = places(env);
  const candidates = e.NETRC ? [e.NETRC] : home ? [join(home, '.netrc'), join(home, '_netrc')] : [];
  return candidates.find((p) => existsSync(p));
}

/** Reads the API key for a base URL from the netrc file; a missing or unreadable file gives none. */
export function netrcApiKey(baseUrl: string, env?: Env): string | undefined {
  const path = netrcPath(env);
  if (!path) return undefined;
  try {
    return netrcKeyFor(parseNetrc(readFileSync(path, 'utf8')), baseUrl);
  } catch {
    return undefined;
  }
}

/** The keys of one section of an INI text (`key = value`, `#`/`;` comments), as Python's configparser reads them. */
export function parseSettings(text: string, section = 'default'): Record<string, string> {
  const values: Record<string, string> = {};
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!.trim();
    else if (current === section) {
      const eq = line.search(/[=:]/);
      if (eq > 0) values[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
    }
  }
  return values;
}

/**
 * The settings files in the order they apply: the global one (`$WANDB_CONFIG_DIR/settings`, else
 * `~/.config/wandb/settings`), then the workspace's (`<WANDB_DIR or cwd>/wandb/settings`, or
 * `.wandb/settings` when that folder exists), which wins.
 */
export function settingsPaths(env?: Env): string[] {
  const { env: e, home, cwd } = places(env);
  const configDir = e.WANDB_CONFIG_DIR || (home && join(home, '.config', 'wandb'));
  const paths = configDir ? [join(configDir, 'settings')] : [];
  if (cwd) paths.push(existsSync(join(cwd, '.wandb')) ? join(cwd, '.wandb', 'settings') : join(cwd, 'wandb', 'settings'));
  return paths;
}

/** The `[default]` section of the settings files, merged (workspace over global); a missing or unreadable file adds nothing. */
export function readSettings(env?: Env): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const path of settingsPaths(env)) {
    try {
      Object.assign(merged, parseSettings(readFileSync(path, 'utf8')));
    } catch {
      // no file, no settings (as in Python)
    }
  }
  return merged;
}

/**
 * Everything the Node client reads from files: the settings, the netrc lookup, and federated
 * identity when `WANDB_IDENTITY_TOKEN_FILE` names a JWT (its access token cached in
 * `WANDB_CREDENTIALS_FILE`, default ~/.config/wandb/credentials.json).
 */
export function configFiles(env?: Env): ConfigFiles {
  const netrc = netrcPath(env);
  const { env: e, home } = places(env);
  const tokenFile = e.WANDB_IDENTITY_TOKEN_FILE;
  const credentialsFile = e.WANDB_CREDENTIALS_FILE || (home && join(home, '.config', 'wandb', 'credentials.json')) || undefined;
  return {
    ...(tokenFile && { identity: (baseUrl: string) => identityCredentials(baseUrl, tokenFile, credentialsFile) }),
    settings: readSettings(env),
    netrcKey: (baseUrl) => netrcApiKey(baseUrl, env),
    keyHelp: (baseUrl) =>
      `looked in the apiKey option, WANDB_API_KEY and ${netrc ? `${netrc} (no password for machine ${new URL(baseUrl).host})` : 'the netrc file ($NETRC or ~/.netrc: none found)'}. ` +
      `Pass apiKey, set WANDB_API_KEY or run \`wandb login --host ${baseUrl}\``,
  };
}
