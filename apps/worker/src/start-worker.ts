import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { createRedis, DEFAULT_SERVER_LIMITS, queueNames, RunEventBus, RunProducer, type Logger, type PrismaClient, type TrainRunPayload } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';
import { DatasetCache } from './datasets/dataset-cache.js';
import { trainPackWithDataset, trainWithDataset } from './datasets/with-dataset.js';
import { failureStreak } from './failure-streak.js';
import { InFlightRuns } from './in-flight-runs.js';
import { RunReaper } from './run-reaper.js';
import { TrainingPool } from './thread/training-pool.js';
import { trainRunProcessor } from './train-run.processor.js';
import { isStoreUnavailable, workerStore } from './worker-store.js';

export interface StartWorkerOptions {
  /** From openDatabase(): PostgreSQL or the embedded PGlite. The caller disconnects it after close(). */
  prisma: PrismaClient;
  redisUrl: string;
  /** BullMQ key prefix; tests and side-by-side installs use their own. */
  prefix?: string;
  /** Runs trained at once, one warm thread each. */
  concurrency: number;
  dataHome: string;
  /** Bytes of registered datasets kept under dataHome/datasets (TRAINYARD_DATA_CACHE_MB); default 2 GiB. */
  dataCacheBytes?: number;
  backend: BackendChoice;
  heartbeatMs?: number;
  /** A RUNNING run whose heartbeat is older than this, and whose job Redis lost, is queued again. */
  staleAfterMs?: number;
  /** On close, how long the current runs get to finish before they are handed back to the queue. */
  shutdownDeadlineMs?: number;
  /** BullMQ lock: a job whose worker stops renewing it for this long is redelivered. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  reaperIntervalMs?: number;
  /** How long a write waits for an unreachable database before the attempt fails (and is retried). */
  storeMaxWaitMs?: number;
  workerName?: string;
  /** Log the process' and threads' memory after every this many finished jobs (0: never). */
  memoryLogEvery?: number;
  /** V8 heap of each training thread, MiB (a run that needs more fails with OUT_OF_MEMORY). Default: Node's. */
  threadMaxHeapMb?: number;
  /** Most runs of one sweep trained together as a pack (WORKER_PACK_SIZE); 1: every run alone. Default DEFAULT_PACK_SIZE. */
  packSize?: number;
  /** The server's wall-clock limit of one run (TRAINYARD_MAX_RUN_SECONDS); a definition's timeLimitSeconds can only be lower. Default 6 hours. */
  maxRunSeconds?: number;
  /**
   * Where the worker logs (createLogger from the environment's LOG_LEVEL and LOG_PRETTY). Every
   * line carries workerId; a job's lines add runId, jobId, jobAttempt and the run's attempt.
   */
  logger: Logger;
}

