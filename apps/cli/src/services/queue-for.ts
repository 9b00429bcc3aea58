import { assertRedisReachable, redactRedisUrl } from '@trainyard/experiments';
import { readServeEnv, type ServeEnv, type ServeMode } from '../env.js';
import { findRedisServer, INSTALL_REDIS_HINT, startPrivateRedis, type PrivateRedis } from './private-redis.js';

export interface QueueDeps {
  assertReachable: (url: string) => Promise<void>;
  findRedisServer: (path: string | undefined) => string | undefined;
  startPrivateRedis: (binary: string) => Promise<PrivateRedis>;
}

const DEPS: QueueDeps = { assertReachable: (url) => assertRedisReachable(url), findRedisServer, startPrivateRedis: (binary) => startPrivateRedis(binary) };

/**
 * The environment a service command starts from, and the Redis it names: REDIS_URL when set
 * (it must answer); else the default 127.0.0.1:6379 when something answers there; else, where
 * `allowPrivate` (up, demo: one machine, one process), a private redis-server this process
 * starts on a free port (the caller stops it), or one line on how to install one.
 */
export async function queueFor(mode: ServeMode, source: NodeJS.ProcessEnv, allowPrivate: boolean, deps: QueueDeps = DEPS): Promise<{ env: ServeEnv; privateRedis?: PrivateRedis }> {
  const env = await readServeEnv(mode, source);
  try {
    await deps.assertReachable(env.redisUrl);
    return { env };
  } catch (error) {
    if (!allowPrivate || (source['REDIS_URL'] ?? '') !== '') throw error;
    const binary = deps.findRedisServer(source['PATH']);
    if (!binary) throw new Error(`Redis is not reachable at ${redactRedisUrl(env.redisUrl)} and redis-server is not installed: ${INSTALL_REDIS_HINT}`, { cause: error });
    const privateRedis = await deps.startPrivateRedis(binary);
    try {
      return { env: await readServeEnv(mode, { ...source, REDIS_URL: privateRedis.url }), privateRedis };
    } catch (readError) {
      await privateRedis.stop();
      throw readError;
    }
  }
}
