import type { Logger } from '@trainyard/experiments';
import type { Redis } from 'ioredis';
import { failureStreak, type FailureStreak } from './failure-streak.js';
import type { WorkerStore } from './worker-store.js';

export interface RunReaperOptions {
  runs: Pick<WorkerStore['runs'], 'findQueued' | 'findStale'>;
  queue: { requeue(runIds: string[]): Promise<string[]> };
  /** A fail-fast connection for the lock. */
  redis: Redis;
  lockKey: string;
  owner: string;
  intervalMs: number;
  /** A RUNNING run whose heartbeat is older than this is considered abandoned. */
  staleAfterMs: number;
  log: Logger;
}

/**
 * Reconciles the queue with the database: QUEUED runs with no job (Redis lost them in a
 * restart; this Redis keeps nothing on disk) and RUNNING runs with a stale heartbeat and no
 * live job (their worker vanished with the job) get a job again. Every worker runs it;
 * a short Redis lock lets one of them do it per interval, and job id = run id makes a
 * second pass harmless anyway.
 */
export class RunReaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly failures: FailureStreak;

  constructor(private readonly options: RunReaperOptions) {
    this.failures = failureStreak(options.log, 'reaper pass', 'runs whose job Redis lost are not queued again until a pass works');
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then(() => this.failures.ok())
        // Redis or the database away: the next interval tries again.
        .catch((error: unknown) => this.failures.failed(error))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One pass; returns the runs it re-enqueued (none when another worker holds the lock). The
   * log has one line naming them all, and one per RUNNING run whose heartbeat went stale, with
   * the worker, attempt and last heartbeat of the attempt that went silent.
   */
  async tick(now = new Date()): Promise<string[]> {
    const { redis, lockKey, owner, intervalMs, staleAfterMs, runs, queue, log } = this.options;
    const locked = await redis.set(lockKey, owner, 'PX', Math.max(intervalMs - 100, 100), 'NX');
    if (locked !== 'OK') return [];
    // Runs queued a moment ago may be waiting for their producer's add; leave them a grace period.
    const graceMs = Math.min(staleAfterMs, 10_000);
    const queued = await runs.findQueued({ queuedBefore: new Date(now.getTime() - graceMs) });
    const stale = await runs.findStale({ heartbeatOlderThan: new Date(now.getTime() - staleAfterMs) });
    const requeued = await queue.requeue([...queued, ...stale.map((run) => run.id)]);
    if (requeued.length === 0) return requeued;
    // One line per run whose attempt went silent (few: at most the runs of the workers that
    // vanished); the QUEUED ones, possibly thousands after a Redis restart, share the summary.
    const staleById = new Map(stale.map((run) => [run.id, run]));
    for (const runId of requeued) {
      const silent = staleById.get(runId);
      if (!silent) continue;
      log.warn(
        { runId, jobId: runId, lastAttempt: silent.attempt, lastWorkerId: silent.workerId, lastHeartbeatAt: silent.heartbeatAt, staleAfterMs },
        `reaper: run RUNNING without a heartbeat for over ${staleAfterMs} ms and without a live job (its worker ${silent.workerId ?? '?'} vanished): queued again`,
      );
    }
    const lost = requeued.filter((runId) => !staleById.has(runId));
    log.warn(
      { runIds: requeued, queuedWithoutJob: lost.length, staleRunning: requeued.length - lost.length },
      `reaper: re-enqueued ${requeued.length} run(s) that had no job: ${requeued.join(', ')}`,
    );
    return requeued;
  }
}