export interface RunningWorker {
  /** The name this worker records on the runs it claims and shows in the queue's worker list. */
  id: string;
  /** The TensorFlow.js backend its threads loaded. */
  backend: string;
  /** Stops taking jobs, lets current runs finish within the deadline, hands the rest back. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_DATA_CACHE_BYTES = 2048 * 1024 * 1024;

/**
 * Runs of a sweep trained as one pack by default: on the wasm backend 16 California trials
 * take a few times the time of one (bench/packed.ts prints the figures per pack size).
 */
export const DEFAULT_PACK_SIZE = 16;

/** Claims of a run before it is failed for good (retries, crash redeliveries, reaper re-enqueues, hand-backs). */
const MAX_CLAIMS = 5;
/**
 * Attempts of a run that ended with their worker process or training thread dying, after
 * which the run is failed: one crash may be bad luck (a machine restarted), a second one
 * says the run itself takes workers down (out of memory).
 */
const MAX_CRASHES = 2;

/**
 * Starts a worker: warm training threads, a BullMQ worker on the run queue, cancel
 * messages, and the reaper. `trainyard worker`, `trainyard up` and this app's main call it.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const id = options.workerName ?? `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
  const log = options.logger.child({ workerId: id });
  const names = queueNames(options.prefix);
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const lockDurationMs = options.lockDurationMs ?? 30_000;
  const store = workerStore(options.prisma);
  const datasets = new DatasetCache({ dataHome: options.dataHome, maxBytes: options.dataCacheBytes ?? DEFAULT_DATA_CACHE_BYTES, source: store.blobs });

  const { pool, backend } = await TrainingPool.start({
    size: options.concurrency,
    dataHome: options.dataHome,
    backend: options.backend,
    ...(options.threadMaxHeapMb === undefined ? {} : { maxHeapMb: options.threadMaxHeapMb }),
    logger: log,
  });
  const bus = new RunEventBus({ redisUrl: options.redisUrl, prefix: names.prefix, logger: log });
  const producer = new RunProducer({ redisUrl: options.redisUrl, prefix: names.prefix, logger: log });
  const lockRedis = createRedis(options.redisUrl, 'producer');
  const connection = createRedis(options.redisUrl, 'worker');
  const inFlight = new InFlightRuns();
  const stopListening = await bus.onCancel((runId) => inFlight.stop(runId, 'cancel'));
  // Live events are for views only (the database has the record): a Redis away loses some of
  // them, and the log says so once per outage, with the run whose event was the first lost.
  const publishing = failureStreak(log, 'publishing live events', 'live views miss updates until Redis answers again; the runs and their records go on');

  const processor = trainRunProcessor({
    ledger: store.ledger,
    train: (definition, signal, runLog, how) => trainWithDataset(datasets, definition, runLog, () => pool.run(definition, signal, runLog, how)),
    publish: (event) =>
      void bus.publish(event).then(
        () => publishing.ok(),
        (error: unknown) => publishing.failed(error, { runId: event.runId, attempt: event.attempt, event: event.type }),
      ),
    inFlight,
    heartbeatMs,
    storeRetry: { maxWaitMs: options.storeMaxWaitMs ?? 120_000, initialDelayMs: 100, maxDelayMs: 2_000, isTransient: isStoreUnavailable },
    who: { workerId: id, host: hostname() },
    maxClaims: MAX_CLAIMS,
    maxCrashes: MAX_CRASHES,
    pack: {
      maxSize: options.packSize ?? DEFAULT_PACK_SIZE,
      findSiblings: (runId, limit) => store.runs.findQueuedSweepSiblings(runId, limit),
      takeJob: (runId) => producer.remove(runId),
      requeue: (runIds) => producer.requeue(runIds),
      train: (members) => trainPackWithDataset(datasets, members, () => pool.runPack(members)),
    },
    maxRunSeconds: options.maxRunSeconds ?? DEFAULT_SERVER_LIMITS.maxRunSeconds,
    log,
  });
  const worker = new Worker<TrainRunPayload>(names.queue, processor, {
    connection,
    prefix: names.prefix,
    concurrency: options.concurrency,
    name: id,
    lockDuration: lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? lockDurationMs,
    // A redelivery after a crash is normal; the run's own claim count (MAX_CLAIMS) bounds the rest.
    maxStalledCount: 2,
  });
  // A Redis restart makes BullMQ report the same connection error many times a second.
  const logError = throttled(10_000);
  worker.on('error', (error) => logError(() => log.warn({ err: error }, 'queue connection error (BullMQ retries; lines like this are kept to one per 10 s)')));
  // The processor logged the cause already (run-attempt, train-run.processor); this is BullMQ's side of it.
  worker.on('failed', (job, error) => {
    if (job) log.debug({ runId: job.id, jobId: job.id, jobAttempt: job.attemptsMade, err: error }, 'job attempt failed in BullMQ');
  });
  // Found by this worker's stall check: the job's worker stopped renewing its lock (killed,
  // crashed, or its event loop blocked past WORKER_LOCK_DURATION_MS); BullMQ redelivers it.
  worker.on('stalled', (jobId) => {
    log.warn({ runId: jobId, jobId }, 'job stalled: its worker stopped renewing the lock (killed, crashed or blocked); BullMQ puts it back for another worker');
  });
  let finished = 0;
  const memoryLogEvery = options.memoryLogEvery ?? 0;
  worker.on('completed', () => {
    finished++;
    if (memoryLogEvery > 0 && finished % memoryLogEvery === 0) log.info(memoryLine(finished, pool));
  });

  const reaper = new RunReaper({
    runs: store.runs,
    queue: producer,
    redis: lockRedis,
    lockKey: names.reaperLock,
    owner: id,
    intervalMs: options.reaperIntervalMs ?? 30_000,
    staleAfterMs,
    log,
  });
  reaper.start();
  log.info({ concurrency: options.concurrency, backend, queue: `${names.prefix}:${names.queue}` }, `worker ${id} ready: ${options.concurrency} thread(s) on ${backend}, queue ${names.prefix}:${names.queue}`);

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await reaper.stop();
    const deadlineMs = options.shutdownDeadlineMs ?? 30_000;
    // Past the deadline, running runs are stopped and handed back (see runAttempt: 'shutdown').
    const deadline = setTimeout(() => {
      const stopped = inFlight.stopAll('shutdown');
      if (stopped > 0) log.info({ runs: stopped, deadlineMs }, `worker ${id}: shutdown deadline passed, handing ${stopped} run(s) back to the queue`);
    }, deadlineMs);
    log.info({ deadlineMs }, 'worker closing: no new jobs; running runs get until the deadline');
    try {
      await worker.close();
    } finally {
      clearTimeout(deadline);
      // Harmless: the bus and its subscriber connection are closed on the next line anyway.
      await stopListening().catch((error: unknown) => log.debug({ err: error }, 'unsubscribing from cancels at close failed'));
      await Promise.all([bus.close(), producer.close(), pool.close()]);
      lockRedis.disconnect();
      connection.disconnect();
      log.info('worker closed');
    }
  };
  return {
    id,
    backend,
    close: () => (closing ??= close()),
  };
}

function memoryLine(jobs: number, pool: TrainingPool): string {
  const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  (globalThis as { gc?: () => void }).gc?.();
  const main = process.memoryUsage();
  const threads = pool.threadMemory();
  const threadHeap = threads.map((t) => mib(t.heapUsed)).join('/');
  const tensors = threads.map((t) => t.numTensors).join('/');
  return `memory after ${jobs} jobs: rss ${mib(main.rss)} MiB, main heap ${mib(main.heapUsed)} MiB, thread heap ${threadHeap} MiB, tensors ${tensors}`;
}

function throttled(intervalMs: number): (write: () => void) => void {
  let last = 0;
  return (write) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    write();
  };
}
