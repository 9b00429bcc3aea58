import { isLoopback, readDashboardEnv, startServer, type RunningServer } from '@trainyard/dashboard';
import { assertRedisReachable, openDatabase, redactRedisUrl, serverLimitsOf, type Database } from '@trainyard/experiments';
import { databaseConfigOf, readWorkerEnv, startWorker, workerSettingsOf, type RunningWorker } from '@trainyard/worker';
import { EXIT, type CliIo } from '../cli-io.js';

export type ServeMode = 'up' | 'worker' | 'dashboard';

export interface Services {
  db: Database;
  server?: RunningServer;
  worker?: RunningWorker;
  stop(): Promise<void>;
}

/**
 * Starts what a mode needs in this process: `up` = API + worker + database (the embedded
 * PGlite allows one process, so the API and the worker share it), `worker` and
 * `dashboard` one each (team mode: any number of workers on any machines).
 */
export async function startServices(mode: ServeMode, options: { concurrency?: number }, io: CliIo): Promise<Services> {
  const workerEnv = readWorkerEnv();
  // A worker serves nothing: the API's settings (HOST without a token, ...) are not its concern.
  const apiEnv = mode === 'worker' ? undefined : readDashboardEnv();
  await assertRedisReachable(workerEnv.redisUrl);
  const db = await openDatabase(databaseConfigOf(workerEnv));
  const prefix = workerEnv.prefix ? { prefix: workerEnv.prefix } : {};
  let server: RunningServer | undefined;
  let worker: RunningWorker | undefined;
  try {
    if (apiEnv) {
      server = await startServer({
        prisma: db.prisma,
        databaseKind: db.kind,
        redisUrl: workerEnv.redisUrl,
        host: apiEnv.HOST,
        port: apiEnv.PORT,
        limits: serverLimitsOf(apiEnv),
        publicReads: apiEnv.TRAINYARD_PUBLIC_READS,
        allowedHosts: apiEnv.TRAINYARD_ALLOWED_HOSTS,
        ...prefix,
        ...(apiEnv.TRAINYARD_API_TOKEN ? { token: apiEnv.TRAINYARD_API_TOKEN } : {}),
      });
    }
    if (mode !== 'dashboard') {
      worker = await startWorker({
        ...workerSettingsOf(workerEnv),
        prisma: db.prisma,
        concurrency: options.concurrency ?? workerEnv.concurrency,
        log: (line) => io.stderr.write(`${line}\n`),
      });
    }
  } catch (error) {
    await server?.close();
    await db.close();
    throw error;
  }
  const where = db.kind === 'pglite' ? `embedded PGlite in ${workerEnv.dbDir}` : 'PostgreSQL (DATABASE_URL)';
  const lines = [`trainyard ${mode}: database ${where}, queue ${redactRedisUrl(workerEnv.redisUrl)}`];
  if (server && apiEnv) {
    lines.push(`  API and dashboard on ${server.url}${isLoopback(apiEnv.HOST) ? ' (this machine only; set HOST=0.0.0.0 and TRAINYARD_API_TOKEN to share it)' : ''}`);
  }
  if (worker) lines.push(`  worker ${worker.id} on the ${worker.backend} backend, concurrency ${options.concurrency ?? workerEnv.concurrency}`);
  io.stderr.write(`${lines.join('\n')}\n`);

  let stopping: Promise<void> | undefined;
  return {
    db,
    ...(server ? { server } : {}),
    ...(worker ? { worker } : {}),
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
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stderr.write(`trainyard ${mode}: shutting down\n`);
  await services.stop();
  return EXIT.ok;
}
