import type { ClaimedRun, LiveRunEventInput, Logger, RunEvent, RunFailure, RunLedger } from '@trainyard/experiments';
import { failureStreak } from './failure-streak.js';
import type { InFlightRuns, StopReason } from './in-flight-runs.js';
import { LedgerWriter } from './ledger-writer.js';
import { attemptTimeLimitMs, timeLimitFailure } from './run-time-limit.js';
import type { StoreRetryPolicy } from './store-retry.js';
import { THREAD_DIED } from './thread/thread-failures.js';

/** Batch progress is published at most this often per run: it is for progress bars only. */
const BATCH_PUBLISH_INTERVAL_MS = 500;

/** How a claimed run trains: `asPack`, alone through a pack's kernels, as the packed run it reproduces. */
export interface TrainHow {
  asPack: boolean;
}

export interface AttemptDeps {
  ledger: RunLedger;
  /**
   * Trains a definition off the event loop (the thread pool); aborting the signal cancels it.
   * `log` is the run's; `how.asPack` trains it through a pack's kernels (ClaimedRun.trainAsPack).
   */
  train: (definition: ClaimedRun['definition'], signal: AbortSignal, log: Logger, how: TrainHow) => AsyncIterable<RunEvent>;
  /** Live events; best effort, never awaited by the training. */
  publish: (event: LiveRunEventInput) => void;
  inFlight: InFlightRuns;
  heartbeatMs: number;
  storeRetry: StoreRetryPolicy;
  /** The server's wall-clock limit of one run (TRAINYARD_MAX_RUN_SECONDS); a definition may ask for less. */
  maxRunSeconds: number;
  /** The worker's logger (workerId bound); each attempt logs through a child with its runId, jobId and attempt. */
  log: Logger;
}

/** How an attempt ended, as far as the queue needs to know. */
export type AttemptOutcome =
  | { kind: 'succeeded' | 'cancelled' }
  /** `final`: the run is FAILED; otherwise it was given back for BullMQ's next attempt. */
  | { kind: 'failed'; failure: RunFailure; final: boolean }
  /** Given back to the queue by a worker shutting down. */
  | { kind: 'released' }
  /** Another attempt owns the run now: nothing of this one may be written. */
  | { kind: 'lost' };

/** Why a run is stopped, as its log line says it. */
const STOPPING: Record<StopReason, { level: 'info' | 'warn' | 'error'; msg: string }> = {
  cancel: { level: 'info', msg: 'cancel requested: stopping the run' },
  shutdown: { level: 'info', msg: 'worker shutting down past its deadline: stopping the run to hand it back' },
  lost: { level: 'warn', msg: 'another attempt owns the run now: stopping this one, nothing more of it is written' },
  store: { level: 'error', msg: 'the database stayed unreachable past the retries: stopping the run' },
  time: { level: 'warn', msg: 'time limit reached: stopping the run' },
};

/**
 * One claimed attempt of a run: trains it, records every event through the ledger in
 * order, publishes live events, beats the heart, and stops on a cancel (message or
 * heartbeat), a shutdown past its deadline, a lost claim, or its time limit (then it fails
 * for good with TIME_LIMIT). `log` carries the run's ids (runId, jobId, attempt, workerId).
 */
