import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The legacy tier (`npm run test:legacy`): our functions against a server speaking W&B's schema of
// April 2023 (startServer({ schema: 'w&b-2023' })) next to one speaking the current schema. It
// writes docs/server-compatibility.md (a test fails when the committed table is not what it found).
// The same source aliases as the unit tier, so no build is needed.
export default defineConfig({
  plugins: base.plugins,
  resolve: base.resolve,
  test: {
    include: ['legacy/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts two seeded servers; the machine has 2 cores.
    fileParallelism: false,
  },
});
