import { defineConfig } from 'vitest/config';

// End-to-end tests: a real server + headless Chromium. Run with `npm run test:e2e` (which builds the web first).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
