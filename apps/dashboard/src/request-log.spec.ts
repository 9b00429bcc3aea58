import { describe, expect, it } from 'vitest';
import { createLogger, DEFAULT_SERVER_LIMITS } from '@trainyard/experiments';
import type { AppDeps } from './app-deps.js';
import { buildApp } from './app.js';

type Entry = { level: string; time: string; msg: string; reqId?: string; [field: string]: unknown };

/** The API with its real logger writing JSON lines into memory, over a database that fails every query. */
function app() {
  const entries: Entry[] = [];
  const logger = createLogger({ level: 'info', pretty: false }, { write: (line: string) => void entries.push(JSON.parse(line) as Entry) });
  const broken = new Proxy(
    {},
    {
      get() {
        throw new Error('relation "Run" does not exist (SELECT "id", "status" FROM "Run")');
      },
    },
  );
  const deps = {
    prisma: broken,
    databaseKind: 'postgres',
    producer: { counts: async () => ({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }) },
    bus: {},
    token: undefined,
    publicReads: false,
    allowedHosts: [],
    limits: DEFAULT_SERVER_LIMITS,
    maxUploadBytes: 1024 * 1024,
    logger,
  } as unknown as AppDeps;
  return { server: buildApp(deps), entries };
}

describe('the API log', () => {
  it('has one line per request with method, url, status, ms and reqId', async () => {
    const { server, entries } = app();
    const response = await server.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    const lines = entries.filter((e) => e.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'GET', url: '/healthz', status: 200, reqId: expect.any(String), time: expect.any(String) });
    expect(lines[0]?.['ms']).toEqual(expect.any(Number));
    await server.close();
  });

  it('logs a request the host check refuses, and a 500 with its cause under the reqId its answer names', async () => {
    const { server, entries } = app();
    const refused = await server.inject({ method: 'GET', url: '/api/runs', headers: { host: 'evil.example' } });
    expect(refused.statusCode).toBe(403);
    expect(entries.find((e) => e.msg === 'request')).toMatchObject({ url: '/api/runs', status: 403 });

    const failed = await server.inject({ method: 'GET', url: '/api/runs' });
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    const body = failed.json<{ error: { code: string; message: string } }>();
    expect(body.error.message).not.toContain('SELECT');
    const error = entries.find((e) => e.level === 'error');
    expect(error).toMatchObject({ method: 'GET', url: '/api/runs', err: { message: expect.stringContaining('relation "Run" does not exist') } });
    expect(error?.msg).toMatch(/^5\d\d /);
    const request = entries.filter((e) => e.msg === 'request').at(-1);
    expect(request).toMatchObject({ status: failed.statusCode, reqId: error?.reqId });
    if (body.error.code === 'INTERNAL') expect(body.error.message).toContain(`reqId ${error?.reqId}`);
    await server.close();
  });
});
