#!/usr/bin/env node
// `npm run size`: bundles each use-case in scripts/size/ for the browser with esbuild (minified,
// tree-shaken, from the BUILT packages: build first) and measures the gzip size. Every size is
// shown next to the floor, a bare @urql/core Client with fetchExchange bundled in the same run.
// Fails when a use-case is over budget or its bundle contains a forbidden marker; then it prints,
// from esbuild's metafile, what contributes the bytes and which import chain brings the marker in.
// Fails too when a bundler warns: esbuild on any use-case, and Vite on the whole facade (a browser
// entry that names an export only a `node` condition has warns "import is undefined").
//   node scripts/size.mjs [--verbose] [--json]   (--verbose: the per-package breakdown of every bundle;
//   --json: a last line with every measurement, for `npm run bench -- bundle-size`)
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { linkPackages, root } from './lib/link-packages.mjs';

const sizeDir = join(root, 'scripts', 'size');
const verbose = process.argv.includes('--verbose');
const json = process.argv.includes('--json');

/** Strings that mean Node-only code reached a browser bundle. */
const NODE_MARKERS = ['node:fs', 'node:os', 'readFileSync', 'better-sqlite3'];
/** A string that only occurs in packages/api/src/api.ts (the `Api` class's fromPath error). */
const FACADE_MARKER = 'fromPath:';
/**
 * A string of the parquet reader (hyparquet): it must sit only in a chunk loaded on demand by
 * scanHistory (a dynamic import), never in an entry chunk.
 */
const PARQUET_MARKER = 'footer != PAR1';
/**
 * A string of @wandb-api/launch (getJob's error for a malformed name): launch must sit only in a
 * chunk the facade imports on first use of a launch method, never in an entry chunk.
 */
const LAUNCH_MARKER = 'Invalid job specification';
/**
 * A string of @wandb-api/artifacts (getArtifact's document): the facade's artifacts must sit only in
 * a chunk it imports on first use of an artifact, collection or registry method, never in an entry
 * chunk.
 */
const ARTIFACTS_MARKER = 'query ArtifactMembershipByName(';
/**
 * A string of @wandb-api/admin's automations entry (createAutomation's error for a bad argument):
 * automations, integrations and custom charts must sit only in a chunk the facade imports on first
 * use, never in an entry chunk.
 */
const AUTOMATIONS_MARKER = 'createAutomation takes a new automation';
/**
 * The MD5 round shifts as esbuild prints them: the pure-TS hasher must sit only in a chunk that
 * artifactFileStream imports when it streams, never in an entry chunk.
 */
const MD5_MARKER = '[7,12,17,22,';

const FLOOR = { name: '@urql/core floor', entry: 'urql-floor.js' };
// Budgets (min+gzip up front). Set on 2026-11-26 at 14 / 45 / 15 / 16 kB; on 2026-12-07 the three
// use cases went to 16.5 / 17.5 / 18.75 kB and the facade down to 35 kB. Every call since carries
// what issues 12-17 asked of the request loop (bodies read under idle and total timeouts with Range
// resume, write classes, the client-wide retry budget, key redaction, memoised lookups, logs and
// hooks, the capability probe's hook for older servers, windowed listing): a trim pass that moved
// the error-building code of failed answers on demand left 15.92 / 16.77 / 18.13 kB, and what
// remains is that loop (docs: README, "Bundle sizes"). The facade loads artifacts, launch and admin
// on demand (32 kB), so its budget came down.
const USE_CASES = [
  {
    name: 'list runs with a filter',
    entry: 'list-runs.js',
    budget: 16_500,
    forbidden: [FACADE_MARKER, PARQUET_MARKER, LAUNCH_MARKER, AUTOMATIONS_MARKER, MD5_MARKER, ...NODE_MARKERS],
  },
  {
    name: 'whole facade (Api)',
    entry: 'facade.js',
    budget: 35_000,
    vite: true,
    forbidden: [PARQUET_MARKER, ARTIFACTS_MARKER, LAUNCH_MARKER, AUTOMATIONS_MARKER, MD5_MARKER, ...NODE_MARKERS],
  },
  {
    name: "read one run's history",
    entry: 'history.js',
    budget: 17_500,
    forbidden: [FACADE_MARKER, PARQUET_MARKER, LAUNCH_MARKER, AUTOMATIONS_MARKER, MD5_MARKER, ...NODE_MARKERS],
  },
  {
    name: 'download an artifact file in the browser',
    entry: 'artifact-download.js',
    budget: 18_750,
    forbidden: [FACADE_MARKER, LAUNCH_MARKER, AUTOMATIONS_MARKER, MD5_MARKER, ...NODE_MARKERS],
  },
];

