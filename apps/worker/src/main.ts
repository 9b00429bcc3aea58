/**
 * `node --import tsx apps/worker/src/main.ts`: one worker process. Reads the environment,
 * opens the database, checks Redis (one line and exit 1 when it is down), starts the worker,
 * and on SIGINT/SIGTERM closes once, within the shutdown deadline, then exits 0.
 * Logs go to stdout (JSON lines, or human ones with LOG_PRETTY; see createLogger).
 */
import { assertRedisReachable, createLogger, openDatabase, QueueError } from '@trainyard/experiments';
import { readEnv, workerSettingsOf } from './env.js';
import { startWorker } from './start-worker.js';

const env = readEnv();
try {
  await assertRedisReachable(env.redisUrl);
} catch (error) {
  if (!(error instanceof QueueError)) throw error;
  // What a person starting the worker reads first: one plain line, not a log entry.
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(env.log, process.stdout);
const database = await openDatabase(env.database);
const worker = await startWorker({ ...workerSettingsOf(env), prisma: database.prisma, logger });
const log = logger.child({ workerId: worker.id });

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  log.info({ signal, deadlineMs: env.shutdownDeadlineMs }, `worker ${worker.id}: ${signal}, stopping (deadline ${env.shutdownDeadlineMs} ms)`);
  // A hard stop in case closing itself hangs (e.g. the database never answers again).
  const hardStop = setTimeout(() => {
    log.fatal('could not stop within the deadline and 30 s more: exiting');
    process.exit(1);
  }, env.shutdownDeadlineMs + 30_000);
  hardStop.unref();
  void worker
    .close()
    .then(() => database.close())
    .then(() => {
      log.info(`worker ${worker.id}: stopped`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      log.error({ err: error }, `worker ${worker.id}: could not stop cleanly`);
      process.exit(1);
    });
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
