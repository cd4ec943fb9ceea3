#!/usr/bin/env node
// `npm run check:pkg`: checks the BUILT packages as a consumer gets them. Build first
// (`pnpm turbo run build --filter='!@wandb-api/server'`).
//   0. the tarball, packed with `pnpm pack` as it is published (npm pack is refused: see
//      scripts/pack-guard.mjs), names no `workspace:` range and gives every runtime dependency a
//      caret range (consumers can dedupe);
//   1. publint on that tarball (strict: any error, warning or suggestion fails);
//   2. attw on that tarball with the node16 profile (node16 from ESM and from CJS, bundler; node10 ignored);
//   3. test-types/: tsc --noEmit under node16 and under bundler resolution, importing every public entry,
//      with each supported TypeScript (the workspace's, 5.9 and 7: devDependencies typescript-5.9, typescript-7);
//   4. test-types/runtime.mjs: require('wandb-api/runs') and import('wandb-api/runs') both expose listRuns;
//   5. the ```ts examples of the packages' README.md files compile (node16) against the built packages.
// The server package is checked with 0, 1 and 2 when its dist/ exists (it is built separately), and
// its .d.ts as a consumer's test compiles it (test-types/server.ts: strict, skipLibCheck false, the
// server's runtime dependencies installed and none of its dev dependencies).
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { PUBLIC_PACKAGES, linkPackages, root } from './lib/link-packages.mjs';

const require = createRequire(import.meta.url);
const attwBin = join(require.resolve('@arethetypeswrong/cli/package.json'), '..', 'dist', 'index.js');
const tscBin = require.resolve('typescript/bin/tsc');
// The pnpm that scripts/run.mjs installs, else one on PATH.
const localPnpm = join(root, '.tools', 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');
const pnpmBin = existsSync(localPnpm) ? localPnpm : 'pnpm';
/** The TypeScript versions consumers may compile with, by the package (or npm alias) that provides each. */
const TYPESCRIPTS = ['typescript', 'typescript-5.9', 'typescript-7'];

/** Runs a command, buffering its output; resolves { code, output }. */
function run(cmd, args, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const indent = (text) => text.trimEnd().replace(/^/gm, '    ');

async function checkPackage(folder) {
  const dir = join(root, 'packages', folder);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const problems = [];
  if (!existsSync(join(dir, 'dist'))) {
    return { name: pkg.name, problems: [`no dist/: build it first (pnpm turbo run build --filter='!@wandb-api/server')`] };
  }
  if (!existsSync(join(dir, 'README.md'))) problems.push('no README.md');

  // One tarball, packed as it is published; publint and attw both read it.
  const out = mkdtempSync(join(tmpdir(), 'wandb-api-pack-'));
  try {
    const pack = await run(pnpmBin, ['pack', '--pack-destination', out], dir);
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    if (pack.code !== 0 || !tarball) return { name: pkg.name, problems: [`pnpm pack failed:\n${indent(pack.output)}`] };
    const bytes = readFileSync(join(out, tarball));
    const lint = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, strict: true, level: 'suggestion' });
    problems.push(...rangeProblems(lint.pkg));
    for (const message of lint.messages) {
      problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false }) ?? message.code}`);
    }
    const attw = await run(process.execPath, [attwBin, join(out, tarball), '--profile', 'node16', '--format', 'ascii', '--no-color', '--no-emoji', '--no-definitely-typed'], dir);
    if (attw.code !== 0) problems.push(`attw --profile node16 failed:\n${indent(attw.output)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { name: pkg.name, problems };
}

