import { defineConfig } from 'tsup';
import { tsupOptions } from '../../tsup.base';

export default defineConfig(
  tsupOptions({
    index: 'src/index.ts',
    core: 'src/core.ts',
    runs: 'src/runs.ts',
    artifacts: 'src/artifacts.ts',
    launch: 'src/launch.ts',
    admin: 'src/admin.ts',
  }),
);
