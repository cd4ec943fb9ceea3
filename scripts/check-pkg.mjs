#!/usr/bin/env node
// `npm run check:pkg`: checks the BUILT packages as a consumer gets them. Build first
// (`pnpm turbo run build --filter='!@wandb-api/server'`).
//   1. publint (packed with npm pack, strict: any error, warning or suggestion fails);
//   2. attw --pack with the node16 profile (node16 from ESM and from CJS, bundler; node10 ignored);
//   3. test-types/: tsc --noEmit under node16 and under bundler resolution, importing every public entry,
//      with each supported TypeScript (the workspace's, 5.9 and 7: devDependencies typescript-5.9, typescript-7);
//   4. test-types/runtime.mjs: require('wandb-api/runs') and import('wandb-api/runs') both expose listRuns;
//   5. the ```ts examples of the packages' README.md files compile (node16) against the built packages.
// The server package is checked with 1 and 2 when its dist/ exists (it is built separately).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { PUBLIC_PACKAGES, linkPackages, root } from './lib/link-packages.mjs';

const require = createRequire(import.meta.url);
const attwBin = join(require.resolve('@arethetypeswrong/cli/package.json'), '..', 'dist', 'index.js');
const tscBin = require.resolve('typescript/bin/tsc');
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

  // publint and attw both pack the package; one after the other so the tarballs cannot collide.
  const lint = await publint({ pkgDir: dir, pack: 'npm', strict: true, level: 'suggestion' });
  for (const message of lint.messages) {
    problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false }) ?? message.code}`);
  }
  const attw = await run(process.execPath, [attwBin, '--pack', '.', '--profile', 'node16', '--format', 'ascii', '--no-color', '--no-emoji', '--no-definitely-typed'], dir);
  if (attw.code !== 0) problems.push(`attw --pack --profile node16 failed:\n${indent(attw.output)}`);
  return { name: pkg.name, problems };
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
    console.log(`ok   ${name}: publint, attw (node16 ESM+CJS, bundler)`);
  } else {
    failures += problems.length;
    console.log(`FAIL ${name}`);
    for (const problem of problems) console.log(indent(problem));
  }
}

// The type tests read the packages' dist/ only, so they need nothing above to have passed.
for (const { label, ok, output } of await typeTests(folders.filter((f) => f !== 'server'))) {
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
