import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

// Tests run against the sources; the package builds are checked by the packaging tier.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@wandb-api\/core$/, replacement: pkg('core/src/node.ts') },
      { find: /^@wandb-api\/runs$/, replacement: pkg('runs/src/node.ts') },
      { find: /^@wandb-api\/(artifacts|launch|admin|server)$/, replacement: pkg('$1/src/index.ts') },
      { find: /^wandb-api$/, replacement: pkg('api/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
