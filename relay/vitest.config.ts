import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Several specs start the built relay as a child process (serve, descriptor limits) or a database:
    // a second or two on a quiet machine, more than vitest's default 5 s on a busy shared one.
    // A limit against hangs, not a speed assertion.
    testTimeout: 30_000,
  },
});
