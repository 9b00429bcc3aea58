import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { parseDefinition, PrismaRunLedger, RunProducer, runPipeline, withSeed, type SubmissionResponse, type SweepListResponse } from '@trainyard/experiments';
import { multiplyDefinition, openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@trainyard/experiments/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from './start-server.js';

/*
 * Who may use the API: with TRAINYARD_API_TOKEN every route but /healthz, /api/config and the
 * UI's files needs the token, reads included (unless TRAINYARD_PUBLIC_READS); browsers read
 * the event stream and model files with the read cookie POST /api/session sets; every request
 * must be addressed to one of the server's names (TRAINYARD_ALLOWED_HOSTS adds more); without
 * a token, a change must come from the server's own origin. Real servers over PostgreSQL and Redis.
 */

const TOKEN = randomBytes(32).toString('hex');
const BEARER = { authorization: `Bearer ${TOKEN}` };
const multiply = multiplyDefinition('auth multiply');

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  /** The error code of a JSON error answer. */
  code: string | undefined;
}

/**
 * One HTTP request with exactly these headers (fetch forbids setting Host): `host` is what a
 * browser sends for a page at that name. An event stream's answer ends after its first chunk.
 */
function send(url: string, options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: unknown }): Promise<Answer> {
  const { hostname: address, port } = new URL(url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: address,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { ...(options.host ? { host: options.host } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        const done = (): void => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text, code });
        };
        const stream = response.headers['content-type']?.startsWith('text/event-stream');
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (stream) {
            response.destroy();
            done();
          }
        });
        response.on('end', done);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Harness {
  db: TestDatabase;
  server: RunningServer;
  producer: RunProducer;
  prefix: string;
}

async function startHarness(options: Partial<ServerOptions> = {}): Promise<Harness> {
  const prefix = `test-auth-${randomBytes(5).toString('hex')}`;
  const db = await openTestDatabase('postgres');
  const server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix, host: '127.0.0.1', port: 0, ...options });
  return { db, server, producer: new RunProducer({ redisUrl: TEST_REDIS_URL, prefix }), prefix };
}

async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.server.close();
  await h?.producer.close();
  await h?.db.close();
}

/** Submits the notebook neuron with the token and trains it here, through the ledger, as a worker would: a run with a model. */
async function trainedRun(h: Harness): Promise<string> {
  const submitted = JSON.parse((await send(h.server.url, { method: 'POST', path: '/api/experiments', headers: BEARER, body: multiply })).text) as SubmissionResponse;
  const runId = submitted.runs[0]?.id ?? '';
  await h.producer.remove(runId);
  const ledger = new PrismaRunLedger(h.db.prisma);
  const claimed = await ledger.claim(runId, { workerId: 'test', host: 'test' });
  if (!claimed) throw new Error('could not claim the run');
  const dataHome = await seedDataHome(await makeTempDir('auth-data-'));
  for await (const event of runPipeline(withSeed(parseDefinition(claimed.definition)), { backend: 'cpu', dataHome })) {
    if (event.type === 'start') await ledger.recordStart(runId, claimed.attempt, event);
    if (event.type === 'epoch') await ledger.recordEpoch(runId, claimed.attempt, event.epoch, event.metrics, event.durationMs);
    if (event.type === 'done') await ledger.succeed(runId, claimed.attempt, event.result);
  }
  return runId;
}

/** `name=value` of the Set-Cookie header an answer carries, and its attributes. */
function setCookie(answer: Answer): { pair: string; attributes: string[] } {
  const header = answer.headers['set-cookie'];
  const [first = ''] = Array.isArray(header) ? header : header ? [header] : [];
  const [pair = '', ...attributes] = first.split(';').map((part) => part.trim());
  return { pair, attributes };
}

