import { assertRedisReachable, openDatabase, serverLimitsOf } from '@trainyard/experiments';
import { readDashboardEnv } from './env.js';
import { startServer } from './start-server.js';

/** `node apps/dashboard/src/main.ts` (through tsx): the API server alone, for team mode. */
const env = readDashboardEnv();
try {
  await assertRedisReachable(env.REDIS_URL);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.TRAINYARD_DB_DIR });
const server = await startServer({
  prisma: db.prisma,
  databaseKind: db.kind,
  redisUrl: env.REDIS_URL,
  host: env.HOST,
  port: env.PORT,
  limits: serverLimitsOf(env),
  publicReads: env.TRAINYARD_PUBLIC_READS,
  allowedHosts: env.TRAINYARD_ALLOWED_HOSTS,
  ...(env.TRAINYARD_QUEUE_PREFIX ? { prefix: env.TRAINYARD_QUEUE_PREFIX } : {}),
  ...(env.TRAINYARD_API_TOKEN ? { token: env.TRAINYARD_API_TOKEN } : {}),
});
process.stdout.write(`trainyard API on ${server.url} (${db.kind})\n`);
const stop = async (): Promise<void> => {
  await server.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
