/**
 * `node --import tsx apps/worker/src/main.ts`: one worker process. Reads the environment,
 * opens the database, checks Redis (one line and exit 1 when it is down), starts the worker,
 * and on SIGINT/SIGTERM closes once, within the shutdown deadline, then exits 0.
 */
import { assertRedisReachable, openDatabase, QueueError } from '@trainyard/experiments';
import { databaseConfigOf, readEnv, workerSettingsOf } from './env.js';
import { startWorker } from './start-worker.js';

const env = readEnv();
try {
  await assertRedisReachable(env.redisUrl);
} catch (error) {
  if (!(error instanceof QueueError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const database = await openDatabase(databaseConfigOf(env));
const worker = await startWorker({ ...workerSettingsOf(env), prisma: database.prisma });

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`worker ${worker.id}: ${signal}, stopping (deadline ${env.shutdownDeadlineMs} ms)`);
  // A hard stop in case closing itself hangs (e.g. the database never answers again).
  const hardStop = setTimeout(() => process.exit(1), env.shutdownDeadlineMs + 30_000);
  hardStop.unref();
  void worker
    .close()
    .then(() => database.close())
    .then(() => {
      console.log(`worker ${worker.id}: stopped`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(`worker ${worker.id}: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