export async function runAttempt(deps: AttemptDeps, claimed: ClaimedRun, lastAttempt: boolean, log: Logger): Promise<AttemptOutcome> {
  const { ledger } = deps;
  const { runId, attempt } = claimed;
  const abort = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason): void => {
    if (reason === undefined) log[STOPPING[why].level]({ reason: why }, STOPPING[why].msg);
    reason ??= why;
    abort.abort();
  };
  const storeRetry = {
    ...deps.storeRetry,
    onRetry: (error: unknown, retry: number) => {
      // One line when the database goes away, not one per retry (up to storeRetry.maxWaitMs).
      if (retry === 1) log.warn({ err: error, maxWaitMs: deps.storeRetry.maxWaitMs }, 'database unreachable: the run goes on and its writes are retried');
      else log.debug({ err: error, retry }, 'database still unreachable');
    },
  };
  const writer = new LedgerWriter(storeRetry, () => stop('lost'), () => stop('store'));
  const unregister = deps.inFlight.add(runId, stop);
  // Set once the run has reported its end: a heartbeat that then finds the run no longer
  // RUNNING sees this attempt's own final write, not another attempt.
  let settled = false;
  const heartbeat = startHeartbeat(deps, runId, attempt, stop, log, () => settled);
  const timeLimit = setTimeout(() => stop('time'), attemptTimeLimitMs(claimed.definition, deps.maxRunSeconds));
  const publish = (event: Omit<LiveRunEventInput, 'runId' | 'attempt'>): void => deps.publish({ ...event, runId, attempt });

  let outcome: AttemptOutcome = { kind: 'lost' };
  let lastBatch = 0;
  publish({ type: 'status', status: 'RUNNING' });
  try {
    for await (const event of deps.train(claimed.definition, abort.signal, log, { asPack: claimed.trainAsPack ?? false })) {
      switch (event.type) {
        case 'start':
          log.info({ backend: event.backend.name, dataset: event.dataset.name, datasetHash: event.dataset.hash, split: event.split }, 'run started');
          writer.push(() => ledger.recordStart(runId, attempt, event));
          break;
        case 'epoch':
          log.debug({ epoch: event.epoch, epochs: event.epochs, metrics: event.metrics, durationMs: event.durationMs }, 'epoch');
          writer.push(() => ledger.recordEpoch(runId, attempt, event.epoch, event.metrics, event.durationMs));
          publish({ type: 'epoch', epoch: event.epoch, epochs: event.epochs, metrics: event.metrics });
          break;
        case 'batch':
          if (Date.now() - lastBatch < BATCH_PUBLISH_INTERVAL_MS) break;
          lastBatch = Date.now();
          publish({ type: 'batch', epoch: event.epoch, batch: event.batch, batches: event.batches });
          break;
        case 'done':
          settled = true;
          writer.push(() => ledger.succeed(runId, attempt, event.result));
          outcome = { kind: 'succeeded' };
          break;
        case 'failed': {
          settled = true;
          const final = !event.error.retryable || lastAttempt;
          const message = event.error.message;
          // A thread that died under the run (not of its heap: that fails it for good) may be
          // the run's doing too: it counts towards the run's crashes.
          const crashed = event.error.code === THREAD_DIED;
          writer.push(() =>
            final ? ledger.fail(runId, attempt, event.error) : ledger.release(runId, attempt, `attempt ${attempt} failed, retrying: ${message}`, { crashed }),
          );
          outcome = { kind: 'failed', failure: event.error, final };
          break;
        }
        case 'cancelled': {
          settled = true;
          if (reason === 'time') {
            const failure = timeLimitFailure(claimed.definition, deps.maxRunSeconds, event.epochsCompleted);
            outcome = { kind: 'failed', failure, final: true };
            writer.push(() => ledger.fail(runId, attempt, failure));
            break;
          }
          outcome = cancelledOutcome(reason);
          if (outcome.kind === 'released') writer.push(() => ledger.release(runId, attempt, 'worker shutdown'));
          if (outcome.kind === 'cancelled') writer.push(() => ledger.cancelled(runId, attempt));
          break;
        }
      }
    }
    await writer.flush();
  } finally {
    clearInterval(heartbeat);
    clearTimeout(timeLimit);
    unregister();
  }
  if (writer.lost) {
    // The stop line said why (a write found another attempt owning the run); this one says it ended.
    log.info('attempt ended without its result: another attempt owns the run');
    return { kind: 'lost' };
  }
  logOutcome(log, outcome, reason);
  const status = statusOf(outcome);
  if (status) publish({ type: 'status', status, ...(outcome.kind === 'failed' ? { message: outcome.failure.message } : {}) });
  return outcome;
}

/** The line that says how the attempt ended, with the cause when it failed. */
function logOutcome(log: Logger, outcome: AttemptOutcome, reason: StopReason | undefined): void {
  switch (outcome.kind) {
    case 'succeeded':
      log.info('run succeeded');
      return;
    case 'cancelled':
      log.info('run cancelled');
      return;
    case 'released':
      log.info('run handed back to the queue (worker shutdown); another worker takes it');
      return;
    case 'lost':
      log.info({ reason }, 'attempt ended without its result: another attempt owns the run');
      return;
    case 'failed': {
      const { failure, final } = outcome;
      if (final) log.error({ failure }, `run failed (${failure.code}): ${failure.message}`);
      else log.warn({ failure }, `attempt failed (${failure.code}), run given back for a retry: ${failure.message}`);
      return;
    }
  }
}

function cancelledOutcome(reason: StopReason | undefined): AttemptOutcome {
  if (reason === 'shutdown') return { kind: 'released' };
  if (reason === 'lost' || reason === 'store') return { kind: 'lost' };
  return { kind: 'cancelled' };
}

function statusOf(outcome: AttemptOutcome): LiveRunEventInput['status'] {
  switch (outcome.kind) {
    case 'succeeded':
      return 'SUCCEEDED';
    case 'cancelled':
      return 'CANCELLED';
    case 'failed':
      return outcome.final ? 'FAILED' : 'QUEUED';
    case 'released':
      return 'QUEUED';
    case 'lost':
      return undefined;
  }
}

function startHeartbeat(deps: AttemptDeps, runId: string, attempt: number, stop: (why: StopReason) => void, log: Logger, settled: () => boolean): NodeJS.Timeout {
  let beating = false;
  // A missed beat while the database is away is fine (the next one catches up), but a run
  // whose beats stop long enough is taken for dead by the reaper: worth one line.
  const beats = failureStreak(log, 'heartbeat', 'the run goes on; a run without heartbeats past WORKER_STALE_AFTER_MS is queued again by the reaper');
  return setInterval(() => {
    // One heartbeat at a time: a slow database must not pile them up.
    if (beating) return;
    beating = true;
    deps.ledger
      .heartbeat(runId, attempt)
      .then((beat) => {
        beats.ok();
        if (!beat.owned) {
          if (!settled()) stop('lost');
        } else if (beat.cancelRequested) stop('cancel');
      })
      .catch((error: unknown) => beats.failed(error))
      .finally(() => {
        beating = false;
      });
  }, deps.heartbeatMs);
}
