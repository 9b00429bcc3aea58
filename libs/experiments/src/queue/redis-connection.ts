import { Redis, type RedisOptions } from 'ioredis';
import { QueueError } from './queue-error.js';

export type RedisRole = 'worker' | 'producer';

/** How long `assertRedisReachable` waits for a PONG before telling the user. */
const REACHABLE_TIMEOUT_MS = 2_000;

/**
 * A Redis connection for one role.
 * - worker: `maxRetriesPerRequest: null`, as BullMQ requires for workers: a command waits
 *   through a Redis restart instead of failing the job it belongs to.
 * - producer: fails fast. A submission (or a live view) whose Redis is gone should say so
 *   within a second, not hang; the caller decides what to do (mark runs failed, retry later).
 */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, connectTimeout: REACHABLE_TIMEOUT_MS };
  const redis = new Redis(url, { ...options, ...extra });
  // Without a listener ioredis prints every reconnect error; the callers see errors through
  // their commands, and a restart of Redis is a normal event for a worker.
  redis.on('error', () => undefined);
  return redis;
}

/** The url as it may be shown: a password is replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/**
 * Throws a QueueError with a one-line message telling how to start Redis when none
 * answers at `url` within ~2 s. Commands that need Redis call it first, so a user sees
 * that line instead of a stack of reconnect errors.
 */
export async function assertRedisReachable(url: string, timeoutMs = REACHABLE_TIMEOUT_MS): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    });
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
  } catch (error) {
    throw new QueueError(
      'REDIS_UNREACHABLE',
      `Redis is not reachable at ${redactRedisUrl(url)}: start one with "redis-server --daemonize yes" or set REDIS_URL`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
