import { createRedis } from '../queue/redis-connection.js';

/** The machine's Redis (no password, database 0); CI and these machines start it before the tests. Tests keep apart by queue prefix. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Deletes every key under a queue prefix (BullMQ's queue, jobs, events): what a test or bench leaves in Redis. */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, 'producer');
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
