// Where the project's own tools live and the environment every child process gets: the pinned pnpm
// in .tools/ (scripts/run.mjs installs it) and the workspace's bins come first on PATH, because
// turbo, the package scripts it starts, vitest and tsx look them up there, and a user's machine has
// none of them installed globally.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsDir = join(root, '.tools');
// pnpm 12 is a native executable; npm links it under .bin.
export const pnpmBin = join(toolsDir, 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');

/** process.env with the local tools and this node first on PATH. */
export function toolEnv() {
  const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const local = [join(toolsDir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), dirname(process.execPath)];
  const env = { ...process.env, [pathKey]: [...local, process.env[pathKey] ?? ''].join(delimiter), TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
  // better-sqlite3 compiles against Node's headers when no prebuilt binary can be downloaded; point
  // node-gyp at the headers that ship with this Node instead of letting it download them.
  const nodeDir = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = nodeDir;
  return env;
}
