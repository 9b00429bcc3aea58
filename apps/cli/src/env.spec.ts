import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDashboardEnv, serverSettingsOf } from '@trainyard/dashboard';
import { databaseConfigOf, DEFAULT_SERVER_LIMITS, logConfigOf } from '@trainyard/experiments';
import { readWorkerEnv, workerSettingsOf } from '@trainyard/worker';
import { readEnv, readServeEnv, type ServeMode } from './env.js';

/**
 * What each entry point starts from, computed the way it does: apps/dashboard's main,
 * apps/worker's main, and `trainyard dashboard | up | worker` (startServices).
 */
function entries(source: NodeJS.ProcessEnv) {
  const dashboardMain = async () => {
    const env = readDashboardEnv(source);
    const server = serverSettingsOf(env);
    return { database: databaseConfigOf(env), redisUrl: server.redisUrl, prefix: server.prefix, limits: server.limits, log: logConfigOf(env) };
  };
  const workerMain = async () => {
    const env = readWorkerEnv(source);
    const worker = workerSettingsOf(env);
    return { database: env.database, redisUrl: worker.redisUrl, prefix: worker.prefix, limits: env.limits, log: env.log };
  };
  const cli = (mode: ServeMode) => async () => {
    const env = await readServeEnv(mode, source);
    const limits = env.api ? serverSettingsOf(env.api).limits : env.worker?.limits;
    // `up` runs both: the server's limits and the worker's must agree too.
    if (env.api && env.worker) expect(env.worker.limits).toEqual(limits);
    return { database: env.database, redisUrl: env.redisUrl, prefix: env.prefix, limits, log: env.log };
  };
  return { dashboardMain, workerMain, 'trainyard dashboard': cli('dashboard'), 'trainyard up': cli('up'), 'trainyard worker': cli('worker') };
}

describe('one environment, every service entry point', () => {
  it('opens the same database, queue and limits, with TRAINYARD_DB_SCHEMA and a relative TRAINYARD_DB_DIR', async () => {
    const source = {
      TRAINYARD_DB_DIR: 'relative/db',
      TRAINYARD_DB_SCHEMA: 'team_a',
      TRAINYARD_QUEUE_PREFIX: 'team-a',
      REDIS_URL: 'redis://127.0.0.1:6390',
      TRAINYARD_MAX_RUN_SECONDS: '600',
      TRAINYARD_MAX_PARAMS: '1000',
      TRAINYARD_MAX_STEP_MB: '64',
      LOG_LEVEL: 'debug',
      LOG_PRETTY: '1',
    };
    const expected = {
      database: { dataDir: join(process.cwd(), 'relative/db'), schema: 'team_a' },
      redisUrl: 'redis://127.0.0.1:6390',
      prefix: 'team-a',
      limits: { maxRunSeconds: 600, maxParams: 1000, maxStepBytes: 64 * 2 ** 20 },
      log: { level: 'debug', pretty: true },
    };
    for (const [entry, read] of Object.entries(entries(source))) expect({ entry, ...(await read()) }).toEqual({ entry, ...expected });
  });

  it('puts the schema on PostgreSQL too, and has the same defaults everywhere', async () => {
    const postgres = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test', TRAINYARD_DB_SCHEMA: 'team_b', TRAINYARD_DB_DIR: 'ignored' };
    for (const [entry, read] of Object.entries(entries(postgres))) {
      expect({ entry, database: (await read()).database }).toEqual({ entry, database: { databaseUrl: postgres.DATABASE_URL, schema: 'team_b' } });
    }
    const defaults = {
      database: { dataDir: join(process.cwd(), '.trainyard/db') },
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'trainyard',
      limits: DEFAULT_SERVER_LIMITS,
      log: { level: 'info', pretty: undefined },
    };
    for (const [entry, read] of Object.entries(entries({}))) expect({ entry, ...(await read()) }).toEqual({ entry, ...defaults });
  });

  it('refuses a bad shared variable with the same message in every entry point', async () => {
    for (const source of [{ TRAINYARD_DB_SCHEMA: 'Team-A' }, { TRAINYARD_QUEUE_PREFIX: 'a b' }, { LOG_LEVEL: 'loud' }, { LOG_PRETTY: 'maybe' }]) {
      const [name] = Object.keys(source);
      for (const [entry, read] of Object.entries(entries(source))) {
        await expect(read(), entry).rejects.toThrow(new RegExp(`^invalid environment: ${name}: `));
      }
    }
  });

  it("reads only the variables of what a mode starts: a worker has no HOST rule, a dashboard no WORKER_*", async () => {
    await expect(readServeEnv('worker', { HOST: '0.0.0.0' })).resolves.toBeDefined();
    await expect(readServeEnv('up', { HOST: '0.0.0.0' })).rejects.toThrow(/HOST=0\.0\.0\.0 .*needs TRAINYARD_API_TOKEN/);
    await expect(readServeEnv('dashboard', { WORKER_CONCURRENCY: '0' })).resolves.toBeDefined();
    await expect(readServeEnv('up', { WORKER_CONCURRENCY: '0' })).rejects.toThrow(/WORKER_CONCURRENCY/);
  });

  it('sends the token the server would accept, and refuses one an HTTP header cannot carry', () => {
    expect(readEnv({ TRAINYARD_API_TOKEN: 's3cret-Token_1' }).apiToken).toBe('s3cret-Token_1');
    expect(() => readEnv({ TRAINYARD_API_TOKEN: 'two words' })).toThrow(/TRAINYARD_API_TOKEN: must be visible ASCII characters/);
    expect(readEnv({ TRAINYARD_DATA_HOME: 'data' }).dataHome).toBe(join(process.cwd(), 'data'));
  });
});
