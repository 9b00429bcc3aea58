import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
    exclude: ['**/node_modules/**'],
    // Real worker processes, a private Redis and a private PostgreSQL: minutes, not seconds.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The files start and stop services and spawn workers; on 2 cores they run one at a time.
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: '../../test-results/worker-int.json' }]],
  },
});
