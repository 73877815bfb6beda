import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The fast-check properties run hundreds of flags and contexts each: seconds on a quiet machine,
    // more than vitest's default 5 s on a busy shared one. A limit, not a speed assertion.
    testTimeout: 60_000,
  },
});
