#!/usr/bin/env node
// `npm run smoke:runtimes`: runs examples/smoke/list-runs.ts (the BUILT @wandb-api/core and
// @wandb-api/runs, resolved as each runtime resolves an installed package) under Node (tsx), Bun
// and Deno against one local server with the demo seed, and checks that all print the same answer.
// Bun and Deno come from their npm packages (pinned below; each pulls its platform binary from the
// npm registry as an optional dependency, nothing from GitHub) into .tools/runtimes/. A runtime that
// cannot be installed here (no registry, unsupported platform) is skipped with a message saying why.
//   node scripts/smoke-runtimes.mjs        (build first: npm run build)
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const exampleDir = join(root, 'examples', 'smoke');
const toolsDir = join(root, '.tools', 'runtimes');
const RUNTIMES = { bun: '1.4.5', deno: '2.9.6' };

for (const pkg of ['core', 'runs', 'server']) {
  if (!existsSync(join(root, 'packages', pkg, 'dist', 'index.js'))) {
    console.error(`smoke:runtimes: packages/${pkg}/dist is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
if (!existsSync(join(exampleDir, 'node_modules', '@wandb-api', 'runs'))) {
  console.error('smoke:runtimes: examples/smoke is not installed: run `pnpm install` (or `npm test`, which does) first.');
  process.exit(1);
}

/** Installs the pinned Bun and Deno npm packages into .tools/runtimes once; returns why not, or undefined. */
function installRuntimes() {
  const manifest = join(toolsDir, 'package.json');
  const wanted = JSON.stringify({ private: true, dependencies: RUNTIMES }, null, 2);
  const installed = Object.entries(RUNTIMES).every(([name, version]) => {
    try {
      return JSON.parse(readFileSync(join(toolsDir, 'node_modules', name, 'package.json'), 'utf8')).version === version;
    } catch {
      return false;
    }
  });
  if (installed) return undefined;
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(manifest, `${wanted}\n`);
  console.log(`[setup] installing ${Object.entries(RUNTIMES).map(([n, v]) => `${n}@${v}`).join(' ')} into .tools/runtimes/ (npm registry)`);
  const r = spawnSync('npm', ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const lines = r.stderr.trim().split('\n');
  const why = lines.filter((l) => /\b(code|FetchError|reason|notarget|EBADPLATFORM)\b/.test(l)).slice(0, 2);
  return `npm install failed (${(why.length ? why : lines.slice(0, 2)).join(' | ') || `exit ${r.status}`})`;
}

/** The runtime's binary when it runs here; otherwise the reason it does not. */
function runtimeBinary(name, installError) {
  const bin = join(toolsDir, 'node_modules', '.bin', name);
  if (!existsSync(bin)) return { why: installError ?? `${bin} is missing after the install` };
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return { why: `\`${name} --version\` failed: ${(r.stderr || r.error?.message || '').trim()}` };
  return { bin, version: /\d+\.\d+\.\d+\S*/.exec(r.stdout)?.[0] ?? r.stdout.trim() };
}

const { startServer } = await import(pathToFileURL(join(root, 'packages', 'server', 'dist', 'index.js')).href);
const server = await startServer({ port: 0, memory: true, seed: 'demo' });
const env = {
  ...process.env,
  WANDB_BASE_URL: server.url,
  WANDB_API_KEY: server.apiKey,
  WANDB_ENTITY: server.entity,
  WANDB_PROJECT: 'mnist-classifier',
  NETRC: join(toolsDir, 'no-netrc'),
  DO_NOT_TRACK: '1',
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
};

/**
 * Runs the example with one runtime; resolves with its parsed JSON line or the failure. Async: the
 * server answers from this process's event loop, so the child must not block it.
 */
function runExample(label, cmd, args) {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: exampleDir, env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const output = (stderr || stdout || error.message).trim().split('\n').slice(0, 8).join('\n    ');
        return done({ label, error: `exit ${error.code ?? error.signal}: ${output}` });
      }
      try {
        done({ label, result: JSON.parse(stdout.trim().split('\n').pop() ?? '') });
      } catch {
        done({ label, error: `no JSON line in its output: ${stdout.trim().slice(0, 300)}` });
      }
    });
  });
}

const results = [];
const skipped = [];
try {
  results.push(await runExample(`node ${process.version}`, process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'list-runs.ts']));
  const installError = installRuntimes();
  const args = { bun: ['run', 'list-runs.ts'], deno: ['run', '--allow-net', '--allow-env', '--allow-read', 'list-runs.ts'] };
  for (const name of Object.keys(RUNTIMES)) {
    const runtime = runtimeBinary(name, installError);
    if (!runtime.bin) {
      skipped.push(`${name}@${RUNTIMES[name]}: SKIPPED, not available here: ${runtime.why}`);
      continue;
    }
    results.push(await runExample(`${name} ${runtime.version}`, runtime.bin, args[name]));
  }
} finally {
  await server.stop();
}

const baseline = results[0]?.result;
let failed = 0;
for (const { label, result, error } of results) {
  if (error) {
    failed++;
    console.log(`FAIL  ${label}: ${error}`);
    continue;
  }
  const same = baseline && result.count === baseline.count && JSON.stringify(result.first) === JSON.stringify(baseline.first);
  const sane = result.count > 0 && result.first.length === Math.min(3, result.count);
  if (!same || !sane) failed++;
  console.log(`${same && sane ? 'ok  ' : 'FAIL'}  ${label.padEnd(22)} count=${result.count} first=${JSON.stringify(result.first)} entry=${result.entry}`);
}
for (const line of skipped) console.log(`skip  ${line}`);
if (failed) {
  console.error(`smoke:runtimes: ${failed} runtime(s) failed`);
  process.exit(1);
}
console.log(`smoke:runtimes: ${results.length} runtime(s) agree${skipped.length ? `, ${skipped.length} skipped` : ''}`);
