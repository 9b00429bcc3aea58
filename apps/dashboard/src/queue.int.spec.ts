import { randomBytes } from 'node:crypto';
import { PrismaRunLedger, RunProducer, type QueueResponse, type SubmissionResponse } from '@trainyard/experiments';
import { multiplyDefinition, openTestDatabase, startTestQueueWorker, TEST_REDIS_URL, type TestDatabase, type TestQueueWorker } from '@trainyard/experiments/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.js';

const multiply = multiplyDefinition('queue multiply');

/*
 * GET /api/queue against a real server, PostgreSQL and Redis, with a real BullMQ worker on the
 * server's queue. The worker claims its runs as apps/worker does (through the ledger, under its
 * BullMQ name), records an epoch and holds them, so the test decides when they end.
 */
describe('GET /api/queue', () => {
  const suffix = randomBytes(5).toString('hex');
  const prefix = `test-queue-${suffix}`;
  const workerName = `queue-int-${suffix}:4242`;
  let db: TestDatabase;
  let server: RunningServer;
  let producer: RunProducer;
  let ledger: PrismaRunLedger;
  let worker: TestQueueWorker | undefined;
  /** Runs the worker holds, by id: resolving one lets its job finish. */
  const held = new Map<string, () => void>();

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: TEST_REDIS_URL, prefix, host: '127.0.0.1', port: 0 });
    producer = new RunProducer({ redisUrl: TEST_REDIS_URL, prefix });
    ledger = new PrismaRunLedger(db.prisma);
  });
  afterAll(async () => {
    for (const release of held.values()) release();
    await worker?.close();
    await server?.close();
    await producer?.close();
    await db?.close();
  });

  async function get(): Promise<QueueResponse> {
    const response = await fetch(new URL('/api/queue', server.url));
    expect(response.status).toBe(200);
    return (await response.json()) as QueueResponse;
  }

  async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`waited 30 s for ${what}; last: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function submit(): Promise<string> {
    const response = await fetch(new URL('/api/experiments', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(multiply),
    });
    const submitted = (await response.json()) as SubmissionResponse;
    return submitted.runs[0]?.id ?? '';
  }

  it("shows the worker with the runs it trains, and a dead worker's runs as orphans", async () => {
    // Claimed by a worker that is gone (before ours starts, so that it cannot take the job).
    const orphan = await submit();
    expect(await producer.remove(orphan)).toBe(true);
    await ledger.claim(orphan, { workerId: 'gone-host:1:dead', host: 'gone-host' });
    worker = await startTestQueueWorker({
      redisUrl: TEST_REDIS_URL,
      prefix,
      name: workerName,
      concurrency: 2,
      process: async (runId) => {
        const claimed = await ledger.claim(runId, { workerId: workerName, host: 'int-host' });
        if (!claimed) return;
        await ledger.recordEpoch(runId, claimed.attempt, 3, { loss: 1 }, 10);
        await new Promise<void>((resolve) => held.set(runId, resolve));
        await ledger.cancelled(runId, claimed.attempt);
      },
    });
    const [a, b] = [await submit(), await submit()];

    const queue = await poll('both runs held', get, (q) => q.workers[0]?.runsTotal === 2 && q.workers[0].runs.every((run) => run.currentEpoch === 3));
    expect(queue.workersTotal).toBe(1);
    expect(queue.workers).toHaveLength(1);
    const [shown] = queue.workers;
    expect(shown?.name).toBe(workerName);
    expect(shown?.addr).toMatch(/:\d+$/);
    expect(shown?.connectedSeconds).toBeGreaterThanOrEqual(0);
    expect(shown?.runs.map((run) => run.id).sort()).toEqual([a, b].sort());
    for (const run of shown?.runs ?? []) {
      expect(run).toMatchObject({ name: 'queue multiply', currentEpoch: 3, epochs: 100, host: 'int-host', workerId: workerName });
      expect(Math.abs(Date.parse(run.heartbeatAt ?? '') - Date.now())).toBeLessThan(60_000);
    }
    expect(queue.orphanRuns).toEqual({ total: 1, runs: [expect.objectContaining({ id: orphan, name: 'queue multiply', workerId: 'gone-host:1:dead', host: 'gone-host' })] });
    expect(queue.counts.active).toBe(2);

    // A run that ends leaves the worker's row at the next read.
    held.get(a ?? '')?.();
    const after = await poll('run a to end', get, (q) => q.workers[0]?.runsTotal === 1);
    expect(after.workers[0]?.runs.map((run) => run.id)).toEqual([b]);

    // The worker dies with run b in hand: b is running on no connected worker.
    await worker.close();
    worker = undefined;
    const dead = await poll('the worker to disconnect', get, (q) => q.workersTotal === 0);
    expect(dead.workers).toEqual([]);
    expect(dead.orphanRuns.total).toBe(2);
    expect(dead.orphanRuns.runs.map((run) => run.id).sort()).toEqual([orphan, b].sort());
  });
});
