import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { silentLogger, type ClaimedRun, type RunEvent, type RunFailure, type RunLedger, type TrainRunPayload } from '@trainyard/experiments';
import { InFlightRuns } from './in-flight-runs.js';
import { trainRunProcessor, type ProcessorDeps } from './train-run.processor.js';

const RUN = '5b0c4a52-8a4e-4d7b-9a51-3b1f0c7f2d10';

/** Records what the processor writes; claims as the real ledger would for a QUEUED run. */
class FakeLedger implements RunLedger {
  calls: string[] = [];
  attempt = 0;
  crashes = 0;
  cancelRequested = false;
  definition = { seed: 1 } as ClaimedRun['definition'];
  async claim(runId: string): Promise<ClaimedRun | null> {
    this.attempt++;
    this.calls.push(`claim ${this.attempt}`);
    return { runId, attempt: this.attempt, crashes: this.crashes, definition: this.definition };
  }
  recordStart = this.write('start');
  async recordEpoch(_r: string, _a: number, epoch: number): Promise<boolean> {
    this.calls.push(`epoch ${epoch}`);
    return true;
  }
  async heartbeat(): Promise<{ owned: boolean; cancelRequested: boolean }> {
    return { owned: true, cancelRequested: this.cancelRequested };
  }
  succeed = this.write('succeed');
  async fail(_r: string, _a: number, failure: RunFailure): Promise<boolean> {
    this.calls.push(`fail ${failure.code}`);
    return true;
  }
  cancelled = this.write('cancelled');
  async release(_r: string, _a: number, reason: string, options?: { crashed?: boolean }): Promise<boolean> {
    this.calls.push(`release ${reason}${options?.crashed ? ' (crashed)' : ''}`);
    return true;
  }
  private write(name: string) {
    return async (): Promise<boolean> => {
      this.calls.push(name);
      return true;
    };
  }
}

const epoch = (n: number): RunEvent => ({ type: 'epoch', epoch: n, epochs: 3, metrics: { loss: 1 / n }, durationMs: 1 });

/** Two epochs, then waits for the abort to report `cancelled`, or ends with `last`. */
function training(last?: RunEvent) {
  return async function* (_definition: unknown, signal: AbortSignal): AsyncGenerator<RunEvent> {
    yield { type: 'start', backend: { name: 'cpu' }, dataset: { name: 'sum', hash: 'h' }, split: { train: 1, validation: 0, test: 0 } } as RunEvent;
    yield epoch(1);
    yield epoch(2);
    if (last) {
      yield last;
      return;
    }
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    yield { type: 'cancelled', epochsCompleted: 2 };
  };
}

function setup(train: ProcessorDeps['train'], ledger = new FakeLedger()) {
  const inFlight = new InFlightRuns();
  const published: string[] = [];
  const deps: ProcessorDeps = {
    ledger,
    train,
    publish: (e) => published.push(`${e.type} ${e.status ?? e.epoch ?? ''}`.trim()),
    inFlight,
    heartbeatMs: 10,
    storeRetry: { maxWaitMs: 100, initialDelayMs: 1, maxDelayMs: 1, isTransient: () => false },
    who: { workerId: 'w1', host: 'h' },
    maxClaims: 5,
    maxCrashes: 2,
    maxRunSeconds: 3600,
    log: silentLogger(),
  };
  let movedToWait = 0;
  const job = (attemptsMade = 0) =>
    ({
      data: { runId: RUN },
      attemptsMade,
      opts: { attempts: 3 },
      moveToWait: async () => {
        movedToWait++;
        return 0;
      },
    }) as unknown as Job<TrainRunPayload>;
  return { process: trainRunProcessor(deps), ledger, inFlight, published, job, movedToWait: () => movedToWait };
}

const failure = (retryable: boolean): RunEvent => ({ type: 'failed', error: { kind: 'definition', code: 'X', message: 'bad layer', retryable } });