describe('with TRAINYARD_API_TOKEN, reads need the token too', () => {
  let h: Harness;
  let runId: string;
  let sweepId: string;
  /** Every read route, with a real id where it takes one. */
  let reads: string[];
  beforeAll(async () => {
    h = await startHarness({ token: TOKEN });
    runId = await trainedRun(h);
    const sweep = { name: 'auth sweep', base: { ...multiply, name: 'auth sweep', epochs: 1 }, grid: { 'optimizer.learningRate': [0.01, 0.02] } };
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', headers: BEARER, body: sweep })).status).toBe(201);
    sweepId = (JSON.parse((await send(h.server.url, { path: '/api/sweeps', headers: BEARER })).text) as SweepListResponse).items[0]?.id ?? '';
    reads = [
      '/api/runs',
      `/api/runs/${runId}`,
      `/api/runs/${runId}/epochs`,
      `/api/runs/${runId}/model/model.json`,
      `/api/runs/${runId}/model/weights.bin`,
      `/api/runs/${runId}/model/preprocessor.json`,
      `/api/events?runs=${runId}`,
      '/api/events',
      '/api/queue',
      '/api/sweeps',
      `/api/sweeps/${sweepId}`,
      '/api/session',
    ];
  });
  afterAll(async () => stopHarness(h));

  it('answers every read 401 without the token or with a wrong one, and 200 with it', async () => {
    for (const path of reads) {
      const anonymous = await send(h.server.url, { path });
      expect({ path, status: anonymous.status, code: anonymous.code }).toEqual({ path, status: 401, code: 'UNAUTHORIZED' });
      expect(anonymous.text).toMatch(/TRAINYARD_API_TOKEN\) for reads as well as changes/);
      // Nothing of the run leaks with the refusal.
      expect(anonymous.text).not.toContain('auth multiply');
      const wrong = await send(h.server.url, { path, headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
      expect({ path, status: wrong.status }).toEqual({ path, status: 401 });
      const authorized = await send(h.server.url, { path, headers: BEARER });
      expect({ path, status: authorized.status }).toEqual({ path, status: 200 });
    }
    // HEAD too, and a route the server does not have: a guess learns nothing without the token.
    expect((await send(h.server.url, { method: 'HEAD', path: '/api/runs' })).status).toBe(401);
    expect((await send(h.server.url, { path: '/api/nope' })).status).toBe(401);
    expect((await send(h.server.url, { path: '/api/nope', headers: BEARER })).status).toBe(404);
  });

  it('answers /healthz, /api/config and the web UI (index.html, its assets, its client-side routes) without the token', async () => {
    expect((await send(h.server.url, { path: '/healthz' })).status).toBe(200);
    const config = await send(h.server.url, { path: '/api/config' });
    expect(JSON.parse(config.text)).toEqual({ tokenRequired: true, publicReads: false, host: '127.0.0.1', local: true });
    for (const path of ['/', `/runs/${runId}`, '/queue']) {
      const page = await send(h.server.url, { path });
      expect({ path, status: page.status, type: page.headers['content-type'] }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
      expect(page.text).toContain('<div id="root">');
    }
    const distAssets = fileURLToPath(new URL('../web/dist/assets/', import.meta.url));
    const script = (await readdir(distAssets)).find((file) => /^index-.*\.js$/.test(file));
    expect((await send(h.server.url, { path: `/assets/${script}` })).status).toBe(200);
  });

  it('a browser read cookie: set by POST /api/session with the token, it opens reads (events, model files) but never a change', async () => {
    expect((await send(h.server.url, { method: 'POST', path: '/api/session' })).status).toBe(401);
    const opened = await send(h.server.url, { method: 'POST', path: '/api/session', headers: BEARER });
    expect(opened.status).toBe(204);
    const { pair, attributes } = setCookie(opened);
    expect(pair).toMatch(/^trainyard_read_[\w-]+=[\w-]{43}$/);
    expect(pair).not.toContain(TOKEN);
    expect(attributes).toEqual(['Path=/api', 'HttpOnly', 'SameSite=Strict']);
    const cookie = { cookie: `other=1; ${pair}` };

    for (const path of reads) expect({ path, status: (await send(h.server.url, { path, headers: cookie })).status }).toEqual({ path, status: 200 });
    const weights = await send(h.server.url, { path: `/api/runs/${runId}/model/weights.bin`, headers: cookie });
    expect(weights.body.equals((await send(h.server.url, { path: `/api/runs/${runId}/model/weights.bin`, headers: BEARER })).body)).toBe(true);
    const events = await send(h.server.url, { path: `/api/events?runs=${runId}`, headers: cookie });
    expect(events.text).toBe(': connected\n\n');

    // Not a change: no cancel, rerun, predict or submission with the cookie alone.
    const runs = await h.db.prisma.run.count();
    for (const path of [`/api/runs/${runId}/rerun`, `/api/runs/${runId}/cancel`, '/api/experiments']) {
      const change = await send(h.server.url, { method: 'POST', path, headers: cookie, body: path === '/api/experiments' ? multiply : undefined });
      expect({ path, status: change.status }).toEqual({ path, status: 401 });
    }
    expect(await h.db.prisma.run.count()).toBe(runs);

    // A forged or cut value is refused.
    const [name, value = ''] = pair.split('=');
    for (const forged of [`${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`, `${name}=`, `${name}=${TOKEN}`]) expect((await send(h.server.url, { path: '/api/runs', headers: { cookie: forged } })).status).toBe(401);

    // DELETE /api/session clears it, with no token needed.
    const cleared = await send(h.server.url, { method: 'DELETE', path: '/api/session' });
    expect(cleared.status).toBe(204);
    expect(setCookie(cleared)).toEqual({ pair: `${name}=`, attributes: ['Path=/api', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'] });
  });

  it('the cookie holds no server state: a restart with the same token keeps it, another token refuses it', async () => {
    const { pair } = setCookie(await send(h.server.url, { method: 'POST', path: '/api/session', headers: BEARER }));
    const same = await startServer({ prisma: h.db.prisma, databaseKind: h.db.kind, redisUrl: TEST_REDIS_URL, prefix: h.prefix, host: '127.0.0.1', port: 0, token: TOKEN });
    const other = await startServer({ prisma: h.db.prisma, databaseKind: h.db.kind, redisUrl: TEST_REDIS_URL, prefix: h.prefix, host: '127.0.0.1', port: 0, token: randomBytes(32).toString('hex') });
    try {
      expect((await send(same.url, { path: '/api/runs', headers: { cookie: pair } })).status).toBe(200);
      expect((await send(other.url, { path: '/api/runs', headers: { cookie: pair } })).status).toBe(401);
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('tf.loadLayersModel loads the model with the token in requestInit, and not without it', async () => {
    await tf.setBackend('cpu');
    const url = new URL(`/api/runs/${runId}/model/model.json`, h.server.url).toString();
    await expect(tf.loadLayersModel(url)).rejects.toThrow(/401/);
    // The documented way: tfjs' http handler sends requestInit with every request (model.json and the weights).
    const model = await tf.loadLayersModel(url, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const prediction = tf.tidy(() => model.predict(tf.tensor2d([[5]])) as tf.Tensor);
    const [value] = await prediction.data();
    prediction.dispose();
    model.dispose();
    expect(Math.abs((value ?? NaN) - 15)).toBeLessThan(0.5);
  });
});

describe('TRAINYARD_PUBLIC_READS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ token: TOKEN, publicReads: true });
  });
  afterAll(async () => stopHarness(h));

  it('opens reads to all, and says so in /api/config; changes still need the token', async () => {
    expect(JSON.parse((await send(h.server.url, { path: '/api/config' })).text)).toMatchObject({ tokenRequired: true, publicReads: true });
    for (const path of ['/api/runs', '/api/queue', '/api/sweeps', '/api/events']) expect({ path, status: (await send(h.server.url, { path })).status }).toEqual({ path, status: 200 });
    const before = await h.db.prisma.run.count();
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply })).status).toBe(401);
    const { pair } = setCookie(await send(h.server.url, { method: 'POST', path: '/api/session', headers: BEARER }));
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply, headers: { cookie: pair } })).status).toBe(401);
    expect(await h.db.prisma.run.count()).toBe(before);
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply, headers: BEARER })).status).toBe(201);
  });
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
}

