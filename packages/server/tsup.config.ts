import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

// src/bin.ts starts with a `#!/usr/bin/env node` line; esbuild keeps it on that entry only.
export default defineConfig(tsupOptions({ index: 'src/index.ts', bin: 'src/bin.ts' }, { platform: 'node' }));
