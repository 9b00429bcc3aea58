import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { startProcess, type StartedProcess } from '@trainyard/experiments/testing';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Spawned as a user starts it, not imported: apps/cli is the composition root above this app.
const BIN = fileURLToPath(new URL('../../cli/bin/trainyard.js', import.meta.url));

export interface Up extends StartedProcess {
  url: string;
}

/** A real `trainyard up` (API + worker + embedded PGlite) on its own port, database folder and queue prefix. */
export async function startUp(extraEnv: Record<string, string> = {}): Promise<Up> {
  const env = {
    // The server takes a free port itself and says which: a port picked here and bound seconds later can be taken meanwhile.
    PORT: '0',
    TRAINYARD_DB_DIR: await makeTempDir('web-db-'),
    TRAINYARD_QUEUE_PREFIX: `test-web-${randomBytes(4).toString('hex')}`,
    TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('web-data-')),
    WORKER_CONCURRENCY: '2',
    WORKER_HEARTBEAT_MS: '500',
    ...extraEnv,
  };
  const up = await startProcess(process.execPath, [BIN, 'up'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, ready: /API and dashboard on http:\/\/\S+:(\d+)/ });
  return { ...up, url: `http://127.0.0.1:${up.ready[1]}` };
}
