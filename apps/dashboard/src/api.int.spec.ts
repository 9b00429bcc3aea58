import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import {
  openDatabase,
  parseDefinition,
  PrismaRunLedger,
  RunEventBus,
  RunProducer,
  runPipeline,
  withSeed,
  type LiveRunEvent,
  type RunDetailView,
  type RunListResponse,
  type SubmissionResponse,
} from '@trainyard/experiments';
import { multiplyDefinition, openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '@trainyard/experiments/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.js';

const multiply = multiplyDefinition('api multiply');

interface Harness {
  db: TestDatabase;
  server: RunningServer;
  producer: RunProducer;
  prefix: string;
}

/** A real server on a free port over its own PostgreSQL schema and BullMQ prefix. */
async function startHarness(token?: string): Promise<Harness> {
  const prefix = `test-api-${randomBytes(5).toString('hex')}`;
  const db = await openTestDatabase('postgres');
  const server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix, host: '127.0.0.1', port: 0, ...(token ? { token } : {}) });
  return { db, server, producer: new RunProducer({ redisUrl: TEST_REDIS_URL, prefix }), prefix };
}

async function stopHarness(h: Harness): Promise<void> {
  await h.server.close();
  await h.producer.close();
  await h.db.close();
}

interface Answer {
  status: number;
  /** The parsed JSON answer; an answer that is not JSON as `{ text }`. */
  json: Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
}

function parseAnswer(status: number, text: string): Answer {
  try {
    return { status, json: JSON.parse(text) as Answer['json'] };
  } catch {
    return { status, json: { text } };
  }
}

