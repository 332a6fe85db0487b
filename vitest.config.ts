import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/ carry their own tests: each example must keep running.
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    // expect.poll waits for a page or a log to reach a state; 1 s (the default) is too short
    // on a busy 2-core machine. A wait, not a bound: fast machines return as soon as it holds.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here: more workers only make Argon2id and Chromium fight for them.
    maxWorkers: 2,
  },
});
