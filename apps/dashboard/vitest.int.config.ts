import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
    // The browser tests drive the built web UI.
    globalSetup: ['test/build-web.global.ts'],
    // Generous: a test's own waits (a run to train, up to 120 s) should fail with their message, not this one.
    testTimeout: 300_000,
    hookTimeout: 180_000,
    // A page re-renders after a fetch; on a loaded machine that takes more than expect.poll's default 1 s.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    // Two files at a time: each owns its database (a PostgreSQL schema or a PGlite folder), queue
    // prefix, port and Chromium, so they do not meet; one at a time took this suite past CI's
    // budget once it had 25 files (most of a browser test is waiting on a run or a page).
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: '../../test-results/dashboard-int.json' }]],
  },
});
