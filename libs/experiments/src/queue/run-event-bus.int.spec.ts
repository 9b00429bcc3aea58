import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-redis.js';
import type { LiveRunEvent } from '@trainyard/contract';
import { RunEventBus } from './run-event-bus.js';

describe('RunEventBus on the machine Redis', () => {
  const bus = new RunEventBus({ redisUrl: TEST_REDIS_URL, prefix: `test-bus-${randomBytes(4).toString('hex')}` });
  afterAll(() => bus.close());

  async function next(seen: LiveRunEvent[], count: number): Promise<void> {
    await expect.poll(() => seen.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  }

  it('hands every subscriber the same parsed event, and keeps delivering to those that stay', async () => {
    const a: LiveRunEvent[] = [];
    const b: LiveRunEvent[] = [];
    const stopA = await bus.subscribe((event) => a.push(event));
    const stopB = await bus.subscribe((event) => b.push(event));
    const runId = randomUUID();
    await bus.publish({ runId, type: 'epoch', epoch: 1, epochs: 3, metrics: { loss: 0.5 } });
    await next(a, 1);
    await next(b, 1);
    expect(a[0]).toBe(b[0]);
    expect(a[0]).toMatchObject({ runId, type: 'epoch', epoch: 1, metrics: { loss: 0.5 } });

    await stopA();
    await bus.publish({ runId, type: 'epoch', epoch: 2, epochs: 3 });
    await next(b, 2);
    expect(a).toHaveLength(1);

    // The last one leaving, then a new one: subscribed afresh.
    await stopB();
    const c: LiveRunEvent[] = [];
    const stopC = await bus.subscribe((event) => c.push(event));
    await bus.publish({ runId, type: 'status', status: 'SUCCEEDED' });
    await next(c, 1);
    expect(c[0]).toMatchObject({ type: 'status', status: 'SUCCEEDED' });
    expect(b).toHaveLength(2);
    await stopC();
  });
});
