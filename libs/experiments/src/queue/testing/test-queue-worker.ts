import { Worker } from 'bullmq';
import { queueNames } from '../queue-names.js';
import { createRedis } from '../redis-connection.js';
import { trainRunPayloadSchema, type TrainRunPayload } from '@trainyard/contract';

export interface TestQueueWorkerOptions {
  redisUrl: string;
  prefix: string;
  /** The BullMQ worker name, as apps/worker names itself (and records as the runs' workerId). */
  name: string;
  concurrency?: number;
  /** What the worker does with each job's run (claim it, record an epoch, hold it...). */
  process: (runId: string) => Promise<void>;
}

export interface TestQueueWorker {
  /** Disconnects at once, leaving its jobs active, as a worker that dies would. */
  close(): Promise<void>;
}

/**
 * A real BullMQ worker on the run queue whose processor the test writes: for tests of what
 * the queue and the API see of workers, without apps/worker's training threads.
 */
export async function startTestQueueWorker(options: TestQueueWorkerOptions): Promise<TestQueueWorker> {
  const names = queueNames(options.prefix);
  const connection = createRedis(options.redisUrl, 'worker');
  const worker = new Worker<TrainRunPayload>(names.queue, (job) => options.process(trainRunPayloadSchema.parse(job.data).runId), {
    connection,
    prefix: names.prefix,
    name: options.name,
    concurrency: options.concurrency ?? 1,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    close: async () => {
      await worker.close(true);
      connection.disconnect();
    },
  };
}
