import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

/** Builds with src/local.node.ts in place of src/local.ts (the Node entry; see src/local.ts). */
const nodeLocal: Plugin = {
  name: 'node-local',
  setup(build) {
    build.onResolve({ filter: /^\.\/local\.js$/ }, (args) => ({ path: join(args.resolveDir, 'local.node.ts') }));
  },
};

export default defineConfig([
  // The browser-neutral entries: `wandb-api` without the `node` condition, and the subpaths (which
  // only re-export the packages, each resolving its own `node` condition).
  tsupOptions({
    index: 'src/index.ts',
    core: 'src/core.ts',
    runs: 'src/runs.ts',
    artifacts: 'src/artifacts.ts',
    launch: 'src/launch.ts',
    admin: 'src/admin.ts',
  }),
  // `wandb-api` under the `node` export condition: the same sources with the local-disk functions
  // imported statically from the packages' Node entries. Its own build (no chunks shared with the
  // browser entry, which must never name those functions); `clean: false` keeps the files above.
  tsupOptions({ node: 'src/index.ts' }, { platform: 'node', clean: false, esbuildPlugins: [nodeLocal] }),
  // The `wandb-api` command (Node only, ESM only: it awaits at top level). Its own build so the
  // browser-neutral entries above never see node: imports; `clean: false` keeps their files.
  // src/cli/main.ts starts with `#!/usr/bin/env node`; esbuild keeps it.
  tsupOptions({ cli: 'src/cli/main.ts' }, { platform: 'node', format: ['esm'], dts: false, clean: false, splitting: false }),
]);