/** What is wrong with the ranges of a packed package.json: `workspace:` left in, or a runtime dependency not a caret range. */
function rangeProblems(packed) {
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(packed[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}: ${name}@${range} reached the tarball`);
      else if (field !== 'devDependencies' && !/^\^\d+\.\d+\.\d+$/.test(range)) problems.push(`${field}: ${name}@${range} is not a caret range (consumers cannot dedupe it)`);
    }
  }
  return problems;
}

/** Compiles each ```ts block of each README as a module of its own, under test-types/node_modules (git-ignored). */
async function readmeExamples(dir, folders) {
  const out = join(dir, 'node_modules', '.readme');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files = [];
  for (const folder of folders) {
    const readme = join(root, 'packages', folder, 'README.md');
    if (!existsSync(readme)) continue;
    const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    blocks.forEach((block, i) => {
      const file = `${folder}-${i + 1}.ts`;
      files.push(file);
      writeFileSync(join(out, file), `// From packages/${folder}/README.md, block ${i + 1}\n${block}\nexport {};\n`);
    });
  }
  const tsconfig = { extends: '../../tsconfig.node16.json', compilerOptions: { noUncheckedIndexedAccess: false }, files };
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const { code, output } = await run(process.execPath, [tscBin, '--noEmit', '-p', join(out, 'tsconfig.json')]);
  return { label: `README examples (${files.join(', ')})`, ok: code === 0, output };
}

/**
 * Compiles test-types/server.ts and the ```ts blocks of packages/server/README.md (the vitest
 * recipe) against the server's BUILT package, installed the way a consumer gets it: its files in a
 * folder outside this repository (so nothing of the workspace is found by walking up) next to its
 * runtime dependencies only, plus the consumer's own wandb-api and vitest. A .d.ts that needs a dev
 * dependency's types (@types/better-sqlite3) fails here, as it would for the consumer.
 */
async function serverConsumerTypes() {
  const serverDir = join(root, 'packages', 'server');
  const pkg = JSON.parse(readFileSync(join(serverDir, 'package.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'wandb-api-server-consumer-'));
  try {
    const installed = join(dir, 'node_modules', '@wandb-api', 'server');
    mkdirSync(installed, { recursive: true });
    copyFileSync(join(serverDir, 'package.json'), join(installed, 'package.json'));
    cpSync(join(serverDir, 'dist'), join(installed, 'dist'), { recursive: true });
    const consumerDeps = { 'wandb-api': join(root, 'packages', 'api'), vitest: join(root, 'node_modules', 'vitest') };
    for (const dep of Object.keys(pkg.dependencies ?? {})) consumerDeps[dep] = join(serverDir, 'node_modules', dep);
    for (const [dep, target] of Object.entries(consumerDeps)) {
      const link = join(dir, 'node_modules', dep);
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(realpathSync(target), link, 'junction');
    }
    copyFileSync(join(root, 'test-types', 'server.ts'), join(dir, 'server.ts'));
    const files = ['server.ts'];
    const readme = readFileSync(join(serverDir, 'README.md'), 'utf8');
    [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].forEach((m, i) => {
      files.push(`readme-${i + 1}.ts`);
      writeFileSync(join(dir, `readme-${i + 1}.ts`), `// From packages/server/README.md, block ${i + 1}\n${m[1]}\nexport {};\n`);
    });
    const base = JSON.parse(readFileSync(join(root, 'test-types', 'tsconfig.base.json'), 'utf8'));
    const tsconfig = {
      compilerOptions: { ...base.compilerOptions, module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
      files,
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'server-consumer', private: true, type: 'module' }));
    const { code, output } = await run(process.execPath, [tscBin, '--noEmit', '-p', join(dir, 'tsconfig.json')]);
    return { label: `tsc test-types/server.ts and the server README's examples (${files.length - 1}) against @wandb-api/server as installed (skipLibCheck false)`, ok: code === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function typeTests(folders) {
  const dir = join(root, 'test-types');
  linkPackages(dir);
  const results = [];
  for (const typescript of TYPESCRIPTS) {
    // TypeScript 7 exports no ./bin/tsc: find the package folder (through its package.json) and its bin.
    const folder = join(require.resolve(`${typescript}/package.json`), '..');
    const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const bin = join(folder, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.tsc);
    const version = pkg.version;
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
      const { code, output } = await run(process.execPath, [bin, '--noEmit', '-p', join(dir, config)]);
      results.push({ label: `tsc ${version} -p test-types/${config}`, ok: code === 0, output });
    }
  }
  results.push(await readmeExamples(dir, folders));
  const runtime = await run(process.execPath, [join(dir, 'runtime.mjs')]);
  results.push({ label: 'node test-types/runtime.mjs', ok: runtime.code === 0, output: runtime.output });
  return results;
}

const folders = Object.values(PUBLIC_PACKAGES);
if (existsSync(join(root, 'packages', 'server', 'dist'))) folders.push('server');
else console.log('server: no dist/, skipped');

let failures = 0;
const packageResults = await Promise.all(folders.map(checkPackage));
for (const { name, problems } of packageResults) {
  if (problems.length === 0) {
    console.log(`ok   ${name}: pnpm pack (ranges), publint, attw (node16 ESM+CJS, bundler)`);
  } else {
    failures += problems.length;
    console.log(`FAIL ${name}`);
    for (const problem of problems) console.log(indent(problem));
  }
}

// The type tests read the packages' dist/ only, so they need nothing above to have passed.
const typeResults = await typeTests(folders.filter((f) => f !== 'server'));
if (folders.includes('server')) typeResults.push(await serverConsumerTypes());
for (const { label, ok, output } of typeResults) {
  if (ok) {
    console.log(`ok   ${label}`);
  } else {
    failures++;
    console.log(`FAIL ${label}\n${indent(output)}`);
  }
}

if (failures) {
  console.error(`check:pkg: ${failures} problem(s)`);
  process.exit(1);
}
console.log('check:pkg: all packages clean');
