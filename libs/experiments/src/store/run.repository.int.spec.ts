import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaRunLedger } from './prisma-run-ledger.js';
import { RunRepository } from './run.repository.js';
import { StoreError } from './store-error.js';
import type { RunPageQuery, RunListSort } from './store-types.js';
import { SweepRepository } from './sweep.repository.js';
import { must, runResult, seedRun, startEvent } from './testing/store-fixtures.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';

const worker = { workerId: 'w1', host: 'h' };

describe.each(TEST_DATABASE_KINDS)('RunRepository on %s', (kind) => {
  let db: TestDatabase;
  let runs: RunRepository;
  let ledger: PrismaRunLedger;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    runs = new RunRepository(db.prisma);
    ledger = new PrismaRunLedger(db.prisma);
  });
  afterAll(() => db.close());

  /** Runs in a dataset of their own, so each test lists only its runs. */
  async function seedSucceeded(dataset: string, name: string, metrics: Record<string, number>): Promise<string> {
    const { runId } = await seedRun(db.prisma, { dataset, name });
    const { attempt } = must(await ledger.claim(runId, worker));
    await ledger.succeed(runId, attempt, runResult({ testMetrics: metrics }));
    return runId;
  }

  async function allPages(query: RunPageQuery): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await runs.list({ ...query, ...(cursor ? { cursor } : {}) });
      expect(result.items.length).toBeLessThanOrEqual(query.limit ?? 50);
      ids.push(...result.items.map((item) => item.id));
      if (!result.nextCursor) return ids;
      cursor = result.nextCursor;
    }
    throw new Error('pagination did not end');
  }

  it("lists a sweep trial's varied parameters with the run, and null for a run outside a sweep", async () => {
    const dataset = `ds-${randomUUID()}`;
    const trial = await seedRun(db.prisma, { dataset, name: 'trial', trialKey: 'lr=0.1' });
    const single = await seedRun(db.prisma, { dataset, name: 'single' });
    const items = (await runs.list({ dataset })).items;
    expect(items.find((r) => r.id === trial.runId)?.params).toEqual({ lr: 0.1 });
    expect(items.find((r) => r.id === single.runId)?.params).toBeNull();
    expect((await runs.find(trial.runId))?.params).toEqual({ lr: 0.1 });
  });

  it('sorts by a test metric, NULLs last, ties by id, and pages through without repeats or gaps', async () => {
    const dataset = `ds-${randomUUID()}`;
    const maes = [0.3, 0.1, 0.3, 0.2, 0.3, undefined, undefined, 0.1];
    const seeded: { id: string; mae: number | undefined }[] = [];
    for (const [i, mae] of maes.entries()) {
      const id = await seedSucceeded(dataset, `run-${i}`, mae === undefined ? { loss: 1 } : { loss: 1, mae });
      seeded.push({ id, mae });
    }
    const byMae = (descending: boolean) =>
      [...seeded]
        .sort((a, b) => {
          if (a.mae === undefined || b.mae === undefined) return a.mae === b.mae ? 0 : a.mae === undefined ? 1 : -1;
          return descending ? b.mae - a.mae : a.mae - b.mae;
        })
        .sort((a, b) => (a.mae === b.mae ? (a.id < b.id === !descending ? -1 : 1) : 0))
        .map((r) => r.id);
    for (const descending of [false, true]) {
      const sort: RunListSort = { field: 'metric', metric: 'mae', descending };
      const expected = byMae(descending);
      for (const limit of [1, 2, 3, 200]) expect(await allPages({ dataset, sort, limit })).toEqual(expected);
    }
    const page = await runs.list({ dataset, sort: { field: 'metric', metric: 'mae', descending: false }, limit: 2 });
    expect(page.items.map((item) => item.testMetrics?.['mae'])).toEqual([0.1, 0.1]);
  });

  it('sorts by name and by time with ties and NULLs (runs never started) last', async () => {
    const dataset = `ds-${randomUUID()}`;
    const a1 = await seedSucceeded(dataset, 'alpha', {});
    const b = (await seedRun(db.prisma, { dataset, name: 'beta' })).runId; // never started
    const a2 = await seedSucceeded(dataset, 'alpha', {});
    const byName = await allPages({ dataset, sort: { field: 'name', descending: false }, limit: 1 });
    expect(byName.slice(0, 2).sort()).toEqual([a1, a2].sort());
    expect(byName[2]).toBe(b);
    const byStarted = await allPages({ dataset, sort: { field: 'startedAt', descending: true }, limit: 1 });
    expect(byStarted).toEqual([a2, a1, b]);
    expect(await allPages({ dataset, limit: 2 })).toEqual([a2, b, a1]); // default: newest queued first
  });

  it('filters by status, name (case-insensitive substring), dataset, sweep, run ids and a run id prefix', async () => {
    const dataset = `ds-${randomUUID()}`;
    const sweep = await new SweepRepository(db.prisma).create({ name: `sweep-${randomUUID()}`, spec: { grid: {} }, specHash: 'h' });
    const done = await seedSucceeded(dataset, 'California-LR-0.01', { mae: 0.5 });
    const queued = (await seedRun(db.prisma, { dataset, name: 'california-lr-0.1', sweepId: sweep.id, trialKey: 'lr=0.1' })).runId;
    const other = (await seedRun(db.prisma, { dataset, name: 'iris' })).runId;
    const ids = async (query: RunPageQuery) => (await runs.list({ dataset, ...query })).items.map((item) => item.id).sort();
    expect(await ids({ status: ['QUEUED'] })).toEqual([queued, other].sort());
    expect(await ids({ status: ['SUCCEEDED', 'FAILED'] })).toEqual([done]);
    expect(await ids({ name: 'CALIFORNIA' })).toEqual([done, queued].sort());
    expect(await ids({ name: '%' })).toEqual([]);
    expect(await ids({ sweepId: sweep.id })).toEqual([queued]);
    expect(await ids({ ids: [done, other] })).toEqual([done, other].sort());
    expect(await ids({ ids: [other, randomUUID()], status: ['QUEUED'] })).toEqual([other]);
    expect(await ids({ ids: [] })).toEqual([]);
    expect(await ids({ idPrefix: done.slice(0, 8) })).toEqual([done]);
    expect(await ids({ idPrefix: done })).toEqual([done]);
    expect(await ids({ idPrefix: '%' })).toEqual([]);
    expect(await runs.list({ dataset: `${dataset}-none` })).toEqual({ items: [], nextCursor: null });
    const [item] = (await runs.list({ sweepId: sweep.id })).items;
    expect(item).toMatchObject({ name: 'california-lr-0.1', dataset, sweepId: sweep.id, sweepName: sweep.name, status: 'QUEUED' });
  });

  it('rejects a cursor from another sort and a limit out of range', async () => {
    const dataset = `ds-${randomUUID()}`;
    await seedRun(db.prisma, { dataset });
    await seedRun(db.prisma, { dataset });
    const { nextCursor } = await runs.list({ dataset, limit: 1 });
    const wrong = runs.list({ dataset, cursor: must(nextCursor), sort: { field: 'name', descending: false } });
    await expect(wrong).rejects.toMatchObject({ name: 'StoreError', code: 'INVALID' });
    await expect(runs.list({ dataset, cursor: 'garbage' })).rejects.toBeInstanceOf(StoreError);
    // Forged cursors of the right sort: a key or an id PostgreSQL could not cast is still INVALID, not an SQL error.
    const forge = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = randomUUID();
    for (const [sort, cursor] of [
      [undefined, { s: '-queuedAt', v: 'yesterday', id }],
      [undefined, { s: '-queuedAt', v: '2026-11-27 10:00:00', id: '-'.repeat(36) }],
      [{ field: 'metric', metric: 'mae', descending: false }, { s: 'metric:mae', v: 'abc', id }],
    ] as const) {
      await expect(runs.list({ dataset, cursor: forge(cursor), ...(sort ? { sort } : {}) })).rejects.toMatchObject({ code: 'INVALID' });
    }
    const fine = await runs.list({ dataset, cursor: forge({ s: '-queuedAt', v: '2999-01-01 00:00:00', id }) });
    expect(fine.items).toHaveLength(2);
    await expect(runs.list({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(runs.list({ limit: 201 })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('returns a run with its experiment and sweep', async () => {
    const sweep = await new SweepRepository(db.prisma).create({ name: `sweep-${randomUUID()}`, spec: { repeats: 2 }, specHash: 'h' });
    const { runId, experimentId } = await seedRun(db.prisma, { name: 'detail', sweepId: sweep.id, trialKey: 'k1', seed: 99 });
    expect(await runs.get(runId)).toMatchObject({
      id: runId,
      experimentId,
      name: 'detail',
      status: 'QUEUED',
      seed: 99,
      attempt: 0,
      definition: { name: 'detail', seed: 99 },
      sweepId: sweep.id,
      sweepName: sweep.name,
      trialKey: 'k1',
      params: { lr: 0.1 },
      releases: [],
      env: null,
    });
    expect(await runs.get(randomUUID())).toBeNull();
  });

  it('marks failed only the runs still queued', async () => {
    const queued = (await seedRun(db.prisma)).runId;
    const running = (await seedRun(db.prisma)).runId;
    await ledger.claim(running, worker);
    expect(await runs.markFailed([queued, running], 'internal', 'ENQUEUE_FAILED', 'Redis is unreachable')).toBe(1);
    expect(await runs.get(queued)).toMatchObject({ status: 'FAILED', errorKind: 'internal', errorCode: 'ENQUEUE_FAILED', error: 'Redis is unreachable' });
    expect((await runs.get(queued))?.finishedAt).toBeInstanceOf(Date);
    expect(await runs.get(running)).toMatchObject({ status: 'RUNNING', errorCode: null });
  });

  it('cancels a queued run at once, flags a running one, leaves a finished one', async () => {
    const queued = (await seedRun(db.prisma)).runId;
    expect(await runs.requestCancel(queued)).toBe('QUEUED');
    expect(await runs.get(queued)).toMatchObject({ status: 'CANCELLED' });
    expect((await runs.get(queued))?.finishedAt).toBeInstanceOf(Date);
    const running = (await seedRun(db.prisma)).runId;
    await ledger.claim(running, worker);
    expect(await runs.requestCancel(running)).toBe('RUNNING');
    expect(await runs.get(running)).toMatchObject({ status: 'RUNNING', cancelRequested: true });
    const done = await seedSucceeded('any', 'done', {});
    expect(await runs.requestCancel(done)).toBe('SUCCEEDED');
    expect(await runs.get(done)).toMatchObject({ status: 'SUCCEEDED', cancelRequested: false });
    await expect(runs.requestCancel(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finds runs whose worker stopped beating, and queued runs for the reconciler', async () => {
    const stale = (await seedRun(db.prisma)).runId;
    const fresh = (await seedRun(db.prisma)).runId;
    const queued = (await seedRun(db.prisma)).runId;
    await ledger.claim(stale, worker);
    await ledger.claim(fresh, worker);
    await db.prisma.run.update({ where: { id: stale }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    const found = await runs.findStale({ heartbeatOlderThan: new Date(Date.now() - 30_000) });
    expect(found.map((r) => r.id)).toContain(stale);
    expect(found.map((r) => r.id)).not.toContain(fresh);
    expect(found.find((r) => r.id === stale)).toMatchObject({ attempt: 1, workerId: 'w1' });
    const queuedIds = await runs.findQueued();
    expect(queuedIds).toContain(queued);
    expect(queuedIds).not.toContain(stale);
    expect(await runs.findQueued({ queuedBefore: new Date(Date.now() - 3_600_000) })).toEqual([]);
  });

  it("lists the running runs of each listed worker and those of no connected worker, each group cut to its limit, with a packed run's pack size", async () => {
    // Worker ids of their own: the database holds the other tests' RUNNING runs too.
    const tag = randomUUID().slice(0, 8);
    const [busy, idle, unlisted, gone] = ['busy', 'idle', 'unlisted', 'gone'].map((name) => `${name}-${tag}`) as [string, string, string, string];
    const claimAs = async (workerId: string, name: string, startedAt: Date): Promise<string> => {
      const { runId } = await seedRun(db.prisma, { name, epochs: 40 });
      await ledger.claim(runId, { workerId, host: `host-${workerId}` });
      await db.prisma.run.update({ where: { id: runId }, data: { startedAt } });
      return runId;
    };
    const now = Date.now();
    const minutesAgo = (m: number) => new Date(now - m * 60_000);
    const busyRuns = [await claimAs(busy, 'b-new', minutesAgo(1)), await claimAs(busy, 'b-old', minutesAgo(3)), await claimAs(busy, 'b-mid', minutesAgo(2))];
    await ledger.recordEpoch(must(busyRuns[1]), 1, 7, { loss: 1 }, 5);
    // b-old trains in a pack of 3 (its start says so, as a packed run's does); b-mid alone.
    expect(await ledger.recordStart(must(busyRuns[1]), 1, { ...startEvent, pack: { size: 3, runIds: [must(busyRuns[1]), randomUUID(), randomUUID()] } })).toBe(true);
    expect(await ledger.recordStart(must(busyRuns[2]), 1, startEvent)).toBe(true);
    const unlistedRun = await claimAs(unlisted, 'u', minutesAgo(1));
    const goneRuns = [await claimAs(gone, 'g-1', minutesAgo(5)), await claimAs(gone, 'g-2', minutesAgo(4))];
    const finished = await seedSucceeded('any', 'finished', {});
    await db.prisma.run.update({ where: { id: finished }, data: { workerId: busy } });

    const result = await runs.runningByWorker({ workerIds: [busy, idle], connectedWorkerIds: [busy, idle, unlisted], perWorker: 2, orphanLimit: 200 });
    const mine = (ids: string[]) => ids.filter((id) => [...busyRuns, unlistedRun, ...goneRuns].includes(id));
    // The two longest running of three, oldest first, with the worker's total.
    expect(result.byWorker.get(busy)?.runs.map((r) => r.name)).toEqual(['b-old', 'b-mid']);
    expect(result.byWorker.get(busy)?.total).toBe(3);
    expect(result.byWorker.get(busy)?.runs[0]).toMatchObject({ id: busyRuns[1], workerId: busy, host: `host-${busy}`, currentEpoch: 7, epochs: 40 });
    expect(result.byWorker.get(busy)?.runs[0]?.heartbeatAt).toBeInstanceOf(Date);
    expect(result.byWorker.get(busy)?.runs[0]?.startedAt?.getTime()).toBe(minutesAgo(3).getTime());
    expect(result.byWorker.get(busy)?.runs.map((r) => r.packSize)).toEqual([3, null]);
    expect(result.byWorker.has(idle)).toBe(false);
    // Connected but not listed: neither a listed worker's run nor an orphan.
    expect(result.byWorker.has(unlisted)).toBe(false);
    expect(mine(result.orphans.runs.map((r) => r.id))).toEqual(goneRuns);
    // Not started yet (no env): no pack either.
    expect(result.orphans.runs.find((r) => r.id === goneRuns[0])).toMatchObject({ name: 'g-1', workerId: gone, packSize: null });

    const fewer = await runs.runningByWorker({ workerIds: [busy], perWorker: 1, orphanLimit: 1 });
    expect(fewer.byWorker.get(busy)).toMatchObject({ runs: [{ id: busyRuns[1] }], total: 3 });
    // Without connectedWorkerIds, only the listed workers count as connected.
    expect(fewer.orphans.runs).toHaveLength(1);
    expect(fewer.orphans.total).toBeGreaterThanOrEqual(3);

    await runs.requestCancel(must(busyRuns[1]));
    await ledger.cancelled(must(busyRuns[1]), 1);
    expect((await runs.runningByWorker({ workerIds: [busy], perWorker: 50, orphanLimit: 1 })).byWorker.get(busy)?.runs.map((r) => r.name)).toEqual(['b-mid', 'b-new']);

    await expect(runs.runningByWorker({ workerIds: [busy], perWorker: 0, orphanLimit: 1 })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(runs.runningByWorker({ workerIds: Array.from({ length: 201 }, (_, i) => `w${i}`), perWorker: 1, orphanLimit: 1 })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('names the trials of a sweep that a resubmission must skip', async () => {
    const sweep = await new SweepRepository(db.prisma).create({ name: `sweep-${randomUUID()}`, spec: {}, specHash: 'h' });
    const trial = (key: string) => seedRun(db.prisma, { sweepId: sweep.id, trialKey: key });
    await trial('queued');
    const running = await trial('running');
    await ledger.claim(running.runId, worker);
    const succeeded = await trial('succeeded');
    await ledger.succeed(succeeded.runId, must(await ledger.claim(succeeded.runId, worker)).attempt, runResult());
    const failed = await trial('failed');
    await ledger.fail(failed.runId, must(await ledger.claim(failed.runId, worker)).attempt, { kind: 'training', code: 'NAN_LOSS', message: 'nan', retryable: false });
    const cancelled = await trial('cancelled');
    await runs.requestCancel(cancelled.runId);
    expect([...(await runs.activeOrSucceededTrialKeys(sweep.id))].sort()).toEqual(['queued', 'running', 'succeeded']);
  });

  it('finds a sweep by name and refuses a second sweep of the same name', async () => {
    const sweeps = new SweepRepository(db.prisma);
    const name = `sweep-${randomUUID()}`;
    const created = await sweeps.create({ name, spec: { grid: { 'optimizer.learningRate': [0.1, 0.01] } }, specHash: 'abc' });
    expect(await sweeps.findByName(name)).toEqual(created);
    expect(await sweeps.findByName(`${name}-missing`)).toBeNull();
    await expect(sweeps.create({ name, spec: {}, specHash: 'x' })).rejects.toMatchObject({ name: 'StoreError', code: 'CONFLICT' });
  });
});
