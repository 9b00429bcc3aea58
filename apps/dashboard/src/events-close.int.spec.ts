import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@trainyard/experiments/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.js';

/*
 * A live-event stream never ends by itself (a dashboard tab holds one for as long as it is
 * open), so closing the server must end it: before, close() waited for every tab to go away
 * and Ctrl-C of `trainyard up` or the demo hung on an open dashboard (issue 11, item 5).
 */
describe('closing the server with a live-event stream open', () => {
  let db: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix: `test-events-close-${randomBytes(5).toString('hex')}`, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('ends the stream and closes', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => get(new URL('/api/events', server.url), resolve).on('error', reject));
    expect(response.statusCode).toBe(200);
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise<void>((resolve) => response.on('end', resolve).on('close', resolve));
    await expect.poll(() => text).toContain(': connected');
    // Without the server ending the stream, this await never returns (the test times out).
    await server.close();
    await ended;
    expect(response.complete).toBe(true);
  });
});
