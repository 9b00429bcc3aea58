import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { trainRunPayloadSchema, type AttemptInfo, type ClaimedRun, type RunFailure, type TrainRunPayload } from '@trainyard/experiments';
import { runAttempt, type AttemptDeps } from './run-attempt.js';
import { withStoreRetry } from './store-retry.js';

export interface ProcessorDeps extends AttemptDeps {
  who: AttemptInfo;
  /**
   * Claims of one run (BullMQ retries, redeliveries after crashes, re-enqueues by the reaper)
   * after which it is failed for good: a run that kills its worker every time must end.
   */
  maxClaims: number;
  /**
   * Attempts that ended with their worker or thread dying (see ClaimedRun.crashes) after
   * which the run is failed for good instead of being tried on another worker.
   */
  maxCrashes: number;
}

/**
 * The `train` job: parse the payload, claim the run, train it (see runAttempt), and tell
 * BullMQ what happened: done, failed for good (UnrecoverableError), failed for now (an
 * error, so it retries with backoff), or handed back by a worker shutting down.
 */
export function trainRunProcessor(deps: ProcessorDeps) {
  return async (job: Job<TrainRunPayload>, token?: string): Promise<void> => {
    const payload = trainRunPayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`invalid train job payload: ${payload.error.message}`);
    const { runId } = payload.data;

    const claimed = await withStoreRetry(() => deps.ledger.claim(runId, deps.who), deps.storeRetry);
    // Final, cancelled before it started, or gone: nothing to do, and nothing to retry.
    if (!claimed) return;
    const refusal = refuseClaim(claimed, deps);
    if (refusal) {
      await withStoreRetry(() => deps.ledger.fail(runId, claimed.attempt, refusal), deps.storeRetry);
      deps.publish({ runId, type: 'status', status: 'FAILED', message: refusal.message, attempt: claimed.attempt });
      throw new UnrecoverableError(refusal.message);
    }

    const lastJobAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await runAttempt(deps, claimed, lastJobAttempt);
    switch (outcome.kind) {
      case 'failed':
        if (outcome.final) throw new UnrecoverableError(outcome.failure.message);
        throw new Error(outcome.failure.message);
      case 'released':
        // Back to waiting without spending one of the job's attempts; another worker takes it.
        await job.moveToWait(token);
        throw new WaitingError();
      case 'succeeded':
      case 'cancelled':
      case 'lost':
        return;
    }
  };
}

/** Why a claimed run is failed before it trains again, if it is. */
function refuseClaim(claimed: ClaimedRun, deps: Pick<ProcessorDeps, 'maxClaims' | 'maxCrashes'>): RunFailure | undefined {
  if (claimed.crashes >= deps.maxCrashes) {
    const message =
      `the run stopped its worker ${claimed.crashes} times (the worker process was killed or crashed, or its training thread died, ` +
      'most likely out of memory); it is not retried. Use a smaller batchSize, fewer or smaller layers, or fewer rows';
    return { kind: 'training', code: 'WORKER_CRASHED', message, retryable: false };
  }
  if (claimed.attempt > deps.maxClaims) {
    const message = `gave up after ${deps.maxClaims} attempts (the worker stopped or crashed each time)`;
    return { kind: 'internal', code: 'TOO_MANY_ATTEMPTS', message, retryable: false };
  }
  return undefined;
}
