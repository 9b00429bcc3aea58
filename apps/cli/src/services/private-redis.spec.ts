import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findRedisServer, freePort, startPrivateRedis } from './private-redis.js';

/** Sends one inline Redis command and resolves with the raw reply (or the connection error's code). */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const binary = findRedisServer();

describe('a private redis-server', () => {
  it.skipIf(!binary)('starts on a free port with nothing kept on disk, answers, and is gone after stop', async () => {
    const redis = await startPrivateRedis(binary ?? '');
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(redis.port).not.toBe(6379);
      expect(await send(redis.port, 'PING')).toBe('+PONG\r\n');
      expect(await send(redis.port, 'CONFIG GET save')).toMatch(/^\*2\r\n\$4\r\nsave\r\n\$0\r\n\r\n/);
      expect(await send(redis.port, 'CONFIG GET appendonly')).toMatch(/\r\nno\r\n$/);
    } finally {
      await redis.stop();
    }
    expect(await send(redis.port, 'PING')).toBe('ECONNREFUSED');
    await redis.stop(); // idempotent
  });

  it.skipIf(!binary)('says why when it cannot start (the port is taken)', async () => {
    const first = await startPrivateRedis(binary ?? '');
    try {
      await expect(startPrivateRedis(binary ?? '', { port: first.port })).rejects.toThrow(/redis-server exited .* before it was ready/);
    } finally {
      await first.stop();
    }
  });

  it('finds redis-server on PATH only', async () => {
    expect(findRedisServer('/nonexistent-dir')).toBeUndefined();
    expect(findRedisServer('')).toBeUndefined();
    expect(await freePort()).toBeGreaterThan(0);
  });
});
