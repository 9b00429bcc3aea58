import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    // A training thread's start compiles its TypeScript sources (tsx) in a fresh isolate and
    // loads TensorFlow.js: several seconds, more than vitest's 10 s hook default under CI's load.
    hookTimeout: 60_000,
    // The JSON report feeds the closing line of .ci/run.
    reporters: ['default', ['json', { outputFile: '../../test-results/worker.json' }]],
  },
});
