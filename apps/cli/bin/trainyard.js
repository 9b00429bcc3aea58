#!/usr/bin/env node
// Runs the JavaScript that `npm install` builds into dist/ (scripts/build.mjs): no TypeScript is
// compiled at start, so `trainyard --help` answers at once.
//
// It runs the TypeScript sources instead, compiled on load by tsx, when dist/ is missing (an
// install with --ignore-scripts), when started with the `development` condition
// (`node --conditions=development bin/trainyard.js`), or under vitest (VITEST is set for a test
// and inherited by the processes it spawns), so that the CLI's own tests run what is being
// edited, not the last build. The workspace packages then resolve to their sources too: a
// resolve hook adds the `development` condition of their package.json `exports`.
// TRAINYARD_TEST_BUILT=1 makes tests run dist/ after all: CI sets it, right after `npm ci`
// built dist/ from the same sources, to spare every process it starts compiling them again.
import { existsSync } from 'node:fs';

const BUILT = new URL('../dist/main.js', import.meta.url);
const DEVELOPMENT_FLAG = /(?:^|\s)(?:--conditions|-C)(?:=|\s+)development(?:\s|$)/;

const fromSources =
  (process.env.VITEST !== undefined && process.env.TRAINYARD_TEST_BUILT !== '1') ||
  DEVELOPMENT_FLAG.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`) ||
  !existsSync(BUILT);

if (fromSources) {
  const [{ register: registerTsx }, { register: registerHooks }] = await Promise.all([import('tsx/esm/api'), import('node:module')]);
  registerTsx();
  registerHooks(
    `data:text/javascript,${encodeURIComponent(
      'export const resolve = (specifier, context, next) => next(specifier, { ...context, conditions: [...context.conditions, "development"] });',
    )}`,
  );
  await import('../src/main.ts');
} else {
  await import(BUILT.href);
}
