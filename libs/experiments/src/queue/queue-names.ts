/**
 * Names shared by the producer, the workers and the live views. Everything lives under
 * one BullMQ key prefix, so a test (or a second trainyard on the same Redis) that picks
 * its own prefix sees none of another's jobs, events or cancels.
 */
export const RUN_QUEUE = 'trainyard-runs';
export const TRAIN_JOB = 'train';
export const DEFAULT_PREFIX = 'trainyard';

export interface QueueNames {
  prefix: string;
  queue: string;
  job: string;
  /** Pub/sub channel of live run events (status, epoch, batch progress). */
  events: string;
  /** Pub/sub channel of cancel requests for running runs. */
  cancels: string;
  /** Key of the short lock that lets one worker at a time reconcile the queue with the database. */
  reaperLock: string;
}

export function queueNames(prefix: string = DEFAULT_PREFIX): QueueNames {
  if (!/^[\w.-]+$/.test(prefix)) throw new Error(`invalid queue prefix "${prefix}": letters, digits, "_", "." and "-" only`);
  return {
    prefix,
    queue: RUN_QUEUE,
    job: TRAIN_JOB,
    events: `${prefix}:${RUN_QUEUE}:live:events`,
    cancels: `${prefix}:${RUN_QUEUE}:live:cancels`,
    reaperLock: `${prefix}:${RUN_QUEUE}:reaper-lock`,
  };
}
