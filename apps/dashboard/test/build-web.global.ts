import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * vitest globalSetup of the integration tests: the browser tests drive the built UI, so build it
 * first; in CI (TRAINYARD_TEST_BUILT=1) npm ci has just built it from the same sources.
 */
export default async function buildWeb(): Promise<void> {
  if (process.env.TRAINYARD_TEST_BUILT === '1' && existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)))) return;
  // vitest sets NODE_ENV=test, and Vite would then bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
