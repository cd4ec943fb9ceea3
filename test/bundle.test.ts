// The "list runs" use-case (scripts/size/list-runs.js) bundled for the browser from the sources:
// tree-shaking must leave out the facade, the other domain packages, the server and Node built-ins.
// (Sizes and budgets are `npm run size`, on the built packages.)
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

describe('the list-runs browser bundle', () => {
  let code = '';
  let inputs: string[] = [];
  let externals: string[] = [];

  beforeAll(async () => {
    const result = await build({
      entryPoints: [at('scripts/size/list-runs.js')],
      absWorkingDir: at(''),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      metafile: true,
      // As `npm run size` bundles: what loads on demand (the capability probe …) is a chunk of its own.
      splitting: true,
      outdir: at('node_modules/.bundle-test-out'),
      logLevel: 'silent',
      // The browser entries of the sources; anything else would be a resolution error.
      alias: {
        '@wandb-api/core': at('packages/core/src/index.ts'),
        '@wandb-api/runs': at('packages/runs/src/index.ts'),
        '@urql/core': at('packages/core/node_modules/@urql/core'),
      },
      nodePaths: [at('packages/runs/node_modules'), at('packages/core/node_modules')],
      external: ['node:*', ...builtinModules],
    });
    // What loads up front: the entry chunk and the chunks it imports statically (transitively).
    const outputs = result.metafile.outputs;
    // The use-case's own output (esbuild marks the targets of dynamic imports as entry points too).
    const upFront = new Set([Object.keys(outputs).find((out) => outputs[out]!.entryPoint === 'scripts/size/list-runs.js')!]);
    for (const out of upFront) for (const imp of outputs[out]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) upFront.add(imp.path);
    code = result.outputFiles.filter((f) => [...upFront].some((out) => f.path.endsWith(out))).map((f) => f.text).join('\n');
    // Files parsed but tree-shaken away entirely are left out: only code that reached the output counts.
    inputs = [...upFront].flatMap((out) => Object.entries(outputs[out]!.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file));
    externals = [...upFront].flatMap((out) => outputs[out]!.imports.filter((imp) => imp.external).map((imp) => imp.path));
  });

  it('holds listRuns and the client', () => {
    expect(inputs).toContain('packages/runs/src/runs.ts');
    expect(inputs).toContain('packages/core/src/client.ts');
    expect(code).toContain('query Runs(');
  });

  it('pulls no code of the Api facade, artifacts, launch, admin or the server', () => {
    expect(inputs.filter((f) => /^packages\/(api|artifacts|launch|admin|server)\//.test(f))).toEqual([]);
    for (const marker of ['fromPath:', 'class Api', 'ArtifactCollection', 'RunQueue', 'better-sqlite3', 'startServer']) expect(code).not.toContain(marker);
  });

  it('pulls no Node built-in, no netrc reader and no YAML parser', () => {
    expect(externals).toEqual([]);
    expect(inputs.filter((f) => /credentials\.node|netrc|js-yaml|yaml\.ts|node\.ts$/.test(f))).toEqual([]);
    for (const marker of ['node:fs', 'node:os', 'readFileSync']) expect(code).not.toContain(marker);
  });

  it('holds only the documents listRuns sends', () => {
    const operations = [...code.matchAll(/(?:query|mutation) (\w+)\(/g)].map((m) => m[1]).sort();
    expect(operations).toEqual(['DefaultEntity', 'RunCount', 'Runs'].filter((op) => operations.includes(op)));
    expect(operations).toContain('Runs');
    expect(operations).toContain('RunCount');
  });
});
