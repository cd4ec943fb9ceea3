// The parity harness: one local server per test file, the unmodified Python wandb.Api (from
// .venv-parity, see scripts/parity-setup.mjs) run as a subprocess per scenario, and our Api in
// process, both printing normalized JSON so the test can compare them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalServer, type SeedSpec, type StartServerOptions, startServer } from '@wandb-api/server';
import { Api } from 'wandb-api';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PYTHON = join(ROOT, '.venv-parity', 'bin', 'python');
const SCRIPTS = join(ROOT, 'parity', 'py');

export interface Parity {
  server: LocalServer;
  /** Our Api against the server, with a clean environment (no netrc, no machine WANDB_*). */
  api(env?: Record<string, string>): Api;
  /** Runs parity/py/<scenario>.py with `args` (as JSON in argv[1]) and returns its JSON output. */
  python(scenario: string, args?: unknown, env?: Record<string, string>): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts the server (seed 'demo' by default; `options` for the rest) and a throwaway HOME and WANDB_* dirs for Python. */
export async function startParity(seed: SeedSpec = 'demo', options: Omit<StartServerOptions, 'seed'> = {}): Promise<Parity> {
  if (!existsSync(PYTHON)) throw new Error('The parity venv is missing: run `node scripts/parity-setup.mjs` (npm run test:parity does).');
  const server = await startServer({ port: 0, memory: true, ...options, seed });
  const home = mkdtempSync(join(tmpdir(), 'wandb-parity-'));
  // Python sees only this environment: nothing from the machine's WANDB_*, netrc or settings files.
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NETRC: join(home, 'no-netrc'),
    TMPDIR: home,
    WANDB_BASE_URL: server.url,
    WANDB_API_KEY: server.apiKey,
    WANDB_DIR: join(home, 'dir'),
    WANDB_CACHE_DIR: join(home, 'cache'),
    WANDB_CONFIG_DIR: join(home, 'config'),
    WANDB_DATA_DIR: join(home, 'data'),
    WANDB_SILENT: 'true',
    WANDB_ERROR_REPORTING: 'false',
    WANDB_DISABLE_CODE: 'true',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPATH: SCRIPTS,
  };
  return {
    server,
    api: (env = {}) =>
      new Api({
        baseUrl: server.url,
        apiKey: server.apiKey,
        env: { NETRC: join(home, 'no-netrc'), ...env },
      }),
    python: (scenario, args = null, env = {}) =>
      new Promise((resolve, reject) => {
        execFile(
          PYTHON,
          [join(SCRIPTS, `${scenario}.py`), JSON.stringify(args)],
          { env: { ...baseEnv, ...env }, cwd: home, maxBuffer: 64 * 1024 * 1024, timeout: 110_000 },
          (error, stdout, stderr) => {
            if (error) {
              reject(new Error(`python ${scenario}.py failed: ${error.message}\n${stderr}`));
              return;
            }
            try {
              resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
            } catch {
              reject(new Error(`python ${scenario}.py printed no JSON:\n${stdout}\n${stderr}`));
            }
          },
        );
      }),
    stop: async () => {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The comparable form of a value, as the Python side prints it: NaN and ±Infinity as strings,
 * Dates as ISO strings, undefined dropped, keys sorted.
 */
export function normalize(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  return value;
}

/** `{ok: value}` or `{error: true}`, the shape parity/py/common.py's `attempt` prints (minus the message). */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: unknown } | { error: string }> {
  try {
    return { ok: normalize(await fn()) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Every file under root as {relative posix path: md5 hex}, sorted by path (as the Python scripts list folders). */
export function md5Listing(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full).split(sep).join('/')] = createHash('md5').update(readFileSync(full)).digest('hex');
    }
  };
  walk(root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
