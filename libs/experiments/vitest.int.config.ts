import { defineConfig } from 'vitest/config';

// Integration tests: the machine's real PostgreSQL (and embedded PGlite), each test file in
// its own schema. Run by the `test-int` target.
export default defineConfig({
  test: {
    include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report feeds the closing line of .ci/run.
    reporters: ['default', ['json', { outputFile: '../../test-results/experiments-int.json' }]],
  },
});
