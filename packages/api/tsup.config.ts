import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

export default defineConfig([
  tsupOptions({
    index: 'src/index.ts',
    core: 'src/core.ts',
    runs: 'src/runs.ts',
    artifacts: 'src/artifacts.ts',
    launch: 'src/launch.ts',
    admin: 'src/admin.ts',
  }),
  // The `wandb-api` command (Node only, ESM only: it awaits at top level). Its own build so the
  // browser-neutral entries above never see node: imports; `clean: false` keeps their files.
  // src/cli/main.ts starts with `#!/usr/bin/env node`; esbuild keeps it.
  tsupOptions({ cli: 'src/cli/main.ts' }, { platform: 'node', format: ['esm'], dts: false, clean: false, splitting: false }),
]);
