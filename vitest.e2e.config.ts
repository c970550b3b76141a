import { defineConfig } from 'vitest/config';

// End-to-end tests: a real server + headless Chromium. Run with `npm run test:e2e` (which builds the web first).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A page in a loaded machine's Chromium can take seconds to draw what a test waits for: expect.poll's 1 s made the
    // tests fail on a busy machine, not on a wrong page.
    expect: { poll: { timeout: 15_000 } },
    pool: 'forks',
    reporters: ['default'],
  },
});
