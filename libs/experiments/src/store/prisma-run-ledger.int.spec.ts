import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactRepository } from './artifact.repository.js';
import { EpochMetricRepository } from './epoch-metric.repository.js';
import { RunRepository } from './run.repository.js';
import { must, runResult, seedRun, startEvent } from './testing/store-fixtures.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';
import { PrismaRunLedger } from './prisma-run-ledger.js';

const worker = { workerId: 'w1', host: 'host-1' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(TEST_DATABASE_KINDS)('PrismaRunLedger on %s', (kind) => {
  let db: TestDatabase;
  let ledger: PrismaRunLedger;
  let runs: RunRepository;
  let epochs: EpochMetricRepository;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    ledger = new PrismaRunLedger(db.prisma);
    runs = new RunRepository(db.prisma);
    epochs = new EpochMetricRepository(db.prisma);
  });
  afterAll(() => db.close());

  it('claims a queued run with the definition and its seed, and a redelivery with the next attempt', async () => {
    const { runId } = await seedRun(db.prisma, { seed: 1234 });
    const first = await ledger.claim(runId, worker);
    expect(first).toMatchObject({ runId, attempt: 1, definition: { name: 'notebook-1-multiply', seed: 1234 } });
    const second = await ledger.claim(runId, { workerId: 'w2', host: 'host-2' });
    expect(second?.attempt).toBe(2);
    expect(await runs.get(runId)).toMatchObject({ status: 'RUNNING', attempt: 2, workerId: 'w2', host: 'host-2' });
    expect((await runs.get(runId))?.startedAt).toBeInstanceOf(Date);
  });

  it('ignores every write of an attempt that no longer owns the run', async () => {
    const { runId } = await seedRun(db.prisma);
    await ledger.claim(runId, worker);
    await ledger.claim(runId, worker); // redelivered: attempt 2 owns the run now
    expect(await ledger.recordStart(runId, 1, startEvent)).toBe(false);
    expect(await ledger.recordEpoch(runId, 1, 1, { loss: 9 }, 5)).toBe(false);
    expect(await ledger.heartbeat(runId, 1)).toEqual({ owned: false, cancelRequested: false });
    expect(await ledger.succeed(runId, 1, runResult())).toBe(false);
    expect(await ledger.fail(runId, 1, { kind: 'training', code: 'NAN_LOSS', message: 'x', retryable: false })).toBe(false);
    expect(await ledger.cancelled(runId, 1)).toBe(false);
    expect(await ledger.release(runId, 1, 'late')).toBe(false);
    const run = await runs.get(runId);
    expect(run).toMatchObject({ status: 'RUNNING', attempt: 2, currentEpoch: 0, backend: null, testMetrics: null, releases: [] });
    expect(await epochs.list(runId)).toEqual([]);
    expect(await new ArtifactRepository(db.prisma).list(runId)).toEqual([]);

    expect(await ledger.recordStart(runId, 2, startEvent)).toBe(true);
    expect(await runs.get(runId)).toMatchObject({ backend: 'cpu', datasetHash: 'd'.repeat(64), summary: startEvent.summary, env: { split: startEvent.split } });
  });

  it('writes an epoch once however often it is recorded', async () => {
    const { runId } = await seedRun(db.prisma);
    const claim = await ledger.claim(runId, worker);
    expect(await ledger.recordEpoch(runId, must(claim).attempt, 1, { loss: 0.5 }, 10)).toBe(true);
    expect(await ledger.recordEpoch(runId, must(claim).attempt, 1, { loss: 0.5 }, 10)).toBe(true);
    expect(await ledger.recordEpoch(runId, must(claim).attempt, 2, { loss: 0.25 }, 11)).toBe(true);
    const rows = await epochs.list(runId);
    expect(rows.map(({ epoch, metrics, durationMs }) => ({ epoch, metrics, durationMs }))).toEqual([
      { epoch: 1, metrics: { loss: 0.5 }, durationMs: 10 },
      { epoch: 2, metrics: { loss: 0.25 }, durationMs: 11 },
    ]);
    expect((await runs.get(runId))?.currentEpoch).toBe(2);
  });

  it('succeeds in one transaction: result columns, three artifacts with their sha256', async () => {
    const { runId } = await seedRun(db.prisma);
    const { attempt } = must(await ledger.claim(runId, worker));
    const result = runResult();
    expect(await ledger.succeed(runId, attempt, result)).toBe(true);
    expect(await runs.get(runId)).toMatchObject({
      status: 'SUCCEEDED',
      testMetrics: result.testMetrics,
      evaluation: result.evaluation,
      samples: result.samples,
      predictions: result.predictions,
      weights: result.weights,
      stoppedEarly: false,
      bestEpoch: 3,
      durationMs: 123.5,
      reproduction: null,
    });
    expect((await runs.get(runId))?.finishedAt).toBeInstanceOf(Date);
    const artifacts = new ArtifactRepository(db.prisma);
    const weights = await artifacts.get(runId, 'WEIGHTS');
    expect(weights && Array.from(weights.bytes)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(weights?.sha256).toBe(sha256(result.model.weightData));
    const topology = await artifacts.get(runId, 'MODEL_TOPOLOGY');
    expect(JSON.parse(Buffer.from(must(topology).bytes).toString('utf8'))).toEqual(result.model.modelJson);
    const preprocessor = await artifacts.get(runId, 'PREPROCESSOR');
    expect(JSON.parse(Buffer.from(must(preprocessor).bytes).toString('utf8'))).toEqual(result.preprocessor);
    expect((await artifacts.list(runId)).map((a) => a.kind).sort()).toEqual(['MODEL_TOPOLOGY', 'PREPROCESSOR', 'WEIGHTS']);
    // Final: a later write of the same attempt changes nothing.
    expect(await ledger.fail(runId, attempt, { kind: 'internal', code: 'X', message: 'late', retryable: true })).toBe(false);
  });

  async function finishedRun(losses: number[], reproducesRunId?: string): Promise<string> {
    const { runId } = await seedRun(db.prisma, reproducesRunId ? { reproducesRunId } : {});
    const { attempt } = must(await ledger.claim(runId, worker));
    for (const [i, loss] of losses.entries()) await ledger.recordEpoch(runId, attempt, i + 1, { loss, mae: loss * 2 }, 1);
    await ledger.succeed(runId, attempt, runResult());
    return runId;
  }

  it('records that a rerun reproduced every epoch exactly', async () => {
    const original = await finishedRun([0.5, 0.1 + 0.2]);
    const rerun = await finishedRun([0.5, 0.1 + 0.2], original);
    expect((await runs.get(rerun))?.reproduction).toEqual({ exact: true, epochs: 2 });
  });

  it('claims a rerun of a run that trained in a pack to train as a pack too; the rerun of a run trained alone trains alone', async () => {
    const packed = await seedRun(db.prisma);
    const { attempt } = must(await ledger.claim(packed.runId, worker));
    await ledger.recordStart(packed.runId, attempt, { ...startEvent, pack: { size: 4 } });
    const alone = await finishedRun([0.5]);
    const rerunOfPacked = await seedRun(db.prisma, { reproducesRunId: packed.runId });
    const rerunOfAlone = await seedRun(db.prisma, { reproducesRunId: alone });
    expect(must(await ledger.claim(rerunOfPacked.runId, worker)).trainAsPack).toBe(true);
    expect(must(await ledger.claim(rerunOfAlone.runId, worker)).trainAsPack).toBeUndefined();
    // Claimed again (its worker died): the new attempt has no pack until its own start says so.
    expect(must(await ledger.claim(packed.runId, worker)).trainAsPack).toBeUndefined();
    expect(await runs.get(packed.runId)).toMatchObject({ env: { split: startEvent.split } });
    expect((await runs.get(packed.runId))?.env?.pack).toBeUndefined();
  });

  it('records where a rerun diverged and by how much', async () => {
    const original = await finishedRun([0.5, 0.3, 0.2]);
    const rerun = await finishedRun([0.5, 0.1 + 0.2, 0.25], original);
    const reproduction = (await runs.get(rerun))?.reproduction;
    expect(reproduction).toMatchObject({ exact: false, firstDivergentEpoch: 2, metric: 'loss' });
    expect(reproduction?.exact === false && reproduction.maxAbsDiff).toBeCloseTo(0.1, 12);
  });

  it('fails with the reason, and cancels, only for the owning attempt', async () => {
    const a = await seedRun(db.prisma);
    const claimA = must(await ledger.claim(a.runId, worker));
    expect(await ledger.fail(a.runId, claimA.attempt, { kind: 'training', code: 'NAN_LOSS', message: 'loss is NaN at epoch 3', retryable: false, epoch: 3 })).toBe(true);
    expect(await runs.get(a.runId)).toMatchObject({ status: 'FAILED', errorKind: 'training', errorCode: 'NAN_LOSS', error: 'loss is NaN at epoch 3' });
    const b = await seedRun(db.prisma);
    const claimB = must(await ledger.claim(b.runId, worker));
    expect(await ledger.cancelled(b.runId, claimB.attempt)).toBe(true);
    expect((await runs.get(b.runId))?.status).toBe('CANCELLED');
    expect(await ledger.claim(b.runId, worker)).toBeNull();
  });

  it('sees a cancel request in the heartbeat, and a redelivered cancelled run is not claimed', async () => {
    const { runId } = await seedRun(db.prisma);
    const { attempt } = must(await ledger.claim(runId, worker));
    expect(await ledger.heartbeat(runId, attempt)).toEqual({ owned: true, cancelRequested: false });
    expect(await runs.requestCancel(runId)).toBe('RUNNING');
    expect(await ledger.heartbeat(runId, attempt)).toEqual({ owned: true, cancelRequested: true });
    expect(await ledger.claim(runId, worker)).toBeNull();
    expect(await runs.get(runId)).toMatchObject({ status: 'CANCELLED', attempt });
  });

  it('releases a run back to the queue with the reason, keeping its cancel request', async () => {
    const { runId } = await seedRun(db.prisma);
    const first = must(await ledger.claim(runId, worker));
    expect(await ledger.release(runId, first.attempt, 'shutdown deadline')).toBe(true);
    const released = await runs.get(runId);
    expect(released).toMatchObject({ status: 'QUEUED', heartbeatAt: null, releases: [{ attempt: 1, reason: 'shutdown deadline' }] });
    expect(Date.parse(must(must(released).releases[0]).at)).not.toBeNaN();
    const second = must(await ledger.claim(runId, worker));
    expect(second.attempt).toBe(2);
    await runs.requestCancel(runId);
    expect(await ledger.release(runId, 2, 'worker vanished')).toBe(true);
    expect(await runs.get(runId)).toMatchObject({ status: 'QUEUED', cancelRequested: true });
    expect((await runs.get(runId))?.releases.map((r) => r.attempt)).toEqual([1, 2]);
    expect(await ledger.claim(runId, worker)).toBeNull();
    expect((await runs.get(runId))?.status).toBe('CANCELLED');
  });

  it('counts a crash when a claim takes over a RUNNING run or a thread death releases it, not for a clean hand-back', async () => {
    const { runId } = await seedRun(db.prisma);
    const before = Date.now();
    expect(must(await ledger.claim(runId, worker)).crashes).toBe(0);
    // Written in UTC like Prisma's own timestamps, whatever the session's time zone.
    const startedAt = must(must(await runs.get(runId)).startedAt).getTime();
    expect(Math.abs(startedAt - before)).toBeLessThan(60_000);
    // Attempt 1 never ended (its worker was killed): BullMQ's redelivery takes the run over.
    expect(must(await ledger.claim(runId, worker))).toMatchObject({ attempt: 2, crashes: 1 });
    expect(await ledger.release(runId, 2, 'worker shutdown')).toBe(true);
    expect(must(await ledger.claim(runId, worker))).toMatchObject({ attempt: 3, crashes: 1 });
    expect(await ledger.release(runId, 3, 'training thread died', { crashed: true })).toBe(true);
    expect(must(await ledger.claim(runId, worker))).toMatchObject({ attempt: 4, crashes: 2 });
  });

  it('counts a crash when the reaper queues a stale RUNNING run again and it is claimed', async () => {
    const { runId } = await seedRun(db.prisma);
    must(await ledger.claim(runId, worker));
    // The reaper's query finds it (the heartbeat is older than "now + 1 s") and re-enqueues it as it is, RUNNING.
    const stale = await runs.findStale({ heartbeatOlderThan: new Date(Date.now() + 1_000) });
    expect(stale.map((run) => run.id)).toContain(runId);
    expect(must(await ledger.claim(runId, worker))).toMatchObject({ attempt: 2, crashes: 1 });
  });

  it('claims only a QUEUED run when asked so (a run taken into a pack), never taking over a RUNNING one', async () => {
    const { runId } = await seedRun(db.prisma);
    const first = await ledger.claim(runId, worker, { onlyQueued: true });
    expect(first).toMatchObject({ attempt: 1, crashes: 0 });
    expect(await ledger.claim(runId, { workerId: 'w2', host: 'host-2' }, { onlyQueued: true })).toBeNull();
    const run = await runs.get(runId);
    expect([run?.status, run?.attempt, run?.workerId]).toEqual(['RUNNING', 1, 'w1']);
    // Without the option the same claim would take it over (a redelivery after a crash).
    expect(await ledger.claim(runId, worker)).toMatchObject({ attempt: 2, crashes: 1 });
  });

  it('returns null for a run that does not exist', async () => {
    expect(await ledger.claim('00000000-0000-4000-8000-000000000000', worker)).toBeNull();
  });
});
