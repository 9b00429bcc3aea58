import { afterEach, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../src/start-worker.js';
import { divergingRun, endlessRun, quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { memoryLogger, type LogEntry } from './support/memory-log.js';
import { waitFor } from './support/wait-for.js';

const forRun = (entries: LogEntry[], runId: string) => entries.filter((e) => e['runId'] === runId);
const parseLines = (output: string): LogEntry[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry);

/**
 * What a person debugging a run in team mode finds in the logs by its run id: a worker process
 * killed mid-run, the worker that takes its run over, a run that fails, one that succeeds.
 */
describe('structured worker logs, searched by run id', () => {
  let h: Harness | undefined;
  let inProcess: RunningWorker | undefined;
  afterEach(async () => {
    await inProcess?.close();
    inProcess = undefined;
    await h?.cleanup();
    h = undefined;
  });

  it("carry runId, jobId, attempt and workerId, and name the cause of a killed worker's takeover and of a failure", async () => {
    h = await Harness.create();
    const harness = h;
    // w1: a real worker process (JSON lines on its stdout), killed mid-run below.
    const w1 = await h.startWorker('w1');
    const [stuck] = await h.submit(endlessRun('logs-killed'));
    if (!stuck) throw new Error('no run');
    await h.waitForEpoch(stuck, 2);

    // w2: in this process, its logger writing into memory; the same settings as the worker processes.
    const { logger, entries } = memoryLogger('info');
    inProcess = await startWorker({
      prisma: h.database.prisma,
      redisUrl: h.redisUrl,
      prefix: h.prefix,
      concurrency: 1,
      dataHome: w1.options.dataHome,
      backend: 'cpu',
      workerName: 'w2',
      heartbeatMs: 300,
      staleAfterMs: 6_000,
      lockDurationMs: 8_000,
      stalledIntervalMs: 2_000,
      reaperIntervalMs: 1_000,
      logger,
    });
    w1.kill('SIGKILL');
    await w1.exit();

    // BullMQ's stall check (or the reaper) hands the run to w2 as attempt 2.
    await waitFor(async () => {
      const run = await harness.run(stuck);
      const training = forRun(entries, stuck).some((e) => e.msg === 'run started');
      return run.workerId === 'w2' && run.attempt === 2 && training ? run : undefined;
    }, { what: 'w2 to take the killed run over', timeoutMs: 60_000 });
    expect(await h.cancel(stuck)).toEqual({ id: stuck, status: 'RUNNING' });
    const [cancelled] = await h.waitFinal([stuck]);
    expect(cancelled?.status).toBe('CANCELLED');

    const [done] = await h.submit(quickRun('logs-quick', 3));
    const [diverged] = await h.submit(divergingRun('logs-diverges'));
    if (!done || !diverged) throw new Error('no run');
    await h.waitFinal([done, diverged]);
    // The last lines of a run are written right after its final record.
    await waitFor(() => forRun(entries, diverged).some((e) => /^run failed/.test(e.msg)), { what: 'the failed run to be logged' });

    // Every line: JSON with level, time, msg and this worker's id.
    for (const entry of entries) {
      expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String), workerId: 'w2' });
    }

    // The killed worker's run: w1 claimed attempt 1 (its own lines, on its stdout)...
    const w1Lines = forRun(parseLines(w1.output), stuck);
    expect(w1Lines.find((e) => e.msg === 'claimed run')).toMatchObject({ level: 'info', jobId: stuck, attempt: 1, workerId: 'w1' });
    expect(w1Lines.find((e) => e.msg === 'run started')).toMatchObject({ attempt: 1, workerId: 'w1', backend: 'cpu' });
    // ...then w2 found its job stalled or its heartbeat stale, and says why it takes the run over.
    const takeover = forRun(entries, stuck);
    const cause = takeover.find((e) => /^job stalled: its worker stopped renewing the lock/.test(e.msg) || /^reaper: run RUNNING without a heartbeat/.test(e.msg));
    expect(cause).toMatchObject({ level: 'warn', runId: stuck, jobId: stuck, workerId: 'w2' });
    const claim = takeover.find((e) => /^claimed run/.test(e.msg));
    expect(claim).toMatchObject({ level: 'warn', runId: stuck, jobId: stuck, attempt: 2, workerId: 'w2', crashes: 1 });
    expect(claim?.msg).toMatch(/taking it over: its job stalled|after 1 crash\(es\) of earlier attempts/);
    expect(takeover.find((e) => e.msg === 'cancel requested: stopping the run')).toMatchObject({ attempt: 2, reason: 'cancel' });
    expect(takeover.find((e) => e.msg === 'run cancelled')).toMatchObject({ level: 'info', attempt: 2 });

    // A run that succeeds: claimed, started, succeeded, each with its ids.
    expect(forRun(entries, done).map((e) => e.msg)).toEqual(['claimed run', 'run started', 'run succeeded']);
    for (const entry of forRun(entries, done)) expect(entry).toMatchObject({ jobId: done, attempt: 1, jobAttempt: 1, workerId: 'w2' });

    // A run that fails: the line names the code and the message the run records.
    const failed = forRun(entries, diverged).find((e) => /^run failed/.test(e.msg));
    expect(failed).toMatchObject({ level: 'error', jobId: diverged, attempt: 1, workerId: 'w2', failure: { kind: 'training', code: 'NON_FINITE_LOSS', retryable: false } });
    expect(failed?.msg).toMatch(/^run failed \(NON_FINITE_LOSS\): epoch 1: training loss is/);
  });
});
