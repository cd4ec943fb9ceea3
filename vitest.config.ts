import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const pkg = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const facadeSrc = pkg('api/src/');

/** The facade as its Node entry is built: src/local.node.ts in place of src/local.ts (packages/api/tsup.config.ts). */
const facadeNodeLocal = {
  name: 'facade-node-local',
  enforce: 'pre' as const,
  resolveId: (source: string, importer: string | undefined) => (source === './local.js' && importer?.startsWith(facadeSrc) ? `${facadeSrc}local.node.ts` : null),
};

// Tests run against the sources; the package builds are checked by the packaging tier.
export default defineConfig({
  plugins: [facadeNodeLocal],
  resolve: {
    alias: [
      { find: /^@wandb-api\/core$/, replacement: pkg('core/src/node.ts') },
      { find: /^@wandb-api\/runs$/, replacement: pkg('runs/src/node.ts') },
      { find: /^@wandb-api\/artifacts$/, replacement: pkg('artifacts/src/node.ts') },
      { find: /^@wandb-api\/(launch|admin)$/, replacement: pkg('$1/src/index.ts') },
      { find: /^@wandb-api\/admin\/automations$/, replacement: pkg('admin/src/automations/index.ts') },
      { find: /^@wandb-api\/admin\/documents$/, replacement: pkg('admin/src/documents.ts') },
      // The public entry plus the store fixtures this repository's tests use (not published).
      { find: /^@wandb-api\/server$/, replacement: pkg('server/src/internal.ts') },
      { find: /^wandb-api$/, replacement: pkg('api/src/index.ts') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...configDefaults.exclude, '**/*.edge.test.ts'] },
      },
      {
        // The same client calls inside an Edge Runtime VM (no Node globals), against the local
        // server that test/edge/setup.ts starts in the Node host process.
        extends: true,
        test: { name: 'edge', environment: 'edge-runtime', include: ['packages/*/test/**/*.edge.test.ts'], globalSetup: ['test/edge/setup.ts'] },
      },
    ],
  },
});
