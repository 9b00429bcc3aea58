import { isLoopback, serverSettingsOf, startServer, type RunningServer } from '@trainyard/dashboard';
import { assertRedisReachable, createLogger, openDatabase, redactRedisUrl, type Database, type Logger } from '@trainyard/experiments';
import { startWorker, workerSettingsOf, type RunningWorker } from '@trainyard/worker';
import { EXIT, type CliIo } from '../cli-io.js';
import { readServeEnv, type ServeMode } from '../env.js';

export type { ServeMode };

export interface Services {
  db: Database;
  server?: RunningServer;
  worker?: RunningWorker;
  /** Where the services log (stderr unless the caller gave its own). */
  logger: Logger;
  stop(): Promise<void>;
}

export interface ServeOptions {
  concurrency?: number;
  /** Instead of one from LOG_LEVEL and LOG_PRETTY on stderr (e.g. a quieter one for `demo`). */
  logger?: Logger;
}

/**
 * Starts what a mode needs in this process: `up` = API + worker + database (the embedded
 * PGlite allows one process, so the API and the worker share it), `worker` and
 * `dashboard` one each (team mode: any number of workers on any machines). They log to
 * stderr through one logger (JSON lines, or human ones with LOG_PRETTY or on a terminal).
 */
export async function startServices(mode: ServeMode, options: ServeOptions, io: CliIo): Promise<Services> {
  const env = await readServeEnv(mode);
  await assertRedisReachable(env.redisUrl);
  // Made after the checks above: a command that cannot start says so in one plain line (serveCommand).
  const logger = options.logger ?? createLogger(env.log, io.stderr);
  const db = await openDatabase(env.database);
  let server: RunningServer | undefined;
  let worker: RunningWorker | undefined;
  try {
    if (env.api) {
      server = await startServer({ ...serverSettingsOf(env.api), prisma: db.prisma, databaseKind: db.kind, logger });
    }
    if (env.worker) {
      worker = await startWorker({
        ...workerSettingsOf(env.worker),
        prisma: db.prisma,
        concurrency: options.concurrency ?? env.worker.concurrency,
        logger,
      });
    }
  } catch (error) {
    await server?.close();
    await db.close();
    throw error;
  }
  const schema = env.database.schema ? `, schema ${env.database.schema}` : '';
  const where = db.kind === 'pglite' ? `embedded PGlite in ${env.database.dataDir}${schema}` : `PostgreSQL (DATABASE_URL)${schema}`;
  const queue = redactRedisUrl(env.redisUrl);
  logger.info({ mode, database: db.kind, queue, prefix: env.prefix }, `trainyard ${mode}: database ${where}, queue ${queue}`);
  if (server && env.api) {
    const hint = isLoopback(env.api.HOST) ? ' (this machine only; set HOST=0.0.0.0 and TRAINYARD_API_TOKEN to share it)' : '';
    logger.info({ url: server.url }, `API and dashboard on ${server.url}${hint}`);
  }
  if (worker && env.worker) {
    const concurrency = options.concurrency ?? env.worker.concurrency;
    logger.info({ workerId: worker.id, backend: worker.backend, concurrency }, `worker ${worker.id} on the ${worker.backend} backend, concurrency ${concurrency}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    db,
    ...(server ? { server } : {}),
    ...(worker ? { worker } : {}),
    logger,
    stop: () =>
      (stopping ??= (async () => {
        await worker?.close();
        await server?.close();
        await db.close();
      })()),
  };
}

/** `trainyard up | worker | dashboard`: runs until SIGINT or SIGTERM, then shuts down once, cleanly. */
export async function serveCommand(mode: ServeMode, options: { concurrency?: number }, io: CliIo): Promise<number> {
  let services: Services;
  try {
    services = await startServices(mode, options, io);
  } catch (error) {
    io.stderr.write(`trainyard ${mode}: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  services.logger.info({ mode, signal }, `trainyard ${mode}: shutting down`);
  await services.stop();
  services.logger.info({ mode }, `trainyard ${mode}: stopped`);
  return EXIT.ok;
}
