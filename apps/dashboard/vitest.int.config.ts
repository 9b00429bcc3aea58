import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
    // The browser tests drive the built web UI.
    globalSetup: ['test/build-web.global.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests share the machine's PostgreSQL and Redis; one file at a time keeps them predictable.
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: '../../test-results/dashboard-int.json' }]],
  },
});
