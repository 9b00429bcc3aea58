import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'web/src/**/*.spec.ts'],
    exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
    reporters: ['default', ['json', { outputFile: '../../test-results/dashboard.json' }]],
  },
});
