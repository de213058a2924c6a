import { defineConfig } from 'vitest/config';

/**
 * One database per worker, shared by its test files (isolate: false keeps the module
 * that holds it alive across files); tests keep apart by each using its own tenant.
 * With DATABASE_URL set the same suite runs against that PostgreSQL server.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
