import type { Redis } from 'ioredis';
import type { WorkerStore } from './worker-store.js';

export interface RunReaperOptions {
  runs: WorkerStore['runs'];
  queue: { requeue(runIds: string[]): Promise<string[]> };
  /** A fail-fast connection for the lock. */
  redis: Redis;
  lockKey: string;
  owner: string;
  intervalMs: number;
  /** A RUNNING run whose heartbeat is older than this is considered abandoned. */
  staleAfterMs: number;
  log: (line: string) => void;
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

  constructor(private readonly options: RunReaperOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then((requeued) => {
          if (requeued.length > 0) this.options.log(`reaper: re-enqueued ${requeued.length} run(s) that had no job: ${requeued.join(', ')}`);
        })
        // Redis or the database away: the next interval tries again.
        .catch(() => undefined)
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns the runs it re-enqueued (none when another worker holds the lock). */
  async tick(now = new Date()): Promise<string[]> {
    const { redis, lockKey, owner, intervalMs, staleAfterMs, runs, queue } = this.options;
    const locked = await redis.set(lockKey, owner, 'PX', Math.max(intervalMs - 100, 100), 'NX');
    if (locked !== 'OK') return [];
    // Runs queued a moment ago may be waiting for their producer's add; leave them a grace period.
    const graceMs = Math.min(staleAfterMs, 10_000);
    const queued = await runs.findQueued({ queuedBefore: new Date(now.getTime() - graceMs) });
    const stale = await runs.findStale({ heartbeatOlderThan: new Date(now.getTime() - staleAfterMs) });
    return queue.requeue([...queued, ...stale.map((run) => run.id)]);
  }
}
