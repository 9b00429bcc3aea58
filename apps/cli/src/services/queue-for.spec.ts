import { describe, expect, it, vi } from 'vitest';
import { findRedisServer, startPrivateRedis } from './private-redis.js';
import { queueFor, type QueueDeps } from './queue-for.js';

const nothingAnswers = (): Promise<void> => Promise.reject(new Error('Redis is not reachable at redis://127.0.0.1:6379: start one ...'));
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '', TRAINYARD_DB_DIR: '/tmp/unused', ...extra });
const binary = findRedisServer();

describe('queueFor: the Redis a service command uses', () => {
  it('the default address when something answers there; no private one', async () => {
    const start = vi.fn<QueueDeps['startPrivateRedis']>();
    const queue = await queueFor('up', env(), true, { assertReachable: () => Promise.resolve(), findRedisServer: () => '/usr/bin/redis-server', startPrivateRedis: start });
    expect(queue.env.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(queue.privateRedis).toBeUndefined();
    expect(start).not.toHaveBeenCalled();
  });

  it.skipIf(!binary)("REDIS_URL unset and nothing on 127.0.0.1:6379: the machine's redis-server on a free port, then stopped", async () => {
    const queue = await queueFor('up', env(), true, { assertReachable: nothingAnswers, findRedisServer, startPrivateRedis: (b) => startPrivateRedis(b) });
    try {
      expect(queue.privateRedis?.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      // The worker and the API read that Redis.
      expect(queue.env.redisUrl).toBe(queue.privateRedis?.url);
      expect(queue.env.worker?.redisUrl).toBe(queue.privateRedis?.url);
    } finally {
      await queue.privateRedis?.stop();
    }
  });

  it('none installed: one line on how to install it or set REDIS_URL', async () => {
    const error = (await queueFor('up', env(), true, { assertReachable: nothingAnswers, findRedisServer: () => undefined, startPrivateRedis: vi.fn() }).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'Redis is not reachable at redis://127.0.0.1:6379 and redis-server is not installed: install redis-server (apt-get install redis-server, or brew install redis) or set REDIS_URL to a Redis you have',
    );
  });

  it.each([
    ['REDIS_URL is set', 'up', { REDIS_URL: 'redis://127.0.0.1:1' }, true],
    ['a worker (it shares the queue of others)', 'worker', {}, false],
  ] as const)('%s: no private Redis, the plain error', async (_, mode, extra, allowPrivate) => {
    const start = vi.fn<QueueDeps['startPrivateRedis']>();
    await expect(queueFor(mode, env(extra), allowPrivate, { assertReachable: nothingAnswers, findRedisServer: () => '/usr/bin/redis-server', startPrivateRedis: start })).rejects.toThrow(/start one/);
    expect(start).not.toHaveBeenCalled();
  });
});
