import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';

// Dependency rules of the architecture brief: apps -> libs; experiments -> contract, nn, data;
// contract -> data (pure subpaths); nn and data import nothing of ours and never the
// database, the queue or the apps.
const infrastructure = ['@prisma/*', 'prisma', 'bullmq', 'ioredis', '@electric-sql/*', 'pglite-prisma-adapter'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.trainyard/**', '**/generated/**', '**/test-artifacts/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // apps/cli is the composition root: `up` starts the dashboard server and the worker
            // through the start functions those two apps export. No other app imports an app.
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['type:lib', 'scope:worker', 'scope:dashboard'] },
            { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['type:lib'] },
            // bench/dashboard-browser starts the API server in-process over its own seeded schema, as `up` does.
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'scope:dashboard'] },
            {
              sourceTag: 'scope:data',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@tensorflow/*', ...infrastructure],
            },
            { sourceTag: 'scope:nn', onlyDependOnLibsWithTags: [], bannedExternalImports: infrastructure },
            // The contract is browser-safe: zod and the pure parts of data, nothing of Node, tfjs or infrastructure.
            {
              sourceTag: 'scope:contract',
              onlyDependOnLibsWithTags: ['scope:data'],
              bannedExternalImports: ['@tensorflow/*', ...infrastructure],
            },
            { sourceTag: 'scope:experiments', onlyDependOnLibsWithTags: ['scope:contract', 'scope:data', 'scope:nn'] },
          ],
        },
      ],
    },
  },
  {
    // The contract runs in browsers too (the web UI bundles it): no Node built-ins.
    files: ['libs/contract/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: '@trainyard/contract is browser-safe: no Node built-ins' }] }],
    },
  },
  {
    // The dashboard's web UI (React).
    files: ['apps/dashboard/web/**/*.tsx', 'apps/dashboard/web/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
