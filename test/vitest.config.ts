import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests start real relays (and browsers): long timeouts, and one file at a time so
 * eight of us on two cores do not starve each other's processes.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
