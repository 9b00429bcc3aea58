import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    // The JSON report feeds the closing line of .ci/run.
    reporters: ['default', ['json', { outputFile: '../../test-results/contract.json' }]],
  },
});