async function call(h: Harness, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(new URL(path, h.server.url), {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return parseAnswer(response.status, await response.text());
}

/**
 * A request with the Host header a browser would send for a page at `host` (fetch forbids
 * setting it): how a page on a rebinding domain that resolves to 127.0.0.1 reaches the server.
 */
function callAddressedTo(h: Harness, host: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(h.server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method, path, headers: { ...headers, host, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(parseAnswer(response.statusCode ?? 0, text)));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** An HTTP/1.0 GET without a Host header: node's server lets it through (an HTTP/1.1 one it answers 400 itself). */
function callWithoutHost(h: Harness, path: string): Promise<Answer> {
  const { hostname, port } = new URL(h.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', answer = ''] = text.split('\r\n\r\n');
      resolve(parseAnswer(Number(/^HTTP\/1\.\d (\d{3})/.exec(head)?.[1]), answer));
    });
  });
}

async function runCount(h: Harness): Promise<number> {
  return h.db.prisma.run.count();
}

describe('HTTP API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => stopHarness(h));

  it('answers /healthz with the database kind and Redis state', async () => {
    const { status, json } = await call(h, 'GET', '/healthz');
    expect(status).toBe(200);
    expect(json).toEqual({ ok: true, database: 'postgres', redis: 'up' });
  });

  it('rejects an invalid definition with field paths, writing no row and queuing no job', async () => {
    const before = await runCount(h);
    const { status, json } = await call(h, 'POST', '/api/experiments', { ...multiply, epochs: 0, optimizer: { name: 'adamw' } });
    expect(status).toBe(400);
    const issues = Object.fromEntries((json.error?.issues ?? []).map((i) => [i.path, i.message]));
    expect(issues.epochs).toBe('must be >= 1');
    expect(issues['optimizer.name']).toMatch(/must be one of "sgd", "adam", "rmsprop", "adagrad"/);
    expect(await runCount(h)).toBe(before);
    expect((await h.producer.counts()).waiting).toBe(0);
  });

  it('rejects malformed JSON, oversized bodies and bad parameters with 4xx', async () => {
    expect((await call(h, 'POST', '/api/experiments', '{"name": ')).status).toBe(400);
    expect((await call(h, 'POST', '/api/experiments', { name: 'x', description: 'y'.repeat(2 * 1024 * 1024) })).status).toBe(413);
    const limit = await call(h, 'GET', '/api/runs?limit=1000');
    expect(limit.status).toBe(400);
    expect(limit.json.error?.issues?.[0]?.path).toBe('limit');
    expect((await call(h, 'GET', '/api/runs/not-a-uuid')).status).toBe(400);
    expect((await call(h, 'GET', '/api/runs?cursor=not-a-cursor')).status).toBe(400);
    expect((await call(h, 'GET', `/api/runs/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call(h, 'GET', `/api/runs/${crypto.randomUUID()}/epochs`)).status).toBe(404);
  });

  it('without a token, refuses every request addressed to another name (DNS rebinding), changing nothing', async () => {
    const port = new URL(h.server.url).port;
    const before = await runCount(h);
    const waiting = (await h.producer.counts()).waiting;
    const submitted = await callAddressedTo(h, `evil.example:${port}`, 'POST', '/api/experiments', multiply);
    expect(submitted.status).toBe(403);
    expect(submitted.json.error?.code).toBe('HOST_NOT_ALLOWED');
    expect(submitted.json.error?.message).toMatch(new RegExp(`^Host "evil\\.example:${port}" is not a loopback name: without TRAINYARD_API_TOKEN .*DNS rebinding`));
    expect(await runCount(h)).toBe(before);
    expect((await h.producer.counts()).waiting).toBe(waiting);
    // Reads, the UI's pages and the live-event stream alike: a rebinding page must not read runs either.
    for (const path of ['/api/runs', '/healthz', '/', '/runs/00000000-0000-0000-0000-000000000000', '/api/events', '/api/nope']) {
      const read = await callAddressedTo(h, 'evil.example', 'GET', path);
      expect({ path, status: read.status, code: read.json.error?.code }).toEqual({ path, status: 403, code: 'HOST_NOT_ALLOWED' });
    }
    expect((await callAddressedTo(h, `0.0.0.0:${port}`, 'GET', '/api/runs')).status).toBe(403);
    const anonymous = await callWithoutHost(h, '/api/runs');
    expect(anonymous.status).toBe(403);
    expect(anonymous.json.error?.message).toMatch(/^a request without a Host header is not a loopback name/);
  });

  it("without a token, refuses a change a browser sends from another site's page (Origin), and takes its own pages' and the CLI's", async () => {
    const port = new URL(h.server.url).port;
    const submitted = await call(h, 'POST', '/api/experiments', { ...multiply, name: 'api own origin' }, { origin: `http://127.0.0.1:${port}` });
    expect(submitted.status).toBe(201);
    const [run] = (submitted.json as unknown as SubmissionResponse).runs;
    const before = await runCount(h);
    // Another loopback port (another dev server's page) or another loopback name is another origin too.
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1.evil.example:${port}`, 'http://127.0.0.1:9999', `http://localhost:${port}`]) {
      const cancel = await callAddressedTo(h, `127.0.0.1:${port}`, 'POST', `/api/runs/${run?.id}/cancel`, undefined, { origin });
      expect({ origin, status: cancel.status, code: cancel.json.error?.code }).toEqual({ origin, status: 403, code: 'ORIGIN_NOT_ALLOWED' });
      const rerun = await callAddressedTo(h, `127.0.0.1:${port}`, 'POST', `/api/runs/${run?.id}/rerun`, undefined, { origin });
      expect(rerun.status).toBe(403);
    }
    expect(await runCount(h)).toBe(before);
    expect(((await call(h, 'GET', `/api/runs/${run?.id}`)).json as unknown as RunDetailView).status).toBe('QUEUED');
    // Reads from another origin are the browser's to refuse (no CORS headers); the CLI sends no Origin.
    expect((await callAddressedTo(h, `127.0.0.1:${port}`, 'GET', '/api/runs', undefined, { origin: 'https://evil.example' })).status).toBe(200);
    expect((await call(h, 'POST', `/api/runs/${run?.id}/cancel`)).json).toEqual({ id: run?.id, status: 'CANCELLED' });
  });

  it('without a token, answers requests addressed to localhost, 127.0.0.1 or [::1], with their port', async () => {
    const port = new URL(h.server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      const read = await callAddressedTo(h, host, 'GET', '/api/runs');
      expect({ host, status: read.status }).toEqual({ host, status: 200 });
    }
    const submitted = await callAddressedTo(h, `localhost:${port}`, 'POST', '/api/experiments', { ...multiply, name: 'api localhost' });
    expect(submitted.status).toBe(201);
    const [run] = (submitted.json as unknown as SubmissionResponse).runs;
    expect((await callAddressedTo(h, `[::1]:${port}`, 'POST', `/api/runs/${run?.id}/cancel`)).json).toEqual({ id: run?.id, status: 'CANCELLED' });
  });

  it('queues a definition (one job per run, job id = run id), lists it, and cancels it at once while queued', async () => {
    const { status, json } = await call(h, 'POST', '/api/experiments', multiply);
    expect(status).toBe(201);
    const [run] = (json as unknown as SubmissionResponse).runs;
    expect(run).toMatchObject({ name: 'api multiply', status: 'QUEUED', seed: 7 });
    expect(await h.producer.jobState(run?.id ?? '')).toBe('waiting');

    const list = (await call(h, 'GET', '/api/runs?status=QUEUED&name=MULTIPLY')).json as unknown as RunListResponse;
    expect(list.items.map((r) => r.id)).toContain(run?.id);

    const cancelled = await call(h, 'POST', `/api/runs/${run?.id}/cancel`);
    expect(cancelled.json).toEqual({ id: run?.id, status: 'CANCELLED' });
    expect(await h.producer.jobState(run?.id ?? '')).toBeUndefined();
    const detail = (await call(h, 'GET', `/api/runs/${run?.id}`)).json as unknown as RunDetailView;
    expect(detail.status).toBe('CANCELLED');
  });

  it('expands a sweep, and a resubmission queues only the trials without a run', async () => {
    const sweep = { name: `sweep-${randomBytes(3).toString('hex')}`, base: multiply, grid: { 'optimizer.learningRate': [0.01, 0.02] }, repeats: 2 };
    const first = (await call(h, 'POST', '/api/experiments', sweep)).json as unknown as SubmissionResponse;
    expect(first.runs).toHaveLength(4);
    expect(first.sweep).toMatchObject({ created: true, skipped: 0 });
    // A client follows exactly the runs it submitted; a page is the most it may name.
    const [a, b] = first.runs.map((r) => r.id);
    const followed = (await call(h, 'GET', `/api/runs?ids=${b},${a},${crypto.randomUUID()}`)).json as unknown as RunListResponse;
    expect(followed.items.map((r) => r.id).sort()).toEqual([a, b].sort());
    const tooMany = await call(h, 'GET', `/api/runs?ids=${Array.from({ length: 201 }, () => crypto.randomUUID()).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error?.issues?.[0]).toMatchObject({ path: 'ids', message: 'at most 200' });
    const notAnId = await call(h, 'GET', `/api/runs?ids=${a},nope`);
    expect(notAnId.status).toBe(400);
    expect(notAnId.json.error?.issues?.[0]).toMatchObject({ path: 'ids.1', message: 'must be a run id (a UUID)' });
    const cancelled = first.runs[0]?.id ?? '';
    await call(h, 'POST', `/api/runs/${cancelled}/cancel`);
    const again = (await call(h, 'POST', '/api/experiments', sweep)).json as unknown as SubmissionResponse;
    expect(again.sweep).toMatchObject({ id: first.sweep?.id, created: false, skipped: 3 });
    expect(again.runs).toHaveLength(1);
    expect(again.runs[0]?.name).toBe(first.runs[0]?.name);
    const changed = await call(h, 'POST', '/api/experiments', { ...sweep, repeats: 3 });
    expect(changed.status).toBe(400);
    expect(changed.json.error?.issues?.[0]?.path).toBe('name');
  });
});

describe('HTTP API: a trained run', () => {
  let h: Harness;
  let runId: string;
  beforeAll(async () => {
    h = await startHarness();
    // Record a real training through the ledger, as a worker would.
    const submitted = (await call(h, 'POST', '/api/experiments', multiply)).json as unknown as SubmissionResponse;
    runId = submitted.runs[0]?.id ?? '';
    await h.producer.remove(runId);
    const ledger = new PrismaRunLedger(h.db.prisma);
    const claimed = await ledger.claim(runId, { workerId: 'test', host: 'test' });
    if (!claimed) throw new Error('could not claim the run');
    const dataHome = await seedDataHome(await makeTempDir('api-data-'));
    for await (const event of runPipeline(withSeed(parseDefinition(claimed.definition)), { backend: 'cpu', dataHome })) {
      if (event.type === 'start') await ledger.recordStart(runId, claimed.attempt, event);
      if (event.type === 'epoch') await ledger.recordEpoch(runId, claimed.attempt, event.epoch, event.metrics, event.durationMs);
      if (event.type === 'done') await ledger.succeed(runId, claimed.attempt, event.result);
    }
  });
  afterAll(async () => stopHarness(h));

  it('shows the run with its epochs, summary and weights', async () => {
    const run = (await call(h, 'GET', `/api/runs/${runId}`)).json as unknown as RunDetailView;
    expect(run.status).toBe('SUCCEEDED');
    expect(run.currentEpoch).toBe(100);
    expect(run.artifacts.map((a) => a.kind).sort()).toEqual(['MODEL_TOPOLOGY', 'PREPROCESSOR', 'WEIGHTS']);
    // One dense neuron: a Keras-style summary with 2 parameters, and its learned w (near 3) and b.
    expect(run.summary).toMatchObject({ totalParams: 2, trainableParams: 2, layers: [{ className: 'Dense', params: 2 }] });
    const weights = run.weights as { layer: string; kernel: number[][]; bias: number[] }[];
    expect(weights).toHaveLength(1);
    expect(Math.abs((weights[0]?.kernel[0]?.[0] ?? NaN) - 3)).toBeLessThan(0.1);
    expect(weights[0]?.bias).toHaveLength(1);
    const { epochs } = (await call(h, 'GET', `/api/runs/${runId}/epochs`)).json as unknown as { epochs: { epoch: number }[] };
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('predicts raw inputs with the stored model and rejects rows of the wrong width', async () => {
    const { status, json } = await call(h, 'POST', `/api/runs/${runId}/predict`, { inputs: [[5], [-9]] });
    expect(status).toBe(200);
    const outputs = (json as unknown as { predictions: { output: number[] }[] }).predictions.map((p) => p.output[0] ?? NaN);
    expect(Math.abs((outputs[0] ?? NaN) - 15)).toBeLessThan(0.5);
    expect(Math.abs((outputs[1] ?? NaN) + 27)).toBeLessThan(1.5);
    const bad = await call(h, 'POST', `/api/runs/${runId}/predict`, { inputs: [[1, 2]] });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toMatch(/inputs\[0\]: must have 1 values/);
  });

  it('serves the model so that plain tf.loadLayersModel loads it and predicts the same', async () => {
    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(new URL(`/api/runs/${runId}/model/model.json`, h.server.url).toString());
    const prediction = tf.tidy(() => model.predict(tf.tensor2d([[5]])) as tf.Tensor);
    const [value] = await prediction.data();
    prediction.dispose();
    model.dispose();
    const api = (await call(h, 'POST', `/api/runs/${runId}/predict`, { inputs: [[5]] })).json as unknown as { predictions: { output: number[] }[] };
    expect(value).toBeCloseTo(api.predictions[0]?.output[0] ?? NaN, 5);
  });

  it('reruns with the same seed, recording which run it reproduces', async () => {
    const { status, json } = await call(h, 'POST', `/api/runs/${runId}/rerun`);
    expect(status).toBe(201);
    const rerun = (json as unknown as SubmissionResponse).runs[0];
    expect(rerun?.seed).toBe(7);
    const detail = (await call(h, 'GET', `/api/runs/${rerun?.id}`)).json as unknown as RunDetailView;
    expect(detail.reproducesRunId).toBe(runId);
  });

  it('streams live run events as server-sent events', async () => {
    const bus = new RunEventBus({ redisUrl: TEST_REDIS_URL, prefix: h.prefix });
    const controller = new AbortController();
    const response = await fetch(new URL(`/api/events?runs=${runId}`, h.server.url), { signal: controller.signal });
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no stream');
    await reader.read(); // ': connected'
    await bus.publish({ runId, type: 'epoch', epoch: 3, epochs: 100, metrics: { loss: 1.5 } });
    await bus.publish({ runId: crypto.randomUUID(), type: 'epoch', epoch: 1, epochs: 1 });
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    const event = JSON.parse(text.split('data: ')[1] ?? '{}') as LiveRunEvent;
    expect(event).toMatchObject({ runId, type: 'epoch', epoch: 3, metrics: { loss: 1.5 } });
    controller.abort();
    await bus.close();
  });
});

describe('HTTP API with TRAINYARD_API_TOKEN', () => {
  let h: Harness;
  const bearer = { authorization: 'Bearer s3cret' };
  beforeAll(async () => {
    // A loopback server may keep a short token; auth.int.spec.ts covers every read route.
    h = await startHarness('s3cret');
  });
  afterAll(async () => stopHarness(h));

  it('refuses changes and reads without the bearer token and accepts them with it', async () => {
    const before = await runCount(h);
    expect((await call(h, 'POST', '/api/experiments', multiply)).status).toBe(401);
    expect((await call(h, 'POST', '/api/experiments', multiply, { authorization: 'Bearer wrong!' })).status).toBe(401);
    expect(await runCount(h)).toBe(before);
    expect((await call(h, 'POST', '/api/experiments', multiply, bearer)).status).toBe(201);
    const read = await call(h, 'GET', '/api/runs');
    expect(read.status).toBe(401);
    expect(read.json.error?.message).toMatch(/TRAINYARD_API_TOKEN\) for reads as well as changes/);
    expect((await call(h, 'GET', '/api/runs', undefined, bearer)).status).toBe(200);
  });

  it("answers only requests addressed to the server's own names (DNS rebinding), token or not", async () => {
    const port = new URL(h.server.url).port;
    for (const [method, path] of [['GET', '/api/runs'], ['GET', '/healthz'], ['GET', '/'], ['POST', '/api/experiments']] as const) {
      const answer = await callAddressedTo(h, `evil.example:${port}`, method, path, method === 'POST' ? multiply : undefined, bearer);
      expect({ path, status: answer.status, code: answer.json.error?.code }).toEqual({ path, status: 403, code: 'HOST_NOT_ALLOWED' });
    }
    expect((await callAddressedTo(h, `evil.example:${port}`, 'GET', '/api/runs', undefined, bearer)).json.error?.message).toMatch(/TRAINYARD_ALLOWED_HOSTS/);
    expect((await callWithoutHost(h, '/api/runs')).status).toBe(403);
    expect((await callAddressedTo(h, `localhost:${port}`, 'GET', '/api/runs', undefined, bearer)).status).toBe(200);
  });
});

describe('the address the server listens on', () => {
  it('without a token, refuses any host but a loopback one; with a token of 32+ characters, listens there and says so', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    const options = { prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix: `test-api-host-${randomBytes(4).toString('hex')}`, port: 0 } as const;
    try {
      await expect(startServer({ ...options, host: '0.0.0.0' })).rejects.toThrow(/HOST=0\.0\.0\.0 .*needs TRAINYARD_API_TOKEN/);
      await expect(startServer({ ...options, host: '0.0.0.0', token: 'team-token' })).rejects.toThrow(
        /TRAINYARD_API_TOKEN is 10 characters long; .*\(HOST=0\.0\.0\.0\) needs one of at least 32: make one with `openssl rand -hex 32`/,
      );
      const shared = await startServer({ ...options, host: '0.0.0.0', token: randomBytes(32).toString('hex') });
      try {
        const port = new URL(shared.url).port;
        const config = (await (await fetch(`http://127.0.0.1:${port}/api/config`)).json()) as unknown;
        expect(config).toEqual({ tokenRequired: true, publicReads: false, host: '0.0.0.0', local: false });
      } finally {
        await shared.close();
      }
    } finally {
      await db.close();
    }
  });
});
