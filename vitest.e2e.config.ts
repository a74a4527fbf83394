import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the real server in-process and Debian's Chromium driven by playwright-core.
 * They need the built staff app (`npm run build:web`) and no PostgreSQL, hence no globalSetup.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time: the suite is a single user journey and the machines have 2 cores.
    fileParallelism: false,
    // One retry absorbs a slow machine's timing hiccup; a real defect fails twice.
    retry: 1,
  },
});
