import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The parity tier (`npm run test:parity`): Python's unmodified wandb.Api and our Api against the
// same local server. Separate from vitest.config.ts (whose include does not match parity/): it
// needs .venv-parity (scripts/parity-setup.mjs). The same source aliases, so no build is needed.
export default defineConfig({
  plugins: base.plugins,
  resolve: base.resolve,
  test: {
    include: ['parity/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts a server and Python processes; the machine has 2 cores.
    fileParallelism: false,
  },
});
