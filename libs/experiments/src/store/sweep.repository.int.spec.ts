import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaRunLedger } from './prisma-run-ledger.js';
import { RunRepository } from './run.repository.js';
import { SweepRepository } from './sweep.repository.js';
import { must, runResult, seedRun } from './testing/store-fixtures.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';

const worker = { workerId: 'w1', host: 'h' };

describe.each(TEST_DATABASE_KINDS)('SweepRepository summary and list on %s', (kind) => {
  let db: TestDatabase;
  let sweeps: SweepRepository;
  let ledger: PrismaRunLedger;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    sweeps = new SweepRepository(db.prisma);
    ledger = new PrismaRunLedger(db.prisma);
  });
  afterAll(() => db.close());

  async function succeed(runId: string, mae: number): Promise<void> {
    const { attempt } = must(await ledger.claim(runId, worker));
    await ledger.succeed(runId, attempt, runResult({ testMetrics: { loss: mae * 2, mae } }));
  }

  it('returns each trial once with its latest run: a resubmitted trial and a rerun replace the older run', async () => {
    const sweep = await sweeps.create({ name: `s-${randomUUID()}`, spec: { grid: { lr: [0.1] } }, specHash: 'h' });
    const a = await seedRun(db.prisma, { name: 'trial a', sweepId: sweep.id, trialKey: 'a', seed: 1 });
    const b = await seedRun(db.prisma, { name: 'trial b', sweepId: sweep.id, trialKey: 'b', seed: 2 });
    await succeed(a.runId, 0.5);
    await new RunRepository(db.prisma).markFailed([b.runId], 'internal', 'X', 'lost');
    // The sweep resubmitted: trial b gets a new experiment and run.
    const b2 = await seedRun(db.prisma, { name: 'trial b', sweepId: sweep.id, trialKey: 'b', seed: 2 });
    await succeed(b2.runId, 0.25);
    // Trial a rerun: a second run on the same experiment, queued later.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rerun = await new RunRepository(db.prisma).createQueued({ experimentId: a.experimentId, seed: 1, epochs: 3, reproducesRunId: a.runId });

    const summary = must(await sweeps.summary(sweep.id));
    expect(summary).toMatchObject({ id: sweep.id, name: sweep.name, spec: { grid: { lr: [0.1] } } });
    expect(summary.createdAt).toBeInstanceOf(Date);
    expect(summary.trials).toEqual([
      { runId: rerun.id, name: 'trial a', status: 'QUEUED', params: { lr: 0.1 }, seed: 1, testMetrics: null },
      { runId: b2.runId, name: 'trial b', status: 'SUCCEEDED', params: { lr: 0.1 }, seed: 2, testMetrics: { loss: 0.5, mae: 0.25 } },
    ]);
  });

  it('answers null for an unknown sweep and an empty trial list for a sweep without runs', async () => {
    expect(await sweeps.summary(randomUUID())).toBeNull();
    const empty = await sweeps.create({ name: `empty-${randomUUID()}`, spec: {}, specHash: 'h' });
    expect(must(await sweeps.summary(empty.id)).trials).toEqual([]);
  });

  it('lists sweeps newest first with run counts by status, bounded by the limit', async () => {
    const older = await sweeps.create({ name: `older-${randomUUID()}`, spec: {}, specHash: 'h' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await sweeps.create({ name: `newer-${randomUUID()}`, spec: {}, specHash: 'h' });
    const done = await seedRun(db.prisma, { sweepId: newer.id, trialKey: 'x' });
    await succeed(done.runId, 0.1);
    await seedRun(db.prisma, { sweepId: newer.id, trialKey: 'y' });
    await seedRun(db.prisma, { sweepId: newer.id, trialKey: 'z' });

    const { items: list, nextCursor } = await sweeps.list();
    expect(nextCursor).toBeNull();
    expect(list[0]).toEqual({ id: newer.id, name: newer.name, createdAt: expect.any(Date), runs: { QUEUED: 2, RUNNING: 0, SUCCEEDED: 1, FAILED: 0, CANCELLED: 0 } });
    expect(list[1]).toMatchObject({ id: older.id, runs: { QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 } });
    expect((await sweeps.list({ limit: 1 })).items).toHaveLength(1);
    await expect(sweeps.list({ limit: 201 })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('pages through the sweeps with a cursor: every sweep once, newest first, then no cursor', async () => {
    // Some share a creation time to the millisecond: the id orders them.
    for (let i = 0; i < 5; i++) await sweeps.create({ name: `paged-${i}-${randomUUID()}`, spec: {}, specHash: 'h' });
    const { items: all } = await sweeps.list();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < all.length + 1; page++) {
      const result = await sweeps.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(result.items.length).toBeLessThanOrEqual(2);
      seen.push(...result.items.map((sweep) => sweep.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(all.map((sweep) => sweep.id));
    await expect(sweeps.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'INVALID' });
    const forge = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [{ t: new Date().toISOString(), id: '-'.repeat(36) }, { t: '+010000-01-01T00:00:00.000Z', id: randomUUID() }]) {
      await expect(sweeps.list({ cursor: forge(cursor) })).rejects.toMatchObject({ code: 'INVALID' });
    }
  });
});
