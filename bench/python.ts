// Python baselines: the unmodified wandb.Api from the parity venv (.venv-parity, made by
// scripts/parity-setup.mjs), run against the benchmark's server. Null when the venv is absent.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = join(ROOT, '.venv-parity', 'bin', 'python');

/** A clean environment for Python in `home`: nothing from the machine's WANDB_*, netrc or settings files. */
function pythonEnv(server: { url: string; apiKey: string }, home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NETRC: join(home, 'no-netrc'),
    WANDB_BASE_URL: server.url,
    WANDB_API_KEY: server.apiKey,
    WANDB_DIR: join(home, 'dir'),
    WANDB_CACHE_DIR: join(home, 'cache'),
    WANDB_CONFIG_DIR: join(home, 'config'),
    WANDB_SILENT: 'true',
    WANDB_ERROR_REPORTING: 'false',
  };
}

/**
 * Runs bench/py/<script>.py with `spec` (JSON in argv[1]) and returns its JSON output, or null
 * without the venv, or when it runs past `limitMs` (then it is stopped).
 */
export async function pythonBaseline<T>(script: string, server: { url: string; apiKey: string }, spec: unknown, limitMs = 0): Promise<T | null> {
  if (!existsSync(PYTHON)) return null;
  const home = mkdtempSync(join(tmpdir(), 'wandb-bench-py-'));
  const env = pythonEnv(server, home);
  try {
    const stdout = await new Promise<string | null>((resolve, reject) =>
      execFile(PYTHON, [join(ROOT, 'bench', 'py', `${script}.py`), JSON.stringify(spec)], { env, cwd: home, maxBuffer: 16 << 20, timeout: limitMs }, (error, out, err) => {
        if (error?.killed && limitMs) {
          console.log(`${script}.py stopped after ${Math.round(limitMs / 1000)} s (over the time budget)`);
          resolve(null);
        } else if (error) reject(new Error(`${script}.py: ${error.message}\n${err}`));
        else resolve(out);
      }),
    );
    return stdout === null ? null : (JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A Python process that runs one timed round per `round()` call (its warm-up done once, at start). */
export interface PythonSession<T> {
  round(): Promise<T>;
  close(): Promise<void>;
}

/**
 * Starts bench/py/<script>.py in session mode (`spec.session`: a line "round" on stdin runs one
 * timed round, answered with a JSON line), so Python's rounds interleave with ours. Null without
 * the venv. Resolves once Python's warm-up round is done.
 */
export async function pythonSession<T>(script: string, server: { url: string; apiKey: string }, spec: Record<string, unknown>): Promise<PythonSession<T> | null> {
  if (!existsSync(PYTHON)) return null;
  const home = mkdtempSync(join(tmpdir(), 'wandb-bench-py-'));
  const child = spawn(PYTHON, [join(ROOT, 'bench', 'py', `${script}.py`), JSON.stringify({ ...spec, session: true })], {
    env: pythonEnv(server, home),
    cwd: home,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${script}.py ended early (exit ${child.exitCode})`);
    return JSON.parse(line.value) as T;
  };
  await next(); // {"ready": true}: the warm-up round is done
  return {
    round: () => {
      child.stdin.write('round\n');
      return next();
    },
    close: async () => {
      child.stdin.end('quit\n');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
      rmSync(home, { recursive: true, force: true });
    },
  };
}
