import { resolve } from 'node:path';
import { databaseConfigOf, dataCacheBytesOf, dataHomeEnv, dataHomeOf, logConfigOf, parseEnv, serverLimitsOf, serviceEnv } from '@trainyard/experiments';
import { BACKEND_CHOICES } from '@trainyard/nn';
import { z } from 'zod';
import { DEFAULT_PACK_SIZE, type StartWorkerOptions } from './start-worker.js';

const int = (min: number) => z.coerce.number().int().min(min);

/**
 * The only place the worker reads process.env: parsed once, at start. The variables it shares
 * with the API and the CLI (Redis, queue prefix, database, limits, logs, data home) come from
 * libs/experiments' shared-env.ts; the WORKER_* ones are its own.
 */
const envSchema = z
  .object({
    ...serviceEnv,
    ...dataHomeEnv,
    TRAINYARD_BACKEND: z.enum(BACKEND_CHOICES).default('auto'),
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
    /**
     * Most runs of one sweep a thread trains together as one pack (same layers, data and batch
     * size; see README "Packed sweeps"); 1 trains every run alone.
     */
    WORKER_PACK_SIZE: int(1).max(256).default(DEFAULT_PACK_SIZE),
  })
  .transform((env) => ({
    redisUrl: env.REDIS_URL,
    prefix: env.TRAINYARD_QUEUE_PREFIX,
    database: databaseConfigOf(env),
    databaseUrl: env.DATABASE_URL,
    /** PGlite's directory, absolute (used when DATABASE_URL is unset). */
    dbDir: resolve(env.TRAINYARD_DB_DIR),
    dataHome: dataHomeOf(env),
    dataCacheBytes: dataCacheBytesOf(env),
    backend: env.TRAINYARD_BACKEND,
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
    packSize: env.WORKER_PACK_SIZE,
    /** The server's limits; this worker applies maxRunSeconds to every run. */
    limits: serverLimitsOf(env),
    log: logConfigOf(env),
  }));

export type WorkerEnv = z.output<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return parseEnv(envSchema, source);
}

/** startWorker's settings from the environment: the caller adds its database client and its logger. */
export function workerSettingsOf(env: WorkerEnv): Omit<StartWorkerOptions, 'prisma' | 'logger'> {
  return {
    redisUrl: env.redisUrl,
    prefix: env.prefix,
    concurrency: env.concurrency,
    dataHome: env.dataHome,
    dataCacheBytes: env.dataCacheBytes,
    backend: env.backend,
    heartbeatMs: env.heartbeatMs,
    staleAfterMs: env.staleAfterMs,
    shutdownDeadlineMs: env.shutdownDeadlineMs,
    lockDurationMs: env.lockDurationMs,
    stalledIntervalMs: env.stalledIntervalMs,
    reaperIntervalMs: env.reaperIntervalMs,
    memoryLogEvery: env.memoryLogEvery,
    threadMaxHeapMb: env.threadMaxHeapMb,
    packSize: env.packSize,
    maxRunSeconds: env.limits.maxRunSeconds,
    ...(env.workerName ? { workerName: env.workerName } : {}),
  };
}
