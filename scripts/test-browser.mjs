#!/usr/bin/env node
// `npm run test:browser`: the dashboard example (examples/dashboard) in headless Chromium.
// 1. finds Chromium, or installs Debian's `chromium` package with apt-get when running as root
//    (or with password-less sudo); playwright-core's own browser download is not used, because
//    this project's machines reach package registries only;
// 2. builds the packages (turbo, cached) and the page (vite build);
// 3. runs examples/dashboard/test/browser.mjs, which starts @wandb-api/server and drives the page.
// Needs the workspace installed (`npm test` or `pnpm install` first). Set CHROMIUM_PATH to use
// another Chromium or Chrome.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, toolEnv } from './lib/tools.mjs';

const dashboard = join(root, 'examples', 'dashboard');
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function run(cmd, args, opts = {}) {
  console.log(`[test:browser] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const findChromium = () => [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p) => p && existsSync(p));

function installChromium() {
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!isRoot && !sudo) {
    console.error('[test:browser] Chromium is missing and cannot be installed: not root and no password-less sudo.\n' +
      'Install Debian\'s package (apt-get install -y chromium) or set CHROMIUM_PATH.');
    process.exit(1);
  }
  const apt = (...args) => (sudo ? run('sudo', ['-n', 'apt-get', ...args]) : run('apt-get', args));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (apt('update', '-q') !== 0 || run(sudo ? 'sudo' : 'apt-get', [...(sudo ? ['-n', 'apt-get'] : []), 'install', '-y', '-q', '--no-install-recommends', 'chromium'], { env }) !== 0) {
    console.error('[test:browser] apt-get could not install chromium.');
    process.exit(1);
  }
}

let chromium = findChromium();
if (!chromium) {
  installChromium();
  chromium = findChromium();
  if (!chromium) {
    console.error(`[test:browser] chromium was installed but is at none of ${CANDIDATES.join(', ')}.`);
    process.exit(1);
  }
}
console.log(`[test:browser] Chromium: ${chromium}`);

for (const bin of ['turbo', 'vite']) {
  const dir = bin === 'vite' ? dashboard : root;
  if (!existsSync(join(dir, 'node_modules', '.bin', bin))) {
    console.error(`[test:browser] ${bin} is not installed: install the workspace first (npm test does, or pnpm install).`);
    process.exit(1);
  }
}
// turbo finds pnpm through PATH: the pinned one in .tools/ (installed by npm test), not a global one.
const env = toolEnv();
if (run(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--filter=@wandb-api/example-dashboard^...', '--output-logs=errors-only'], { env }) !== 0) process.exit(1);
if (run(join(dashboard, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: dashboard, env }) !== 0) process.exit(1);
process.exit(run(process.execPath, [join(dashboard, 'test', 'browser.mjs'), chromium]));