async function bundle(entry) {
  const result = await build({
    entryPoints: [join(sizeDir, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    // Dynamic imports (the parquet reader behind scanHistory; artifacts, launch and admin behind the
    // facade's methods) become chunks of their own, loaded on demand: the budget counts what loads
    // up front (the entry chunk and its static imports); the rest is reported as "on demand".
    splitting: true,
    outdir: join(root, 'node_modules', '.size-out'),
    platform: 'browser',
    target: 'es2022',
    minify: true,
    treeShaking: true,
    metafile: true,
    legalComments: 'none',
    // Warnings are collected from the result (and fail the run) rather than printed.
    logLevel: 'silent',
    // Node built-ins stay external instead of failing the build, so a leak is reported below with
    // the import chain that brings it in.
    external: ['node:*', ...builtinModules],
  });
  // What loads up front: the entry chunk and the chunks it imports statically (transitively).
  const outputs = result.metafile.outputs;
  // The use-case's own output (esbuild marks the targets of dynamic imports as entry points too).
  const upFront = new Set([Object.keys(outputs).find((out) => outputs[out].entryPoint === `scripts/size/${entry}`)]);
  for (const out of upFront) for (const imp of outputs[out].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) upFront.add(imp.path);
  const isUpFront = (f) => [...upFront].some((out) => f.path.endsWith(out));
  const code = Buffer.concat(result.outputFiles.filter(isUpFront).map((f) => f.contents));
  const lazy = result.outputFiles.filter((f) => !isUpFront(f)).reduce((sum, f) => sum + gzipSync(f.contents, { level: 9 }).length, 0);
  // Not 'ignored-bare-import': tsup's code splitting leaves `import './chunk-….js'` lines in our
  // sideEffects-free packages, and esbuild does not show that warning for packages installed under
  // node_modules (as a consumer gets them), only here, where they are linked from the workspace.
  const warnings = result.warnings
    .filter((w) => w.id !== 'ignored-bare-import')
    .map((w) => `esbuild: ${w.id} ${w.text}${w.location ? ` (${w.location.file}:${w.location.line})` : ''}`);
  return { code: code.toString('utf8'), min: code.length, gzip: gzipSync(code, { level: 9 }).length, lazy, metafile: result.metafile, upFront: [...upFront], warnings };
}

/** What Vite (a production build for the browser, not written) warns about when bundling `entry`. */
async function viteWarnings(entry) {
  const { build: viteBuild } = await import('vite');
  const warnings = [];
  await viteBuild({
    configFile: false,
    root: sizeDir,
    logLevel: 'silent',
    build: {
      write: false,
      emptyOutDir: false,
      reportCompressedSize: false,
      rollupOptions: { input: join(sizeDir, entry), onwarn: (warning) => warnings.push(`vite: ${warning.message.replace(/\x1b\[[0-9;]*m/g, '')}`) },
    },
  });
  return warnings;
}

/** Where an input file belongs: its package name, or the repository path for workspace files. */
function packageOf(input) {
  const nm = input.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = input.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const ws = /^packages\/([^/]+)\//.exec(input);
  if (ws) return JSON.parse(readFileSync(join(root, 'packages', ws[1], 'package.json'), 'utf8')).name;
  return input;
}

/** The entry chunk's metafile output (with splitting, other outputs are chunks loaded on demand). */
function entryOutput(metafile) {
  return Object.values(metafile.outputs).find((o) => o.entryPoint?.startsWith('scripts/size/'));
}

/** The input files of the chunks that load up front, with their bytes in those chunks. */
function upFrontInputs({ metafile, upFront }) {
  return upFront.flatMap((out) => Object.entries(metafile.outputs[out].inputs));
}

/** Bytes in the (minified, not gzipped) up-front output per package and per file, largest first. */
function breakdown(result) {
  const files = upFrontInputs(result)
    .map(([file, { bytesInOutput }]) => ({ file, bytes: bytesInOutput }))
    .filter((f) => f.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const byPackage = new Map();
  for (const { file, bytes } of files) byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + bytes);
  return { files, packages: [...byPackage].sort((a, b) => b[1] - a[1]) };
}

/** The shortest import chain from the entry to `target`, as metafile paths. */
function importChain(metafile, entry, target) {
  const previous = new Map([[entry, null]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    if (file === target) break;
    for (const { path } of metafile.inputs[file]?.imports ?? []) {
      if (!previous.has(path)) {
        previous.set(path, file);
        queue.push(path);
      }
    }
  }
  if (!previous.has(target)) return [target];
  const chain = [];
  for (let file = target; file; file = previous.get(file)) chain.unshift(file);
  return chain;
}

const entryOf = (metafile) => entryOutput(metafile).entryPoint;
const arrow = '\n          → ';

/** Import chains to the external imports whose path passes `test` (Node built-ins are left external). */
function externalChains(metafile, test) {
  const chains = [];
  for (const [file, { imports }] of Object.entries(metafile.inputs)) {
    for (const imp of imports) {
      if (imp.external && test(imp.path)) chains.push(`${importChain(metafile, entryOf(metafile), file).join(arrow)}${arrow}${imp.path} (external)`);
    }
  }
  return chains;
}

/** Import chains to the bundled input files whose source contains `marker`. */
function sourceChains(result, marker) {
  const { metafile } = result;
  const chains = [];
  for (const [file, { bytesInOutput }] of upFrontInputs(result)) {
    if (bytesInOutput === 0) continue;
    let source;
    try {
      source = readFileSync(join(root, file), 'utf8');
    } catch {
      continue; // a virtual module
    }
    if (source.includes(marker)) chains.push(importChain(metafile, entryOf(metafile), file).join(arrow));
  }
  return chains;
}

const isBuiltin = (path) => path.startsWith('node:') || builtinModules.includes(path);

/** What should not be in this bundle: forbidden marker strings, and any import of a Node built-in. */
function leaksOf(useCase, result) {
  const { code, metafile } = result;
  const leaks = [];
  for (const marker of useCase.forbidden.filter((m) => code.includes(m))) {
    leaks.push({ what: `forbidden marker ${JSON.stringify(marker)}`, chains: [...sourceChains(result, marker), ...externalChains(metafile, (p) => p.includes(marker))] });
  }
  const builtins = new Set(Object.values(metafile.inputs).flatMap(({ imports }) => imports.filter((i) => i.external && isBuiltin(i.path)).map((i) => i.path)));
  for (const builtin of builtins) leaks.push({ what: `Node built-in import "${builtin}"`, chains: externalChains(metafile, (p) => p === builtin) });
  return leaks;
}

const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

linkPackages(sizeDir);
let floor;
try {
  floor = await bundle(FLOOR.entry);
} catch (error) {
  console.error(`size: cannot bundle ${FLOOR.entry}: ${error.message}`);
  process.exit(1);
}

const rows = [];
const problems = [];
for (const useCase of USE_CASES) {
  let result;
  try {
    result = await bundle(useCase.entry);
  } catch (error) {
    problems.push(`${useCase.name}: esbuild failed (did you build the packages?)\n${error.message}`);
    continue;
  }
  const overBudget = result.gzip > useCase.budget;
  const leaks = leaksOf(useCase, result);
  const warnings = [...result.warnings, ...(useCase.vite ? await viteWarnings(useCase.entry) : [])];
  const failed = overBudget || leaks.length > 0 || warnings.length > 0;
  rows.push({ useCase, result, ok: !failed });
  if (failed || verbose) {
    const { files, packages } = breakdown(result);
    const lines = [];
    if (overBudget) lines.push(`${useCase.name}: ${kB(result.gzip)} gzip is over its ${kB(useCase.budget)} budget.`);
    if (warnings.length) lines.push(`${useCase.name}: bundling it for the browser warns:`, ...warnings.map((w) => `        ${w}`));
    for (const { what, chains } of leaks) {
      lines.push(`${useCase.name}: contains ${what}, brought in by:`);
      for (const chain of chains.length ? chains : ['(no input file contains it verbatim: search the minified bundle)']) lines.push(`        ${chain}`);
    }
    if (!failed) lines.push(`${useCase.name}:`);
    lines.push('    minified bytes by package:');
    for (const [pkg, bytes] of packages) lines.push(`      ${lpad(bytes, 7)}  ${pkg}`);
    lines.push('    largest files:');
    for (const { file, bytes } of files.slice(0, 8)) lines.push(`      ${lpad(bytes, 7)}  ${file}`);
    if (failed) problems.push(lines.join('\n'));
    else console.log(`${lines.join('\n')}\n`);
  }
}

const header = ['use-case', 'min', 'gzip', 'budget', 'floor gzip', 'gzip − floor', 'on demand', ''];
const table = [
  [FLOOR.name, kB(floor.min), kB(floor.gzip), '', kB(floor.gzip), '', '', ''],
  ...rows.map(({ useCase, result, ok }) => [
    useCase.name,
    kB(result.min),
    kB(result.gzip),
    kB(useCase.budget),
    kB(floor.gzip),
    `+${kB(result.gzip - floor.gzip)} (×${(result.gzip / floor.gzip).toFixed(2)})`,
    result.lazy ? `+${kB(result.lazy)}` : '',
    ok ? 'ok' : 'FAIL',
  ]),
];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
console.log('(browser platform, esbuild minified, gzip -9; budgets are on the gzip size of what loads up front; "on demand": chunks behind dynamic imports)');

if (json) {
  const useCases = Object.fromEntries(rows.map(({ useCase, result, ok }) => [useCase.name, { gzip: result.gzip, min: result.min, on_demand: result.lazy, budget: useCase.budget, ok }]));
  console.log(JSON.stringify({ floor: { gzip: floor.gzip, min: floor.min }, use_cases: useCases }));
}
if (problems.length) {
  console.error(`\n${problems.join('\n\n')}`);
  console.error(`\nsize: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('size: all use-cases within budget');
