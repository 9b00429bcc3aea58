import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { trainRunPayloadSchema, type AttemptInfo, type ClaimedRun, type Logger, type RunEvent, type RunFailure, type TrainRunPayload } from '@trainyard/experiments';
import { gatherPack, type PackSource } from './pack/gather-pack.js';
import { PackLauncher, type TrainPack } from './pack/pack-launcher.js';
import { runAttempt, type AttemptDeps, type AttemptOutcome } from './run-attempt.js';
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
  /** Packs of sweep runs (see gatherPack); absent, every run trains alone. */
  pack?: PackSource & {
    train: TrainPack;
    /** Gives runs of the pack that were handed back (retry, shutdown) a job again: they came without one. */
    requeue(runIds: string[]): Promise<unknown>;
  };
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
      await failRefused(deps, claimed, refusal, log);
      throw new UnrecoverableError(refusal.message);
    }

    const lastJobAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await train(deps, claimed, lastJobAttempt, log).catch((error: unknown) => {
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
 * Trains the claimed run, alone or, when it belongs to a sweep whose other QUEUED runs can be
 * packed with it, together with them on one thread. Each run of a pack has its own attempt
 * (record, heartbeat, cancel, time limit, outcome); this job's outcome is the claimed run's,
 * and the others, which came without a job, get one again when they are handed back.
 */
async function train(deps: ProcessorDeps, claimed: ClaimedRun, lastJobAttempt: boolean, log: Logger): Promise<AttemptOutcome> {
  const { pack } = deps;
  const others = pack
    ? await gatherPack(pack, { ledger: deps.ledger, who: deps.who, refuse: (run) => refuseClaim(run, deps), failRefused: (run, failure, runLog) => failRefused(deps, run, failure, runLog), log: deps.log }, claimed)
    : [];
  if (!pack || others.length === 0) return runAttempt(deps, claimed, lastJobAttempt, log);

  const members = [{ claimed, log, last: lastJobAttempt }, ...others.map((other) => ({ ...other, last: false }))];
  const runIds = members.map((member) => member.claimed.runId);
  log.info({ pack: runIds }, `training ${members.length} runs of the sweep as one pack`);
  const launcher = new PackLauncher(members.length, pack.train);
  const settled = await Promise.allSettled(
    members.map((member, index) =>
      runAttempt({ ...deps, train: (definition, signal, runLog) => withPackIds(launcher.join(index, { definition, signal, log: runLog }), runIds) }, member.claimed, member.last, member.log),
    ),
  );
  const handedBack = members.slice(1).filter((member, index) => {
    const result = settled[index + 1];
    if (result?.status === 'rejected') {
      // Its heartbeat stopped with it: the reaper queues it again once it goes stale.
      member.log.error({ err: result.reason }, 'attempt of a packed run stopped by an error (the database?); the reaper queues it again');
      return false;
    }
    const outcome = result?.value;
    return outcome?.kind === 'released' || (outcome?.kind === 'failed' && !outcome.final);
  });
  if (handedBack.length > 0) {
    await pack.requeue(handedBack.map((member) => member.claimed.runId)).catch((error: unknown) => {
      log.warn({ err: error, runIds: handedBack.map((m) => m.claimed.runId) }, 'could not queue the handed-back runs of the pack again; the reaper will');
    });
  }
  const own = settled[0];
  if (own?.status === 'rejected') throw own.reason;
  return own?.value ?? { kind: 'lost' };
}

/** A packed run's start says with which runs it trained, when the thread packed all of them. */
async function* withPackIds(events: AsyncIterable<RunEvent>, runIds: string[]): AsyncGenerator<RunEvent> {
  for await (const event of events) {
    yield event.type === 'start' && event.pack?.size === runIds.length ? { ...event, pack: { ...event.pack, runIds } } : event;
  }
}

async function failRefused(deps: ProcessorDeps, claimed: ClaimedRun, refusal: RunFailure, log: Logger): Promise<void> {
  log.error({ failure: refusal }, `run failed (${refusal.code}): ${refusal.message}`);
  await withStoreRetry(() => deps.ledger.fail(claimed.runId, claimed.attempt, refusal), deps.storeRetry);
  deps.publish({ runId: claimed.runId, type: 'status', status: 'FAILED', message: refusal.message, attempt: claimed.attempt });
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
