// Python baselines: the unmodified wandb.Api from the parity venv (.venv-parity, made by
// scripts/parity-setup.mjs), run against the benchmark's server. Null when the venv is absent.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = join(ROOT, '.venv-parity', 'bin', 'python');

/** Runs bench/py/<script>.py with `spec` (JSON in argv[1]) and returns its JSON output, or null without the venv. */
export async function pythonBaseline<T>(script: string, server: { url: string; apiKey: string }, spec: unknown): Promise<T | null> {
  if (!existsSync(PYTHON)) return null;
  const home = mkdtempSync(join(tmpdir(), 'wandb-bench-py-'));
  // A clean environment: nothing from the machine's WANDB_*, netrc or settings files.
  const env = {
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
  try {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(PYTHON, [join(ROOT, 'bench', 'py', `${script}.py`), JSON.stringify(spec)], { env, cwd: home, maxBuffer: 16 << 20 }, (error, out, err) =>
        error ? reject(new Error(`${script}.py: ${error.message}\n${err}`)) : resolve(out),
      ),
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
