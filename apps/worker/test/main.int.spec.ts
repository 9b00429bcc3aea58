import { describe, expect, it } from 'vitest';
import { freePort, TEST_DATABASE_URL } from '@trainyard/experiments/testing';
import { WorkerProcess } from './support/worker-process.js';

describe('the worker process without Redis', () => {
  it('says so in one line, with how to start one, and exits 1', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const worker = new WorkerProcess({
      name: 'no-redis',
      redisUrl,
      prefix: 'test-no-redis',
      databaseUrl: TEST_DATABASE_URL,
      schema: 'unused',
      dataHome: '/tmp',
    });
    expect(await worker.exit()).toBe(1);
    expect(worker.output).toBe(`Redis is not reachable at ${redisUrl}: start one with "redis-server --daemonize yes" or set REDIS_URL\n`);
  });
});
