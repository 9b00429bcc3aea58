import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
    // A training test takes 8x its own time on a loaded CI machine (california: 7.6 s alone, over 60 s there).
    testTimeout: 180_000,
    // The JSON report feeds the closing line of .ci/run.
    reporters: ['default', ['json', { outputFile: '../../test-results/cli.json' }]],
  },
});
