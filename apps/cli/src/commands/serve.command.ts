import { isLoopback, serverSettingsOf, startServer, type RunningServer } from '@trainyard/dashboard';
import { createLogger, openDatabase, redactRedisUrl, type Database, type Logger } from '@trainyard/experiments';
import { startWorker, workerSettingsOf, type RunningWorker } from '@trainyard/worker';
import { EXIT, type CliIo } from '../cli-io.js';
import type { ServeMode } from '../env.js';
import type { PrivateRedis } from '../services/private-redis.js';
import { queueFor } from '../services/queue-for.js';
import { closeWithin, exitIfStillUp, onInterrupt } from '../services/shutdown.js';
import { assertCanListen, clientHint, describeStartError } from '../services/start-problems.js';

export type { ServeMode };

export interface Services {
  db: Database;
  server?: RunningServer;
  worker?: RunningWorker;
  /** The redis-server this process started for itself (REDIS_URL unset, none running), stopped by stop(). */
  privateRedis?: PrivateRedis;
  /** Where the services log (stderr unless the caller gave its own). */
  logger: Logger;
  /** The API needs TRAINYARD_API_TOKEN. */
  tokenRequired: boolean;
  stop(): Promise<void>;
}

export interface ServeOptions {
  concurrency?: number;
  /** Instead of one from LOG_LEVEL and LOG_PRETTY on stderr (e.g. a quieter one for `demo`). */
  logger?: Logger;
  /**
   * With REDIS_URL unset and no Redis on its default address, start a private redis-server
   * (up, demo: one machine, one process); a worker or a dashboard shares the queue of others.
   */
  privateRedis?: boolean;
  /** How long running runs get to finish at stop before they go back to the queue (default WORKER_SHUTDOWN_DEADLINE_MS). */
  shutdownDeadlineMs?: number;
  /** The environment (process.env). */
  source?: NodeJS.ProcessEnv;
}

/** How long stop() waits for the API to close: an open live stream (a dashboard tab) holds it. */
const SERVER_CLOSE_MS = 2_000;

/**
 * Starts what a mode needs in this process: `up` = API + worker + database (the embedded
 * PGlite allows one process, so the API and the worker share it), `worker` and
 * `dashboard` one each (team mode: any number of workers on any machines). They log to
 * stderr through one logger (JSON lines, or human ones with LOG_PRETTY or on a terminal).
 */
export async function startServices(mode: ServeMode, options: ServeOptions, io: CliIo): Promise<Services> {
  const source = options.source ?? process.env;
  const { env, privateRedis } = await queueFor(mode, source, options.privateRedis ?? false);
  let db: Database | undefined;
  let server: RunningServer | undefined;
  let worker: RunningWorker | undefined;
  // Made after the checks above: a command that cannot start says so in one plain line (serveCommand).
  const logger = options.logger ?? createLogger(env.log, io.stderr);
  try {
    // A taken port is said before a database is opened (or created) for nothing.
    if (env.api) await assertCanListen(env.api.HOST, env.api.PORT);
    db = await openDatabase(env.database);
    if (env.api) {
      server = await startServer({ ...serverSettingsOf(env.api), prisma: db.prisma, databaseKind: db.kind, logger });
    }
    if (env.worker) {
      worker = await startWorker({
        ...workerSettingsOf(env.worker),
        prisma: db.prisma,
        concurrency: options.concurrency ?? env.worker.concurrency,
        ...(options.shutdownDeadlineMs !== undefined ? { shutdownDeadlineMs: options.shutdownDeadlineMs } : {}),
        logger,
      });
    }
  } catch (error) {
    await server?.close();
    await db?.close();
    await privateRedis?.stop();
    throw error;
  }
  const schema = env.database.schema ? `, schema ${env.database.schema}` : '';
  const where = db.kind === 'pglite' ? `embedded PGlite in ${env.database.dataDir}${schema}` : `PostgreSQL (DATABASE_URL)${schema}`;
  const queue = privateRedis ? `a private redis-server on ${privateRedis.url} (this process's own, nothing on disk, stopped at exit; set REDIS_URL to share a queue)` : redactRedisUrl(env.redisUrl);
  logger.info({ mode, database: db.kind, queue: redactRedisUrl(env.redisUrl), privateRedis: privateRedis !== undefined, prefix: env.prefix }, `trainyard ${mode}: database ${where}, queue ${queue}`);
  const tokenRequired = env.api?.TRAINYARD_API_TOKEN !== undefined;
  if (server && env.api) {
    const hint = isLoopback(env.api.HOST) ? ' (this machine only; set HOST=0.0.0.0 and TRAINYARD_API_TOKEN to share it)' : '';
    logger.info({ url: server.url }, `API and dashboard on ${server.url}${hint}; from another terminal: ${clientHint(server.url, tokenRequired)}`);
  }
  if (worker && env.worker) {
    const concurrency = options.concurrency ?? env.worker.concurrency;
    logger.info({ workerId: worker.id, backend: worker.backend, concurrency }, `worker ${worker.id} on the ${worker.backend} backend, concurrency ${concurrency}`);
  }

  const opened = db;
  let stopping: Promise<void> | undefined;
  return {
    db: opened,
    ...(server ? { server } : {}),
    ...(worker ? { worker } : {}),
    ...(privateRedis ? { privateRedis } : {}),
    logger,
    tokenRequired,
    stop: () =>
      (stopping ??= (async () => {
        // At once: the worker's runs finish, or go back to the queue at its deadline; the API stops
        // taking requests. An open live stream (a dashboard tab, or a client's aborted one that
        // its keep-alive holds for seconds) keeps the API from closing: not waited for long.
        const [, closed] = await Promise.all([worker?.close(), server ? closeWithin(server.close(), SERVER_CLOSE_MS) : true]);
        if (!closed) logger.info(`the API still had open connections after ${SERVER_CLOSE_MS / 1000} s (a dashboard tab's live view); not waiting for them`);
        await opened.close();
        await privateRedis?.stop();
      })()),
  };
}

/**
 * `trainyard up | worker | dashboard`: runs until SIGINT or SIGTERM, then shuts down once,
 * cleanly; a second Ctrl-C exits at once (main). A signal during start-up stops it once started.
 */
export async function serveCommand(mode: ServeMode, options: { concurrency?: number }, io: CliIo): Promise<number> {
  const interrupted = onInterrupt();
  let services: Services;
  try {
    services = await startServices(mode, { ...options, privateRedis: mode === 'up' }, io);
  } catch (error) {
    interrupted.dispose();
    io.stderr.write(`trainyard ${mode}: ${describeStartError(error)}\n`);
    return EXIT.failed;
  }
  const signal = await interrupted.signal;
  services.logger.info({ mode, signal }, `trainyard ${mode}: shutting down`);
  await services.stop();
  services.logger.info({ mode }, `trainyard ${mode}: stopped`);
  exitIfStillUp(EXIT.ok);
  return EXIT.ok;
}