describe('the Host allow-list (DNS rebinding), with and without a token', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await stopHarness(h);
  });
  async function harness(options: Partial<ServerOptions>): Promise<Harness> {
    const h = await startHarness(options);
    harnesses.push(h);
    return h;
  }

  it('without a token: loopback names only, unless TRAINYARD_ALLOWED_HOSTS lists more', async () => {
    const plain = await harness({});
    const listed = await harness({ allowedHosts: ['trainyard.team.example'] });
    for (const path of ['/api/runs', '/healthz', '/']) {
      expect((await send(plain.server.url, { path, host: 'trainyard.team.example:3000' })).code).toBe('HOST_NOT_ALLOWED');
      expect((await send(listed.server.url, { path, host: 'trainyard.team.example:3000' })).status).toBe(200);
      expect((await send(listed.server.url, { path, host: 'other.team.example:3000' })).status).toBe(403);
      // Not even this machine's own name: without a token, only this machine may use the server.
      expect((await send(plain.server.url, { path, host: hostname() })).status).toBe(403);
    }
    const refused = await send(plain.server.url, { path: '/api/runs', host: 'evil.example' });
    expect(JSON.parse(refused.text).error.message).toMatch(/TRAINYARD_ALLOWED_HOSTS/);
  });

  it("with a token: the machine's name and addresses and the bound HOST, unless TRAINYARD_ALLOWED_HOSTS lists more; anything else is 403 even with the token", async () => {
    const shared = await harness({ token: TOKEN, host: '0.0.0.0' });
    const listed = await harness({ token: TOKEN, host: '0.0.0.0', allowedHosts: ['trainyard.team.example'] });
    const port = new URL(shared.server.url).port;
    const own = [`localhost:${port}`, `${hostname()}:${port}`, ...(lanAddress() ? [`${lanAddress()}:${port}`] : [])];
    for (const host of own) expect({ host, status: (await send(shared.server.url, { path: '/api/runs', host, headers: BEARER })).status }).toEqual({ host, status: 200 });
    for (const path of ['/api/runs', '/healthz', '/api/config', '/']) {
      const refused = await send(shared.server.url, { path, host: `trainyard.team.example:${port}`, headers: BEARER });
      expect({ path, status: refused.status, code: refused.code }).toEqual({ path, status: 403, code: 'HOST_NOT_ALLOWED' });
      // The refusal names none of the machine's names: a rebinding page can read it.
      expect(refused.text).not.toContain(hostname());
      expect((await send(listed.server.url, { path, host: `trainyard.team.example:${port}`, headers: BEARER })).status).toBe(200);
    }
    const bound = await harness({ token: TOKEN, host: '127.0.0.2' });
    expect((await send(bound.server.url, { path: '/healthz', host: '127.0.0.2' })).status).toBe(200);
    const any = await harness({ token: TOKEN, allowedHosts: ['*'] });
    expect((await send(any.server.url, { path: '/healthz', host: 'whatever.example' })).status).toBe(200);
  });
});

describe('without a token, a change needs the server\'s own Origin', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({});
  });
  afterAll(async () => stopHarness(h));

  it('refuses a submission from a page on another loopback port, and takes one from its own pages or from clients without Origin', async () => {
    const port = new URL(h.server.url).port;
    const before = await h.db.prisma.run.count();
    const foreign = await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply, headers: { origin: 'http://127.0.0.1:9999' } });
    expect(foreign.status).toBe(403);
    expect(foreign.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(JSON.parse(foreign.text).error.message).toContain(`its own pages (http://127.0.0.1:${port})`);
    expect(await h.db.prisma.run.count()).toBe(before);
    expect((await h.producer.counts()).waiting).toBe(0);
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply, headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(201);
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply, host: `localhost:${port}`, headers: { origin: `http://localhost:${port}` } })).status).toBe(201);
    expect((await send(h.server.url, { method: 'POST', path: '/api/experiments', body: multiply })).status).toBe(201);
  });
});
