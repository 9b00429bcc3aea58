import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv, serverLimitsEnv, serverLimitsOf, type DatabaseConfig, type ServerLimits } from '@trainyard/experiments';
import { BACKEND_CHOICES, type BackendChoice } from '@trainyard/nn';
import { z } from 'zod';
import type { StartWorkerOptions } from './start-worker.js';

const int = (min: number) => z.coerce.number().int().min(min);

/** The only place the worker reads process.env: parsed once, at start. */
const envSchema = z.object({
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** PostgreSQL (team mode); unset = embedded PGlite under TRAINYARD_DB_DIR. */
  DATABASE_URL: z.string().min(1).optional(),
  TRAINYARD_DB_DIR: z.string().min(1).default('.trainyard/db'),
  /** PostgreSQL schema to use instead of the URL's (tests give each worker process theirs). */
  TRAINYARD_DB_SCHEMA: z.string().min(1).optional(),
  /** Where downloaded datasets are cached, like scikit-learn's data_home. */
  TRAINYARD_DATA_HOME: z.string().min(1).optional(),
  TRAINYARD_BACKEND: z.enum(BACKEND_CHOICES).default('auto'),
  /** BullMQ key prefix; tests and side-by-side installs use their own. */
  TRAINYARD_QUEUE_PREFIX: z.string().min(1).optional(),
  /** Runs trained at once by this process, one warm thread each. */
  WORKER_CONCURRENCY: int(1).max(64).default(1),
  WORKER_NAME: z.string().min(1).optional(),
  /** On SIGTERM the current runs get this long to finish before they are handed back to the queue. */
  WORKER_SHUTDOWN_DEADLINE_MS: int(0).default(30_000),
  WORKER_HEARTBEAT_MS: int(100).default(5_000),
  /** A RUNNING run whose heartbeat is older than this, and whose job Redis lost, is queued again. */
  WORKER_STALE_AFTER_MS: int(1_000).default(60_000),
  /** BullMQ: a job whose lock is not renewed for this long is stalled (its worker died) and redelivered. */
  WORKER_LOCK_DURATION_MS: int(1_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: int(500).default(30_000),
  /** How often this worker reconciles the queue with the database (the reaper). */
  WORKER_REAPER_INTERVAL_MS: int(500).default(30_000),
  /** Log memory after every this many finished jobs (0: never); bench/worker-memory.ts reads it. */
  WORKER_MEMORY_LOG_EVERY: int(0).default(0),
  /**
   * V8 heap of each training thread, MiB: a run that needs more fails (OUT_OF_MEMORY) and
   * the worker goes on. The heap holds a run's rows as JavaScript arrays, their preprocessed
   * copies and its results; tensors are outside it (the wasm backend's memory, up to 4 GiB a
   * thread, or the cpu backend's ArrayBuffers). 2 GiB is four times what the largest
   * built-in dataset needs (sum at 1,000,000 rows trains in 512 MiB, not in 256; measured),
   * and on a 24 GiB, 2-core machine (two threads at most are useful) two threads at 2 GiB
   * of heap and 4 GiB of wasm memory each leave over 10 GiB for the main thread, PostgreSQL
   * and Redis.
   */
  WORKER_THREAD_MAX_HEAP_MB: int(64).default(2048),
  /** The server's limits; this worker applies TRAINYARD_MAX_RUN_SECONDS to every run. */
  ...serverLimitsEnv,
});

export interface WorkerEnv {
  redisUrl: string;
  databaseUrl: string | undefined;
  dbDir: string;
  dbSchema: string | undefined;
  dataHome: string;
  backend: BackendChoice;
  prefix: string | undefined;
  concurrency: number;
  workerName: string | undefined;
  shutdownDeadlineMs: number;
  heartbeatMs: number;
  staleAfterMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  reaperIntervalMs: number;
  memoryLogEvery: number;
  threadMaxHeapMb: number;
  limits: ServerLimits;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const env = parseEnv(envSchema, source);
  return {
    redisUrl: env.REDIS_URL,
    databaseUrl: env.DATABASE_URL,
    dbDir: resolve(env.TRAINYARD_DB_DIR),
    dbSchema: env.TRAINYARD_DB_SCHEMA,
    dataHome: env.TRAINYARD_DATA_HOME ? resolve(env.TRAINYARD_DATA_HOME) : join(homedir(), '.trainyard', 'data'),
    backend: env.TRAINYARD_BACKEND,
    prefix: env.TRAINYARD_QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    workerName: env.WORKER_NAME,
    shutdownDeadlineMs: env.WORKER_SHUTDOWN_DEADLINE_MS,
    heartbeatMs: env.WORKER_HEARTBEAT_MS,
    staleAfterMs: env.WORKER_STALE_AFTER_MS,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    reaperIntervalMs: env.WORKER_REAPER_INTERVAL_MS,
    memoryLogEvery: env.WORKER_MEMORY_LOG_EVERY,
    threadMaxHeapMb: env.WORKER_THREAD_MAX_HEAP_MB,
    limits: serverLimitsOf(env),
  };
}

/** The database a worker process opens (TRAINYARD_DB_SCHEMA applies to either kind). */
export function databaseConfigOf(env: WorkerEnv): DatabaseConfig {
  return {
    ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : { dataDir: env.dbDir }),
    ...(env.dbSchema ? { schema: env.dbSchema } : {}),
  };
}

/** startWorker's settings from the environment: the caller adds its database client (and a log). */
export function workerSettingsOf(env: WorkerEnv): Omit<StartWorkerOptions, 'prisma'> {
  return {
    redisUrl: env.redisUrl,
    ...(env.prefix ? { prefix: env.prefix } : {}),
    concurrency: env.concurrency,
    dataHome: env.dataHome,
    backend: env.backend,
    heartbeatMs: env.heartbeatMs,
    staleAfterMs: env.staleAfterMs,
    shutdownDeadlineMs: env.shutdownDeadlineMs,
    lockDurationMs: env.lockDurationMs,
    stalledIntervalMs: env.stalledIntervalMs,
    reaperIntervalMs: env.reaperIntervalMs,
    memoryLogEvery: env.memoryLogEvery,
    threadMaxHeapMb: env.threadMaxHeapMb,
    maxRunSeconds: env.limits.maxRunSeconds,
    ...(env.workerName ? { workerName: env.workerName } : {}),
  };
}
