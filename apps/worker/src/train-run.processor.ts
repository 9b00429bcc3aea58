import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { trainRunPayloadSchema, type AttemptInfo, type ClaimedRun, type Logger, type RunFailure, type TrainRunPayload } from '@trainyard/experiments';
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
 * error, so it retries with backoff), or handed back by a worker shutting down. Every line
 * it logs carries the job's runId and jobId, and from the claim on its attempt.
 */
export function trainRunProcessor(deps: ProcessorDeps) {
  return async (job: Job<TrainRunPayload>, token?: string): Promise<void> => {
    const payload = trainRunPayloadSchema.safeParse(job.data);
    if (!payload.success) {
      deps.log.error({ jobId: job.id, issues: payload.error.issues }, 'invalid train job payload: the job is failed without a retry');
      throw new UnrecoverableError(`invalid train job payload: ${payload.error.message}`);
    }
    const { runId } = payload.data;
    // jobAttempt: BullMQ's count (retries after failures); stalls: redeliveries after a worker stopped renewing its lock.
    const jobLog = deps.log.child({ runId, jobId: job.id, jobAttempt: job.attemptsMade + 1 });

    const claimed = await withStoreRetry(() => deps.ledger.claim(runId, deps.who), deps.storeRetry).catch((error: unknown) => {
      jobLog.error({ err: error }, 'could not claim the run: the job is retried');
      throw error;
    });
    if (!claimed) {
      jobLog.info('nothing to do: the run is finished, cancelled or gone');
      return;
    }
    const log = jobLog.child({ attempt: claimed.attempt });
    logClaim(log, claimed, job.stalledCounter ?? 0);
    const refusal = refuseClaim(claimed, deps);
    if (refusal) {
      log.error({ failure: refusal }, `run failed (${refusal.code}): ${refusal.message}`);
      await withStoreRetry(() => deps.ledger.fail(runId, claimed.attempt, refusal), deps.storeRetry);
      deps.publish({ runId, type: 'status', status: 'FAILED', message: refusal.message, attempt: claimed.attempt });
      throw new UnrecoverableError(refusal.message);
    }

    const lastJobAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await runAttempt(deps, claimed, lastJobAttempt, log).catch((error: unknown) => {
      // The attempt's own outcomes are logged by runAttempt; this is what stopped it otherwise
      // (the database away past the retries).
      log.error({ err: error }, 'attempt stopped by an error: the job is retried');
      throw error;
    });
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

/**
 * The claim's line. A run claimed again after its job stalled (its worker stopped renewing
 * the lock: killed, crashed, or its event loop blocked) or after earlier crashes says so:
 * that is where a person looking for a vanished attempt finds what happened to it.
 */
function logClaim(log: Logger, claimed: ClaimedRun, stalls: number): void {
  const fields = { crashes: claimed.crashes, stalls };
  if (stalls > 0) {
    log.warn(fields, `claimed run, taking it over: its job stalled ${stalls} time(s) (the worker of an earlier attempt stopped renewing the job's lock: killed, crashed or blocked)`);
  } else if (claimed.crashes > 0) {
    log.warn(fields, `claimed run after ${claimed.crashes} crash(es) of earlier attempts (a worker or training thread died, or the reaper queued it again after its heartbeat went stale)`);
  } else {
    log.info(fields, 'claimed run');
  }
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
