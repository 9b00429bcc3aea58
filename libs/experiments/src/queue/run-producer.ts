import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../config/logger.js';
import { QueueError } from './queue-error.js';
import { queueNames, type QueueNames } from './queue-names.js';
import { createRedis } from './redis-connection.js';
import { trainRunPayloadSchema, type TrainRunPayload } from '@trainyard/contract';

export interface RunProducerOptions {
  redisUrl: string;
  /** BullMQ key prefix; tests and side-by-side installs use their own. */
  prefix?: string;
  /** For what goes wrong outside a caller's command (closing); callers see their own errors. */
  logger?: Logger;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** A worker process connected to the queue, as Redis' CLIENT LIST sees it. */
export interface QueueWorkerInfo {
  /** The name the worker gave itself (host:pid:...). */
  name: string;
  addr?: string;
  /** Seconds since its oldest connection was opened. */
  ageSeconds?: number;
}

/**
 * Job options of every run. Attempts cover transient failures (a dataset download, a store
 * that stayed unreachable past the processor's own retries, a worker thread that died);
 * what a retry cannot fix is thrown as UnrecoverableError and is not retried.
 */
export const RUN_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  // Finished jobs only matter for a while (queue views, idempotent re-adds); the run's
  // record lives in the database. Bounded so Redis does not grow with history.
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const satisfies JobsOptions;

/**
 * How long a producer command may wait for Redis. BullMQ waits for its connection to become
 * ready without a limit, so a submission to a Redis that is down would hang the request.
 */
const COMMAND_DEADLINE_MS = 5_000;

/** States in which a job has not started yet, so removing it cancels the run cleanly. */
const NOT_STARTED = new Set(['waiting', 'delayed', 'prioritized', 'paused']);

/** Adds run jobs (job id = run id) and answers questions about the queue. */
export class RunProducer {
  readonly names: QueueNames;
  private readonly redis: Redis;
  private readonly queue: Queue<TrainRunPayload>;
  private readonly logger: Logger | undefined;

  constructor(options: RunProducerOptions) {
    this.names = queueNames(options.prefix);
    this.logger = options.logger;
    this.redis = createRedis(options.redisUrl, 'producer');
    this.queue = new Queue<TrainRunPayload>(this.names.queue, { connection: this.redis, prefix: this.names.prefix });
    // Errors reach the callers through their commands; this keeps Node from crashing on
    // an unhandled 'error' event while Redis is away.
    this.queue.on('error', () => undefined);
  }

  /**
   * One job per run, job id = run id. BullMQ ignores an add whose job id exists, so a run
   * enqueued twice (a resubmitted sweep, the reaper racing a submission) runs once.
   */
  async enqueue(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    const jobs = runIds.map((runId) => ({
      name: this.names.job,
      data: trainRunPayloadSchema.parse({ runId }),
      opts: { ...RUN_JOB_OPTIONS, jobId: runId },
    }));
    try {
      await withDeadline(this.queue.addBulk(jobs), `adding ${runIds.length} job(s)`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new QueueError('ENQUEUE_FAILED', `could not enqueue ${runIds.length} run(s): ${reason}`, { cause: error });
    }
  }

  /** Removes the job of a run that has not started; false when there is none or it is running. */
  async remove(runId: string): Promise<boolean> {
    const job = await this.queue.getJob(runId);
    if (!job) return false;
    const state = await job.getState();
    if (!NOT_STARTED.has(state)) return false;
    // BullMQ refuses to remove a job whose lock a worker holds: 0 means it just started.
    return (await this.queue.remove(runId)) === 1;
  }

  /**
   * Makes sure each run has a job that will run: adds one when Redis has none (lost in a
   * restart, or trimmed) or only a finished one (completed or failed while the database
   * says the run is still to do). Jobs waiting, delayed or active are left alone; an active
   * job whose worker died is BullMQ's stall check's to redeliver. Returns the runs re-added.
   */
  async requeue(runIds: string[]): Promise<string[]> {
    // One script per run, all sent at once. 'unknown': in no state list, so Redis has no job
    // (BullMQ adds and deletes the job hash and its list entry together).
    const states = await Promise.all(runIds.map((runId) => this.queue.getJobState(runId)));
    const finished = (i: number): boolean => states[i] === 'completed' || states[i] === 'failed';
    await Promise.all(runIds.filter((_, i) => finished(i)).map((runId) => this.queue.remove(runId)));
    const missing = runIds.filter((_, i) => states[i] === 'unknown' || finished(i));
    await this.enqueue(missing);
    return missing;
  }

  /** The state of a run's job, or undefined when Redis has none (finished and trimmed, or lost). */
  async jobState(runId: string): Promise<string | undefined> {
    return (await this.queue.getJob(runId))?.getState();
  }

  async counts(): Promise<QueueCounts> {
    const c = await withDeadline(this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'), 'counting jobs');
    return {
      waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
      active: c['active'] ?? 0,
      delayed: c['delayed'] ?? 0,
      failed: c['failed'] ?? 0,
      completed: c['completed'] ?? 0,
    };
  }

  /** Workers connected now, one entry per worker (BullMQ opens several connections per worker). */
  async workers(): Promise<QueueWorkerInfo[]> {
    const clients = await this.queue.getWorkers();
    const byName = new Map<string, QueueWorkerInfo>();
    for (const client of clients) {
      const raw = client['rawname'] ?? '';
      const marker = raw.indexOf(':w:');
      const name = marker >= 0 ? raw.slice(marker + 3) : raw;
      const age = numberOf(client['age']);
      const seen = byName.get(name);
      if (!seen) {
        byName.set(name, {
          name,
          ...(client['addr'] ? { addr: client['addr'] } : {}),
          ...(age !== undefined ? { ageSeconds: age } : {}),
        });
        continue;
      }
      if (age !== undefined && age > (seen.ageSeconds ?? -1)) seen.ageSeconds = age;
    }
    return [...byName.values()];
  }

  async close(): Promise<void> {
    // Harmless when it fails (Redis away at shutdown): the connection is dropped on the next line.
    await this.queue.close().catch((error: unknown) => this.logger?.debug({ err: error }, 'closing the queue failed; disconnecting anyway'));
    this.redis.disconnect();
  }
}

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueError('REDIS_UNREACHABLE', `Redis did not answer within ${COMMAND_DEADLINE_MS / 1000} s (${what})`)), COMMAND_DEADLINE_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
