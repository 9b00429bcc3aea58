import { randomBytes, randomUUID } from 'node:crypto';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import {
  DEFAULT_SERVER_LIMITS,
  parseDefinition,
  PrismaRunLedger,
  RunProducer,
  runPipeline,
  submitRuns,
  withSeed,
  type SweepDetailResponse,
  type SweepListResponse,
} from '@trainyard/experiments';
import { deleteQueueKeys, openTestDatabase, sumDefinition, TEST_REDIS_URL, type TestDatabase } from '@trainyard/experiments/testing';
import { initBackend } from '@trainyard/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.js';

/** The notebook's adder, 5 epochs: two learning rates x two seeds = 4 runs. */
const sweepSpec = (name: string) => ({
  name,
  base: { ...sumDefinition('sweep sum', 40), seed: 3, split: { test: 0.25 }, epochs: 5 },
  grid: { 'optimizer.learningRate': [0.01, 0.05] },
  repeats: 2,
});

describe('HTTP API: sweeps', () => {
  const suffix = randomBytes(5).toString('hex');
  const prefix = `test-sweeps-${suffix}`;
  let db: TestDatabase;
  let producer: RunProducer;
  let server: RunningServer;
  let url: string;
  let sweepId: string;
  /** runId -> test metrics of the runs trained to SUCCEEDED. */
  const trained = new Map<string, Record<string, number>>();
  let queuedRunId: string;

  beforeAll(async () => {
    await initBackend('cpu');
    db = await openTestDatabase('postgres');
    producer = new RunProducer({ redisUrl: TEST_REDIS_URL, prefix });
    server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix, host: '127.0.0.1', port: 0 });
    url = server.url;

    const submitted = await submitRuns(sweepSpec(`sweep-${suffix}`), { prisma: db.prisma, queue: producer, limits: DEFAULT_SERVER_LIMITS });
    sweepId = submitted.sweep?.id ?? '';
    // Train three of the four runs as a worker would; the last stays QUEUED.
    const ledger = new PrismaRunLedger(db.prisma);
    const dataHome = await seedDataHome(await makeTempDir('sweeps-data-'));
    const [first, second, third, fourth] = submitted.runs;
    queuedRunId = fourth?.id ?? '';
    for (const run of [first, second, third]) {
      const runId = run?.id ?? '';
      await producer.remove(runId);
      const claimed = await ledger.claim(runId, { workerId: 'test', host: 'test' });
      if (!claimed) throw new Error('could not claim the run');
      for await (const event of runPipeline(withSeed(parseDefinition(claimed.definition)), { backend: 'cpu', dataHome })) {
        if (event.type === 'start') await ledger.recordStart(runId, claimed.attempt, event);
        if (event.type === 'epoch') await ledger.recordEpoch(runId, claimed.attempt, event.epoch, event.metrics, event.durationMs);
        if (event.type === 'done') {
          await ledger.succeed(runId, claimed.attempt, event.result);
          trained.set(runId, event.result.testMetrics);
        }
      }
    }
  });

  afterAll(async () => {
    await server?.close();
    await producer?.close();
    await deleteQueueKeys(TEST_REDIS_URL, prefix);
    await db?.close();
  });

  async function get<T>(path: string): Promise<{ status: number; json: T & { error?: { code: string; issues?: { path: string }[] } } }> {
    const response = await fetch(new URL(path, url));
    return { status: response.status, json: (await response.json()) as T & { error?: { code: string; issues?: { path: string }[] } } };
  }

  it('lists the sweep with its run counts by status', async () => {
    const { status, json } = await get<SweepListResponse>('/api/sweeps');
    expect(status).toBe(200);
    expect(json.items).toEqual([
      { id: sweepId, name: `sweep-${suffix}`, createdAt: expect.any(String), runs: { QUEUED: 1, RUNNING: 0, SUCCEEDED: 3, FAILED: 0, CANCELLED: 0 } },
    ]);
    expect(json.nextCursor).toBeNull();
  });

  it('pages the sweep list and refuses a page size over 200 or a cursor it did not issue', async () => {
    const page = await get<SweepListResponse>('/api/sweeps?limit=1');
    expect(page.status).toBe(200);
    expect(page.json.items).toHaveLength(1);
    expect((await get('/api/sweeps?limit=201')).json.error?.issues?.[0]?.path).toBe('limit');
    const forged = await get('/api/sweeps?cursor=forged');
    expect(forged.status).toBe(400);
    expect(forged.json.error?.code).toBe('INVALID');
  });

  it('shows the trials, the varied parameter, mean ± std per configuration and the best trial by the default metric (mae)', async () => {
    const { status, json } = await get<SweepDetailResponse>(`/api/sweeps/${sweepId}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: sweepId, name: `sweep-${suffix}`, params: ['optimizer.learningRate'], metric: 'mae' });
    expect((json.spec as { grid: unknown }).grid).toEqual({ 'optimizer.learningRate': [0.01, 0.05] });
    expect(json.trials).toHaveLength(4);
    expect(json.trials.map((t) => [t.params['optimizer.learningRate'], t.seed]).sort()).toEqual([
      [0.01, 3],
      [0.01, 4],
      [0.05, 3],
      [0.05, 4],
    ]);
    for (const trial of json.trials) {
      expect(trial.status).toBe(trial.runId === queuedRunId ? 'QUEUED' : 'SUCCEEDED');
      expect(trial.testMetrics).toEqual(trial.runId === queuedRunId ? null : trained.get(trial.runId));
      if (trial.testMetrics) expect(Object.keys(trial.testMetrics)[0]).toBe('loss');
    }

    // The configuration with both repeats trained: mean and sample std of their test MAE.
    const full = json.groups.find((g) => g.succeeded === 2);
    const partial = json.groups.find((g) => g.succeeded === 1);
    expect(json.groups).toHaveLength(2);
    const [a = NaN, b = NaN] = (full?.runs ?? []).map((id) => trained.get(id)?.['mae'] ?? NaN);
    expect(full?.metrics['mae']?.mean).toBeCloseTo((a + b) / 2, 10);
    // Sample std of two values: |a - b| / sqrt(2).
    expect(full?.metrics['mae']?.std).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 10);
    expect(partial?.runs).toContain(queuedRunId);
    expect(partial?.metrics['mae']?.std).toBe(0);

    const best = [...trained.entries()].reduce((a, b) => ((b[1]['mae'] ?? Infinity) < (a[1]['mae'] ?? Infinity) ? b : a));
    expect(json.best).toEqual({ runId: best[0], metric: 'mae', value: best[1]['mae'] });
  });

  it('chooses the best trial by ?metric=r2 as the largest', async () => {
    const { json } = await get<SweepDetailResponse>(`/api/sweeps/${sweepId}?metric=r2`);
    const best = [...trained.entries()].reduce((a, b) => ((b[1]['r2'] ?? -Infinity) > (a[1]['r2'] ?? -Infinity) ? b : a));
    expect(json.best).toEqual({ runId: best[0], metric: 'r2', value: best[1]['r2'] });
  });

  it('answers 404 for an unknown sweep and 400 for a non-uuid id or a bad metric', async () => {
    expect((await get(`/api/sweeps/${randomUUID()}`)).status).toBe(404);
    const notUuid = await get('/api/sweeps/not-a-uuid');
    expect(notUuid.status).toBe(400);
    expect(notUuid.json.error?.issues?.[0]?.path).toBe('id');
    const badMetric = await get(`/api/sweeps/${sweepId}?metric=MAE;drop`);
    expect(badMetric.status).toBe(400);
    expect(badMetric.json.error?.issues?.[0]?.path).toBe('metric');
  });
});
