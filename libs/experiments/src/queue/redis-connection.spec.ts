import { describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';
import { assertRedisReachable, redactRedisUrl } from './redis-connection.js';

// A port nothing listens on: freePort's, free a moment ago.
describe('assertRedisReachable', () => {
  it('says in one line where Redis was expected and how to start one', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const error = await assertRedisReachable(url, 1_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toBe(`Redis is not reachable at ${url}: start one with "redis-server --daemonize yes" or set REDIS_URL`);
    expect(message).not.toContain('\n');
  });

  it('does not show a password from the url', async () => {
    const url = `redis://user:s3cret@127.0.0.1:${await freePort()}`;
    await expect(assertRedisReachable(url, 1_000)).rejects.toThrow(/redis:\/\/user:\*\*\*@127\.0\.0\.1/);
    expect(redactRedisUrl('redis://:pw@host:6379/0')).toBe('redis://:***@host:6379/0');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});
