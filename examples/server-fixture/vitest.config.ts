import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server-fixture',
    include: ['test/**/*.test.ts'],
    // One local W&B server for the whole run; each test seeds the data it needs.
    globalSetup: ['./test/globalSetup.ts'],
  },
});
