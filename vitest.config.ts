import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/ carry their own tests: each example must keep running.
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here: more workers only make Argon2id and Chromium fight for them.
    maxWorkers: 2,
  },
});
