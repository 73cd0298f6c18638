import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // End-to-end files mostly wait on child processes and the fake API: run more of them at once
    // than there are cores.
    maxWorkers: 4,
  },
});
