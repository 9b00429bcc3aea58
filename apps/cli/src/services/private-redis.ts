import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A redis-server this process started for itself: its own port, nothing kept on disk. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops it (SIGTERM, then SIGKILL after a few seconds). Idempotent. */
  stop(): Promise<void>;
}

/** How long redis-server gets to say it is ready. */
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 3_000;

/** The one line to show where Redis is needed and none is installed. */
export const INSTALL_REDIS_HINT = 'install redis-server (apt-get install redis-server, or brew install redis) or set REDIS_URL to a Redis you have';

/** The redis-server executable on PATH, or undefined. */
export function findRedisServer(path: string | undefined = process.env['PATH']): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port free on 127.0.0.1 now (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `binary` (a redis-server) on 127.0.0.1 at a free port, keeping nothing on disk
 * (`--save ''`, `--appendonly no`), and resolves once it accepts connections. It runs in its own
 * process group, so a Ctrl-C in the terminal reaches this process (which shuts down through its
 * queue first) and not the Redis under it; it is killed when this process exits, however it exits.
 */
export async function startPrivateRedis(binary: string, options: { port?: number } = {}): Promise<PrivateRedis> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--logfile', '', '--loglevel', 'notice'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilReady(child, port);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  // Its output is read no more once it is ready (it would fill the pipe otherwise).
  child.stdout?.resume();
  child.stderr?.resume();
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`redis-server did not start on port ${port} within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        done();
        resolve();
      }
    };
    const onExit = (code: number | null): void => fail(`redis-server exited (code ${code}) before it was ready`);
    const onError = (error: Error): void => fail(`redis-server could not start: ${error.message}`);
    function done(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    function fail(message: string): void {
      done();
      const last = output.trim().split('\n').at(-1);
      reject(new Error(last ? `${message}: ${last.trim()}` : message));
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
