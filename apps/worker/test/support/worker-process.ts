import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitFor } from './wait-for.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BUILT_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/**
 * The sources, compiled on load, so a test runs what is being edited; dist/ when CI asks for it
 * (TRAINYARD_TEST_BUILT=1, set by .ci/run right after `npm ci` built dist/ from these sources):
 * no worker it starts compiles them again.
 */
const ENTRY = process.env['TRAINYARD_TEST_BUILT'] === '1' && existsSync(BUILT_MAIN) ? [BUILT_MAIN] : ['--conditions=development', '--import', TSX_LOADER, MAIN];

export interface WorkerProcessOptions {
  name: string;
  redisUrl: string;
  prefix: string;
  databaseUrl: string;
  schema: string;
  dataHome: string;
  concurrency?: number;
  shutdownDeadlineMs?: number;
  extraEnv?: Record<string, string>;
}

/**
 * A real worker process (apps/worker/src/main.ts through tsx), with short heartbeats,
 * locks and reaper intervals so that crashes are noticed within seconds, not minutes.
 */
export class WorkerProcess {
  output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(readonly options: WorkerProcessOptions) {
    this.child = spawn(process.execPath, ENTRY, {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        REDIS_URL: options.redisUrl,
        DATABASE_URL: options.databaseUrl,
        TRAINYARD_DB_SCHEMA: options.schema,
        TRAINYARD_QUEUE_PREFIX: options.prefix,
        TRAINYARD_DATA_HOME: options.dataHome,
        TRAINYARD_BACKEND: 'cpu',
        WORKER_NAME: options.name,
        WORKER_CONCURRENCY: String(options.concurrency ?? 1),
        WORKER_SHUTDOWN_DEADLINE_MS: String(options.shutdownDeadlineMs ?? 30_000),
        // Short enough that a killed worker's run moves on within seconds, long enough that a
        // live worker on a loaded CI machine (a second without the CPU) keeps its lock and heartbeat.
        WORKER_HEARTBEAT_MS: '300',
        WORKER_STALE_AFTER_MS: '6000',
        WORKER_LOCK_DURATION_MS: '8000',
        WORKER_STALLED_INTERVAL_MS: '2000',
        WORKER_REAPER_INTERVAL_MS: '1000',
        ...options.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer): void => {
      this.output += chunk.toString();
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get name(): string {
    return this.options.name;
  }

  /** Resolves once the worker says it is ready (threads warm, connected to the queue). */
  ready(): Promise<boolean> {
    return waitFor(
      () => {
        if (this.child.exitCode !== null) throw new Error(`worker ${this.name} exited early:\n${this.output}`);
        return this.output.includes(' ready: ');
      },
      { what: `worker ${this.name} to start`, timeoutMs: 60_000 },
    );
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The exit code (null when killed by a signal). */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** Stops it if it still runs; for afterEach. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