describe('trainRunProcessor', () => {
  it('records start, every epoch and the result, in order, and publishes them', async () => {
    const t = setup(training({ type: 'done', result: {} } as RunEvent));
    await t.process(t.job(), 'token');
    expect(t.ledger.calls).toEqual(['claim 1', 'start', 'epoch 1', 'epoch 2', 'succeed']);
    expect(t.published).toEqual(['status RUNNING', 'epoch 1', 'epoch 2', 'status SUCCEEDED']);
  });

  it('fails a run for good, without a retry, when a retry cannot help', async () => {
    const t = setup(training(failure(false)));
    await expect(t.process(t.job(), 'token')).rejects.toBeInstanceOf(UnrecoverableError);
    expect(t.ledger.calls.at(-1)).toBe('fail X');
  });

  it('gives a retryable failure back to the queue, and fails it on the last attempt', async () => {
    const t = setup(training(failure(true)));
    const first = await t.process(t.job(0), 'token').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(UnrecoverableError);
    expect(t.ledger.calls.at(-1)).toMatch(/^release attempt 1 failed, retrying: bad layer/);
    await expect(t.process(t.job(2), 'token')).rejects.toBeInstanceOf(UnrecoverableError);
    expect(t.ledger.calls.at(-1)).toBe('fail X');
  });

  it('stops on a cancel message and records CANCELLED with the epochs so far', async () => {
    const t = setup(training());
    const done = t.process(t.job(), 'token');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.inFlight.stop(RUN, 'cancel')).toBe(true);
    await done;
    expect(t.ledger.calls).toEqual(['claim 1', 'start', 'epoch 1', 'epoch 2', 'cancelled']);
  });

  it('stops when the heartbeat finds a cancel request', async () => {
    const t = setup(training());
    t.ledger.cancelRequested = true;
    await t.process(t.job(), 'token');
    expect(t.ledger.calls.at(-1)).toBe('cancelled');
  });

  it('hands the run back to the queue when a shutdown stops it', async () => {
    const t = setup(training());
    const done = t.process(t.job(), 'token').catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    t.inFlight.stopAll('shutdown');
    expect(await done).toBeInstanceOf(WaitingError);
    expect(t.ledger.calls.at(-1)).toBe('release worker shutdown');
    expect(t.movedToWait()).toBe(1);
  });

  it('fails a run claimed more times than allowed', async () => {
    const ledger = new FakeLedger();
    ledger.attempt = 5;
    const t = setup(training({ type: 'done', result: {} } as RunEvent), ledger);
    await expect(t.process(t.job(), 'token')).rejects.toBeInstanceOf(UnrecoverableError);
    expect(ledger.calls).toEqual(['claim 6', 'fail TOO_MANY_ATTEMPTS']);
  });

  it('fails a run whose attempts stopped their worker twice, without training it again', async () => {
    const ledger = new FakeLedger();
    ledger.attempt = 2;
    ledger.crashes = 2;
    const t = setup(training({ type: 'done', result: {} } as RunEvent), ledger);
    const error = await t.process(t.job(), 'token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/stopped its worker 2 times .*it is not retried/);
    expect(ledger.calls).toEqual(['claim 3', 'fail WORKER_CRASHED']);
    expect(t.published.at(-1)).toBe('status FAILED');
  });

  it('trains a run that crashed once', async () => {
    const ledger = new FakeLedger();
    ledger.crashes = 1;
    const t = setup(training({ type: 'done', result: {} } as RunEvent), ledger);
    await t.process(t.job(), 'token');
    expect(ledger.calls.at(-1)).toBe('succeed');
  });

  it('gives the run of a thread that died back as a crash', async () => {
    const died: RunEvent = { type: 'failed', error: { kind: 'internal', code: 'THREAD_DIED', message: 'training thread died: exit code 1', retryable: true } };
    const t = setup(training(died));
    await expect(t.process(t.job(0), 'token')).rejects.not.toBeInstanceOf(UnrecoverableError);
    expect(t.ledger.calls.at(-1)).toBe('release attempt 1 failed, retrying: training thread died: exit code 1 (crashed)');
  });

  it('stops a run at its time limit and fails it for good with TIME_LIMIT', async () => {
    const ledger = new FakeLedger();
    ledger.definition = { seed: 1, timeLimitSeconds: 1 } as ClaimedRun['definition'];
    const t = setup(training(), ledger);
    const error = await t.process(t.job(), 'token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/time limit of 1 s .*after 2 epoch\(s\); raise the definition's timeLimitSeconds .*up to 3600 s/);
    expect(ledger.calls).toEqual(['claim 1', 'start', 'epoch 1', 'epoch 2', 'fail TIME_LIMIT']);
    expect(t.published.at(-1)).toBe('status FAILED');
  });

  it('rejects a payload that is not a run id without retrying', async () => {
    const t = setup(training());
    const job = { data: { runId: 'x' }, attemptsMade: 0, opts: {} } as unknown as Job<TrainRunPayload>;
    await expect(t.process(job, 'token')).rejects.toBeInstanceOf(UnrecoverableError);
    expect(t.ledger.calls).toEqual([]);
  });
});
