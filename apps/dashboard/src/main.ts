import { assertRedisReachable, createLogger, databaseConfigOf, logConfigOf, openDatabase } from '@trainyard/experiments';
import { readDashboardEnv, serverSettingsOf } from './env.js';
import { startServer } from './start-server.js';

/**
 * `node apps/dashboard/src/main.ts` (through tsx): the API server alone, for team mode; the same
 * environment gives the same server as `trainyard dashboard`. Logs go to stdout (JSON lines,
 * or human ones with LOG_PRETTY; see createLogger).
 */
const env = readDashboardEnv();
try {
  await assertRedisReachable(env.REDIS_URL);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const logger = createLogger(logConfigOf(env), process.stdout);
const db = await openDatabase(databaseConfigOf(env));
const server = await startServer({ ...serverSettingsOf(env), prisma: db.prisma, databaseKind: db.kind, logger });
logger.info({ url: server.url, database: db.kind }, `trainyard API on ${server.url} (${db.kind})`);
const stop = async (): Promise<void> => {
  logger.info('trainyard API: stopping');
  await server.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
