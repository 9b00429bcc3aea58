import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { UnrecoverableError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseDefinition, type ClaimedRun, type RunEvent, type RunFailure, type RunLedger, type TrainRunPayload } from '@trainyard/experiments';
import { multiplyDefinition } from '@trainyard/experiments/testing';
import { memoryLogger, type LogEntry } from '../test/support/memory-log.js';
import { InFlightRuns } from './in-flight-runs.js';
import { RunReaper } from './run-reaper.js';
import { TrainingPool } from './thread/training-pool.js';
import { trainRunProcessor } from './train-run.processor.js';

const RUN = '0d6b3f0e-3c1a-4f7e-9b8a-2a4c5e6f7a81';

/** What the pipeline reports for a dataset whose download failed (describeFailure of DatasetError DOWNLOAD_FAILED). */
const DOWNLOAD_FAILED: RunFailure = {
  kind: 'dataset',
  code: 'DOWNLOAD_FAILED',
  message:
    'could not download california_housing from https://ndownloader.figshare.com/files/5976036: fetch failed. ' +
    'Without network access, place the file in the cache folder by hand: /data/california_housing/cal_housing.data',
  retryable: true,
};

class Ledger implements RunLedger {
  attempt = 0;
  crashes = 0;
  heartbeatError: Error | undefined;
  async claim(runId: string): Promise<ClaimedRun | null> {
    return { runId, attempt: ++this.attempt, crashes: this.crashes, definition: { seed: 1 } as ClaimedRun['definition'] };
  }
  async heartbeat(): Promise<{ owned: boolean; cancelRequested: boolean }> {
    if (this.heartbeatError) throw this.heartbeatError;
    return { owned: true, cancelRequested: false };
  }
  recordStart = ok;
  recordEpoch = ok;
  succeed = ok;
  fail = ok;
  cancelled = ok;
  release = ok;
}
async function ok(): Promise<boolean> {
  return true;
}

const start = { type: 'start', backend: { name: 'cpu' }, dataset: { name: 'california_housing', hash: 'abc' }, split: { train: 8, validation: 1, test: 1 } } as RunEvent;

function worker(train: (signal: AbortSignal) => AsyncIterable<RunEvent>, ledger = new Ledger()) {
  const { logger, entries } = memoryLogger();
  // What startWorker does: every line of this worker carries its id.
  const log = logger.child({ workerId: 'w1' });
  const process = trainRunProcessor({
    ledger,
    train: (_definition, signal) => train(signal),
    publish: () => undefined,
    inFlight: new InFlightRuns(),
    heartbeatMs: 10,
    storeRetry: { maxWaitMs: 100, initialDelayMs: 1, maxDelayMs: 1, isTransient: () => false },
    who: { workerId: 'w1', host: 'h' },
    maxClaims: 5,
    maxCrashes: 2,
    maxRunSeconds: 3600,
    log,
  });
  const job = (attemptsMade: number, stalledCounter = 0) =>
    ({ id: RUN, data: { runId: RUN }, attemptsMade, stalledCounter, opts: { attempts: 3 } }) as unknown as Job<TrainRunPayload>;
  return { process, job, entries, ledger };
}

const withMsg = (entries: LogEntry[], pattern: RegExp) => entries.filter((e) => pattern.test(e.msg));

