#!/usr/bin/env node
// Entry point for the root npm scripts on a fresh machine with only Node.js and npm:
// installs the pinned pnpm locally (no global install needed), installs the workspace, builds,
// then runs the requested task. Usage: node scripts/run.mjs <setup|demo|test|soak|bench|docs|codegen-check> [args]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pnpmBin, root, toolEnv, toolsDir } from './lib/tools.mjs';

const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = toolEnv();

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function pnpm(...args) {
  run(pnpmBin, args, { shell: process.platform === 'win32' });
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) {
    const installed = JSON.parse(readFileSync(join(toolsDir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version;
    if (installed === pnpmVersion) return;
  }
  console.log(`[setup] installing pnpm@${pnpmVersion} into .tools/`);
  run('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`]);
}

function setup() {
  ensurePnpm();
  pnpm('install', '--frozen-lockfile', '--reporter=append-only');
  pnpm('run', 'build', '--output-logs=errors-only');
}

/** Fails when codegen changed or added generated files: generated code must be committed. */
function codegenDrift() {
  const r = spawnSync('git', ['status', '--porcelain', '--', 'packages/*/src/generated'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || r.stdout.trim()) {
    console.error(`codegen drift: regenerate and commit:\n${r.stdout}${r.stderr ?? ''}`);
    process.exit(1);
  }
  console.log('codegen: generated files are up to date');
}

/** Prints the plain closing line CI reads, over the vitest JSON reports that exist: 'Tests: N passed, N failed, N skipped'. */
function summarise(files) {
  const reports = files.filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  if (reports.length === 0) return;
  const sum = (key) => reports.reduce((n, r) => n + r[key], 0);
  console.log(`Tests: ${sum('numPassedTests')} passed, ${sum('numFailedTests')} failed, ${sum('numPendingTests') + sum('numTodoTests')} skipped`);
}

const [task, ...rest] = process.argv.slice(2);
switch (task) {
  case 'setup':
    setup();
    break;
  case 'demo':
    setup();
    pnpm('--filter', './examples/tour', 'run', 'start', ...rest);
    break;
  case 'test':
    setup();
    pnpm('run', 'typecheck');
    {
      const report = join(root, 'test-output', 'vitest.json');
      const exampleReport = join(root, 'test-output', 'server-fixture.json');
      for (const file of [report, exampleReport]) rmSync(file, { force: true });
      const reporters = (file) => ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`];
      const r = spawnSync(pnpmBin, ['exec', 'vitest', 'run', ...reporters(report), ...rest], { cwd: root, stdio: 'inherit', env });
      // examples/server-fixture: @wandb-api/server as a consumer's test fixture, run by its own
      // vitest (its own config and globalSetup) against the built packages. Not with file filters.
      const example = rest.length > 0 ? { status: 0 } : spawnSync(pnpmBin, ['--filter', './examples/server-fixture', 'exec', 'vitest', 'run', ...reporters(exampleReport)], { cwd: root, stdio: 'inherit', env });
      summarise([report, exampleReport]);
      if (r.status !== 0) process.exit(r.status ?? 1);
      if (example.status !== 0) process.exit(example.status ?? 1);
    }
    break;
  case 'soak':
    // The soak tier runs against the sources (vitest aliases, as `npm test`): no build needed.
    ensurePnpm();
    pnpm('install', '--frozen-lockfile', '--reporter=append-only');
    pnpm('exec', 'tsc', '-p', 'soak/tsconfig.json');
    pnpm('exec', 'vitest', 'run', '--config', 'vitest.soak.config.ts', ...rest);
    break;
  case 'bench':
    setup();
    pnpm('--filter', './bench', 'run', 'bench', ...rest);
    break;
  case 'docs':
    // TypeDoc reads the packages' sources (tsconfig.docs.json maps @wandb-api/* to src), so no build.
    ensurePnpm();
    pnpm('install', '--frozen-lockfile', '--reporter=append-only');
    pnpm('exec', 'typedoc', ...rest);
    break;
  case 'codegen-check':
    ensurePnpm();
    pnpm('run', 'codegen');
    codegenDrift();
    break;
  default:
    console.error('usage: node scripts/run.mjs <setup|demo|test|soak|bench|docs|codegen-check> [args]');
    process.exit(2);
}
