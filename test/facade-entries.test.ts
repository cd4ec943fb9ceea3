// The facade's two entries (packages/api/tsup.config.ts): the browser entry, bundled from the
// sources for the browser, must bundle without a warning (a browser entry that names an export only
// the `node` condition has gets "import is undefined") and hold no Node-only code; artifacts, launch
// and admin load on first use (chunks of their own); its local-disk methods reject with a
// ValidationError before any request. (The BUILT entries are checked by `npm run size`, with
// esbuild and Vite, and by `npm run check:pkg`.)
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@wandb-api/core';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as browserLocal from '../packages/api/src/local.ts';
import { startTestServer, testClient } from './support';

const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The browser entries of the sources (with platform 'browser' no `node` condition applies). */
const browserSources = {
  'wandb-api': at('packages/api/src/index.ts'),
  '@wandb-api/core': at('packages/core/src/index.ts'),
  '@wandb-api/runs': at('packages/runs/src/index.ts'),
  '@wandb-api/artifacts': at('packages/artifacts/src/index.ts'),
  '@wandb-api/launch': at('packages/launch/src/index.ts'),
  '@wandb-api/admin': at('packages/admin/src/index.ts'),
  '@wandb-api/admin/automations': at('packages/admin/src/automations/index.ts'),
  '@wandb-api/admin/documents': at('packages/admin/src/documents.ts'),
};

/** esbuild's options for a browser bundle of the sources (both tests bundle the facade so). */
const forBrowser = {
  absWorkingDir: at(''),
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  metafile: true,
  logLevel: 'silent',
  alias: browserSources,
  nodePaths: ['core', 'runs', 'artifacts'].map((p) => at(`packages/${p}/node_modules`)),
  external: ['node:*', ...builtinModules],
} as const;

describe("the facade's browser entry", () => {
  it('bundles for the browser without a warning and without Node-only code', async () => {
    const result = await build({ ...forBrowser, stdin: { contents: "export * from 'wandb-api';\n", resolveDir: at(''), loader: 'ts' } });
    expect(result.warnings.map((w) => `${w.id}: ${w.text}`)).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('packages/api/src/local.ts');
    expect(inputs.filter((f) => /\/(node|local\.node|[^/]*\.node)\.ts$/.test(f))).toEqual([]);
    const externals = Object.values(result.metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external).map((imp) => imp.path));
    expect(externals).toEqual([]);
  });

  it('loads artifacts, launch and admin on first use: none of their code is in what loads up front', async () => {
    // The `npm run size` use-case of the whole facade, bundled from the sources as that run bundles it.
    const result = await build({ ...forBrowser, entryPoints: [at('scripts/size/facade.js')], splitting: true, outdir: at('node_modules/.facade-entries-test-out') });
    // What loads up front: the entry chunk and the chunks it imports statically (transitively).
    const outputs = result.metafile.outputs;
    const upFront = new Set([Object.keys(outputs).find((out) => outputs[out]!.entryPoint === 'scripts/size/facade.js')!]);
    for (const out of upFront) for (const imp of outputs[out]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) upFront.add(imp.path);
    const inputs = [...upFront].flatMap((out) => Object.entries(outputs[out]!.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file));
    const lazy = Object.keys(outputs).filter((out) => !upFront.has(out)).flatMap((out) => Object.keys(outputs[out]!.inputs));
    expect(inputs).toContain('packages/api/src/api.ts');
    // Only the typed document Python's Api names as a class constant (USERS_QUERY) comes from admin.
    expect(inputs.filter((f) => /^packages\/(artifacts|launch|admin)\//.test(f) && !/^packages\/admin\/src\/(documents|generated\/graphql)\.ts$/.test(f))).toEqual([]);
    for (const pkg of ['artifacts', 'launch', 'admin']) expect(lazy, pkg).toContain(`packages/${pkg}/src/index.ts`);
  });

  it('rejects every local-disk function with a ValidationError, before any request', async () => {
    const server = await startTestServer();
    try {
      const client = testClient(server);
      const calls = Object.entries(browserLocal).map(([name, fn]) => [name, (fn as (...args: unknown[]) => Promise<unknown>)(client, {}, '.')] as const);
      expect(calls.map(([name]) => name).sort()).toEqual(['downloadArtifact', 'downloadArtifactFile', 'downloadFile', 'syncTensorboard', 'uploadFilePath', 'verifyArtifact']);
      for (const [name, call] of calls) {
        const error = await call.then(() => null, (e: unknown) => e);
        expect(error, name).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toMatch(new RegExp(`^${name} .* needs Node`));
      }
      expect(server.requests).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
