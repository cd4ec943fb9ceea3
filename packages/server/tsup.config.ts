import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

// src/bin.ts starts with a `#!/usr/bin/env node` line; esbuild keeps it on that entry only.
// stripInternal: what src/index.ts marks @internal (the store and its fixtures, whose types name
// better-sqlite3's) stays out of the published .d.ts.
export default defineConfig(
  tsupOptions({ index: 'src/index.ts', bin: 'src/bin.ts' }, { platform: 'node', dts: { compilerOptions: { stripInternal: true } } }),
);
