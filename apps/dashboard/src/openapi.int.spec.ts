import { randomBytes } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { API_ROUTES, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_SERVER_LIMITS, ModelCache, RunEventBus, RunProducer } from '@trainyard/experiments';
import { openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@trainyard/experiments/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

/** The app over real services, as startServer builds it, without listening. */
describe('GET /api/openapi.json', () => {
  let db: TestDatabase;
  let producer: RunProducer;
  let bus: RunEventBus;
  let app: FastifyInstance;
  beforeAll(async () => {
    const prefix = `test-openapi-${randomBytes(4).toString('hex')}`;
    db = await openTestDatabase('postgres');
    producer = new RunProducer({ redisUrl: TEST_REDIS_URL, prefix });
    bus = new RunEventBus({ redisUrl: TEST_REDIS_URL, prefix });
    const deps = { prisma: db.prisma, databaseKind: db.kind, producer, bus, models: new ModelCache(), token: undefined, publicReads: false, allowedHosts: [], limits: DEFAULT_SERVER_LIMITS, maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES };
    app = buildApp(deps);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await bus.close();
    await producer.close();
    await db.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const answer = await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { host: '127.0.0.1' } });
    expect(answer.statusCode).toBe(200);
    const result = await new Validator().validate(answer.json());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every route the server registered under /api and /healthz, and no other', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { host: '127.0.0.1' } })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
    // Fastify's route tree: one line per node, indented four characters per level under its
    // parent, whose path it continues; methods in parentheses (HEAD is added for every GET).
    const registered = new Set<string>();
    const stack: string[] = [];
    for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
      const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
      if (!match?.[2]) continue;
      const depth = (match[1] ?? '').length / 4;
      stack.length = depth;
      stack.push(match[2]);
      const path = stack.join('').replace(/:(\w+)/g, '{$1}');
      if (!match[3] || (!path.startsWith('/api') && path !== '/healthz')) continue;
      for (const method of match[3].split(', ')) if (method !== 'HEAD') registered.add(`${method} ${path}`);
    }
    expect([...registered].sort()).toEqual([...documented].sort());
    expect(documented.size).toBe(Object.keys(API_ROUTES).length);
  });
});
