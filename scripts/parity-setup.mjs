#!/usr/bin/env node
// Sets up the parity tier's Python side: a virtual environment in .venv-parity/ with ONE pinned
// release of the unmodified `wandb` package from PyPI. Idempotent: a venv that already holds the
// pinned version is left alone.
//
// Why wandb 0.31.0: the newest release when the tier was written. From 0.28 on, `wandb.Api` sends
// its GraphQL through the bundled Go sidecar (wandb-core, shipped inside the wheel), which is what
// current users run; it starts and talks plain HTTP to a loopback server here, so no older
// pure-Python release is needed. Bump the pin deliberately and re-run the tier.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WANDB_VERSION = '0.31.0';
// tensorboardX writes the real tfevents files of parity/tensorboard.test.ts (pure Python + numpy +
// protobuf, no TensorFlow). The newest release when that scenario was written.
const TENSORBOARDX_VERSION = '2.6.5';
const REQUIREMENTS = [`wandb==${WANDB_VERSION}`, `tensorboardX==${TENSORBOARDX_VERSION}`];

const root = fileURLToPath(new URL('..', import.meta.url));
const venv = `${root}.venv-parity`;
const python = `${venv}/bin/python`;
const marker = `${venv}/.wandb-version`;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

function main() {
  // The marker lists every pinned requirement, so adding or bumping one re-runs the install.
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === REQUIREMENTS.join(' ')) {
    console.log(`parity: .venv-parity has ${REQUIREMENTS.join(', ')}`);
    return;
  }
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.error('parity: python3 (3.9 or newer, with the venv module) is required for the parity tier but was not found on PATH.');
    process.exit(1);
  }
  console.log(`parity: creating .venv-parity with ${REQUIREMENTS.join(', ')} (${probe.stdout.trim()})`);
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS]);
  writeFileSync(marker, `${REQUIREMENTS.join(' ')}\n`);
}

main();
