import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The soak tier (`npm run test:soak`): the workloads of bench/soakWorkloads.ts fault-free and under
// ~10 % mixed faults, results compared. Separate from vitest.config.ts (whose include does not
// match soak/): it takes minutes, not seconds. The same source aliases, so no build is needed.
export default defineConfig({
  plugins: base.plugins,
  resolve: base.resolve,
  test: {
    include: ['soak/**/*.soak.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file times a clean and a faulty pass: files running side by side would skew the ratios.
    fileParallelism: false,
  },
});