describe("the worker's log lines", () => {
  it('name the run, its job, attempt and worker, and the cause of a failed dataset download: warn while it is retried, error when it fails for good', async () => {
    const w = worker(async function* () {
      yield start;
      yield { type: 'failed', error: DOWNLOAD_FAILED };
    });
    await expect(w.process(w.job(0), 't')).rejects.not.toBeInstanceOf(UnrecoverableError);
    await expect(w.process(w.job(2), 't')).rejects.toBeInstanceOf(UnrecoverableError);

    for (const entry of w.entries) {
      expect(typeof entry.time).toBe('string');
      expect(entry).toMatchObject({ workerId: 'w1', runId: RUN, jobId: RUN });
    }
    expect(withMsg(w.entries, /^claimed run$/).map((e) => e['attempt'])).toEqual([1, 2]);
    expect(withMsg(w.entries, /^run started$/)[0]).toMatchObject({ level: 'info', attempt: 1, backend: 'cpu', dataset: 'california_housing' });
    const [retried] = withMsg(w.entries, /^attempt failed \(DOWNLOAD_FAILED\), run given back for a retry: could not download california_housing/);
    expect(retried).toMatchObject({ level: 'warn', attempt: 1, jobAttempt: 1, failure: { kind: 'dataset', code: 'DOWNLOAD_FAILED', retryable: true } });
    const [failed] = withMsg(w.entries, /^run failed \(DOWNLOAD_FAILED\): could not download/);
    expect(failed).toMatchObject({ level: 'error', attempt: 2, jobAttempt: 3, failure: { code: 'DOWNLOAD_FAILED' } });
  });

  it('say that a claim takes over a run whose job stalled (its worker was killed), with the run and the attempt', async () => {
    const ledger = new Ledger();
    ledger.attempt = 1;
    ledger.crashes = 1;
    const w = worker(async function* () {
      yield start;
      yield { type: 'done', result: {} } as RunEvent;
    }, ledger);
    await w.process(w.job(0, 1), 't');
    const [claim] = withMsg(w.entries, /^claimed run, taking it over: its job stalled 1 time\(s\) \(the worker of an earlier attempt stopped renewing the job's lock: killed, crashed or blocked\)$/);
    expect(claim).toMatchObject({ level: 'warn', runId: RUN, jobId: RUN, attempt: 2, workerId: 'w1', crashes: 1, stalls: 1 });
    expect(withMsg(w.entries, /^run succeeded$/)[0]).toMatchObject({ level: 'info', runId: RUN, attempt: 2 });
  });

  it('say once, with the run, that its heartbeats fail while the database is away', async () => {
    const ledger = new Ledger();
    ledger.heartbeatError = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const w = worker(async function* (signal) {
      yield start;
      // Long enough for several heartbeats (every 10 ms), then cancelled by the test.
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (!signal.aborted) yield { type: 'done', result: {} } as RunEvent;
    }, ledger);
    await w.process(w.job(0), 't');
    const beats = w.entries.filter((e) => /^heartbeat failed/.test(e.msg));
    expect(beats.filter((e) => e.level === 'warn')).toHaveLength(1);
    expect(beats.length).toBeGreaterThan(1);
    expect(beats[0]).toMatchObject({ runId: RUN, attempt: 1, workerId: 'w1', err: { message: 'connect ECONNREFUSED 127.0.0.1:5432' } });
  });

  it("of the reaper name every run it queues again, and for a RUNNING one the worker and attempt that went silent", async () => {
    const { logger, entries } = memoryLogger();
    const stale = { id: 'b2c3d4e5-0000-4000-8000-000000000002', attempt: 1, workerId: 'w-dead', heartbeatAt: new Date('2025-01-01T00:00:00Z') };
    const queued = 'a1b2c3d4-0000-4000-8000-000000000001';
    const reaper = new RunReaper({
      runs: { findQueued: async () => [queued], findStale: async () => [stale] },
      queue: { requeue: async (ids) => ids },
      redis: { set: async () => 'OK' } as never,
      lockKey: 'k',
      owner: 'w1',
      intervalMs: 1_000,
      staleAfterMs: 6_000,
      log: logger.child({ workerId: 'w1' }),
    });
    expect(await reaper.tick()).toEqual([queued, stale.id]);
    const [silent] = withMsg(entries, /^reaper: run RUNNING without a heartbeat for over 6000 ms and without a live job \(its worker w-dead vanished\): queued again$/);
    expect(silent).toMatchObject({ level: 'warn', runId: stale.id, jobId: stale.id, lastWorkerId: 'w-dead', lastAttempt: 1, workerId: 'w1' });
    const [summary] = withMsg(entries, /^reaper: re-enqueued 2 run\(s\) that had no job/);
    expect(summary).toMatchObject({ runIds: [queued, stale.id], queuedWithoutJob: 1, staleRunning: 1 });
  });

  it('of the reaper say when its passes fail and when they work again', async () => {
    const { logger, entries } = memoryLogger();
    let failing = 3;
    const reaper = new RunReaper({
      runs: {
        findQueued: async () => {
          if (failing-- > 0) throw new Error('Connection is closed.');
          return [];
        },
        findStale: async () => [],
      },
      queue: { requeue: async (ids) => ids },
      redis: { set: async () => 'OK' } as never,
      lockKey: 'k',
      owner: 'w1',
      intervalMs: 20,
      staleAfterMs: 6_000,
      log: logger,
    });
    reaper.start();
    // Until the fourth pass has worked (a fixed sleep saw fewer passes on a loaded machine).
    await expect.poll(() => withMsg(entries, /^reaper pass works again/).length, { timeout: 10_000 }).toBe(1);
    await reaper.stop();
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual([expect.stringMatching(/^reaper pass failed: /)]);
    expect(entries.find((e) => e.level === 'warn')).toMatchObject({ err: { message: 'Connection is closed.' } });
    expect(entries.filter((e) => e.level === 'debug' && /^reaper pass failed again/.test(e.msg))).toHaveLength(2);
    expect(withMsg(entries, /^reaper pass works again after 3 failure\(s\)$/)).toHaveLength(1);
  });

  it('of a training thread that dies name the run it killed', async () => {
    const { logger, entries } = memoryLogger();
    const { pool } = await TrainingPool.start({ size: 1, dataHome: mkdtempSync(join(tmpdir(), 'pool-log-')), backend: 'cpu', logger });
    try {
      const threads = (pool as unknown as { slots: { worker: Worker }[] }).slots;
      const definition = { ...parseDefinition({ ...multiplyDefinition('multiply'), epochs: 10_000, batchSize: 7 }), seed: 7 };
      const runLog = logger.child({ workerId: 'w1', runId: RUN, jobId: RUN, attempt: 1 });
      for await (const event of pool.run(definition, new AbortController().signal, runLog)) {
        if (event.type === 'epoch' && event.epoch === 2) void threads[0]?.worker.terminate();
      }
    } finally {
      await pool.close();
    }
    const [died] = withMsg(entries, /^training thread died under the run \(exit code 1\); starting a new thread$/);
    expect(died).toMatchObject({ level: 'error', runId: RUN, jobId: RUN, attempt: 1, workerId: 'w1', exitCode: 1 });
  });
});
