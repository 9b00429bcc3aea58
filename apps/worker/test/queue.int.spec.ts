import { randomBytes, randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedis, queueNames, RunEventBus, RunProducer, type LiveRunEvent } from '@trainyard/experiments';
import { deleteQueueKeys, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { waitFor } from './support/wait-for.js';

describe('RunProducer and RunEventBus on the real Redis', () => {
  const prefix = `test-queue-${randomBytes(4).toString('hex')}`;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await deleteQueueKeys(TEST_REDIS_URL, prefix);
  });
  const producer = (): RunProducer => {
    const p = new RunProducer({ redisUrl: TEST_REDIS_URL, prefix });
    closers.push(() => p.close());
    return p;
  };

  it('adds one job per run, once, however often the run is enqueued', async () => {
    const queue = producer();
    const [a, b] = [randomUUID(), randomUUID()];
    await queue.enqueue([a, b]);
    await queue.enqueue([a]);
    expect(await queue.counts()).toMatchObject({ waiting: 2, active: 0 });
    expect(await queue.jobState(a)).toBe('waiting');
  });

  it('removes a waiting job (cancel of a queued run) but not an unknown one', async () => {
    const queue = producer();
    const id = randomUUID();
    await queue.enqueue([id]);
    expect(await queue.remove(id)).toBe(true);
    expect(await queue.jobState(id)).toBeUndefined();
    expect(await queue.remove(randomUUID())).toBe(false);
  });

  it('re-adds runs whose job Redis lost or finished, and leaves waiting ones alone', async () => {
    const queue = producer();
    const [kept, lost] = [randomUUID(), randomUUID()];
    await queue.enqueue([kept]);
    expect(await queue.requeue([kept, lost])).toEqual([lost]);
    expect(await queue.counts()).toMatchObject({ waiting: 2 });
  });

  it('lists connected workers by name', async () => {
    const queue = producer();
    const names = queueNames(prefix);
    const connection = createRedis(TEST_REDIS_URL, 'worker');
    const worker = new Worker(names.queue, async () => undefined, { connection, prefix, name: 'bench-host:42', autorun: true });
    closers.push(async () => {
      await worker.close();
      connection.disconnect();
    });
    await worker.waitUntilReady();
    const workers = await waitFor(async () => {
      const list = await queue.workers();
      return list.length > 0 ? list : undefined;
    }, { what: 'the worker to show up' });
    expect(workers.map((w) => w.name)).toEqual(['bench-host:42']);
  });

  it('delivers live events and cancels to subscribers, dropping malformed messages', async () => {
    const bus = new RunEventBus({ redisUrl: TEST_REDIS_URL, prefix });
    closers.push(() => bus.close());
    const events: LiveRunEvent[] = [];
    const cancels: string[] = [];
    const unsubscribe = await bus.subscribe((event) => events.push(event));
    await bus.onCancel((runId) => cancels.push(runId));
    const runId = randomUUID();

    const raw = createRedis(TEST_REDIS_URL, 'producer');
    await raw.publish(bus.names.events, '{"runId":"not-a-uuid","type":"epoch"}');
    await raw.publish(bus.names.events, 'not json');
    raw.disconnect();
    await bus.publish({ runId, type: 'epoch', epoch: 3, epochs: 10, metrics: { loss: 0.5, mae: Number.NaN } });
    await bus.publishCancel(runId);

    await waitFor(() => events.length === 1 && cancels.length === 1, { what: 'the event and the cancel' });
    expect(events[0]).toMatchObject({ runId, type: 'epoch', epoch: 3, epochs: 10, metrics: { loss: 0.5 } });
    // NaN has no JSON form: the metric is left out rather than sent as null.
    expect(events[0]?.metrics).not.toHaveProperty('mae');
    expect(cancels).toEqual([runId]);

    await unsubscribe();
    await bus.publish({ runId, type: 'status', status: 'SUCCEEDED' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toHaveLength(1);
  });
});
