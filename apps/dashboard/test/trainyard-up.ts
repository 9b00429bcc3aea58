import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Spawned as a user starts it, not imported: apps/cli is the composition root above this app.
const BIN = fileURLToPath(new URL('../../cli/bin/trainyard.js', import.meta.url));

export interface Up {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
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
  const child = spawn(process.execPath, [BIN, 'up'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // A test run that dies or times out must not leave the server behind.
  const orphan = (): void => void child.kill('SIGKILL');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  let port: string | undefined;
  while (!(port = /API and dashboard on http:\/\/\S+:(\d+)/.exec(output)?.[1])) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`trainyard up did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // A clean shutdown takes a moment; one that hangs must not outlive the tests.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { url: `http://127.0.0.1:${port}`, child, log: () => output, stop };
}
