import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition, type RunEvent } from '@trainyard/experiments';
import { multiplyDefinition } from '@trainyard/experiments/testing';
import { TrainingPool } from './training-pool.js';

const multiply = (epochs: number) => ({ ...parseDefinition({ ...multiplyDefinition('multiply'), epochs, batchSize: 7 }), seed: 7 });

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('TrainingPool (real worker threads running the TypeScript entry)', () => {
  let pool: TrainingPool;
  beforeAll(async () => {
    ({ pool } = await TrainingPool.start({ size: 1, dataHome: mkdtempSync(join(tmpdir(), 'pool-')), backend: 'cpu' }));
  });
  afterAll(() => pool.close());

  it('trains on a warm thread and reuses it for the next run, with the same numbers', async () => {
    const first = await collect(pool.run(multiply(5), new AbortController().signal));
    const second = await collect(pool.run(multiply(5), new AbortController().signal));
    const losses = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics['loss']] : []));
    expect(first.map((e) => e.type).filter((t) => t !== 'batch')).toEqual(['start', 'epoch', 'epoch', 'epoch', 'epoch', 'epoch', 'done']);
    expect(losses(second)).toEqual(losses(first));
  });

  it('cancels a run when its signal aborts', async () => {
    const abort = new AbortController();
    const events: RunEvent[] = [];
    for await (const event of pool.run(multiply(10_000), abort.signal)) {
      events.push(event);
      if (event.type === 'epoch' && event.epoch === 3) abort.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('cancelled');
    expect(last?.type === 'cancelled' && last.epochsCompleted).toBeGreaterThanOrEqual(3);
  });

  it('fails the run of a thread that dies as retryable, and replaces the thread', async () => {
    const events: RunEvent[] = [];
    const threads = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    for await (const event of pool.run(multiply(10_000), new AbortController().signal)) {
      events.push(event);
      if (event.type === 'epoch' && event.epoch === 2) void threads[0]?.worker.terminate();
    }
    const last = events.at(-1);
    expect(last?.type === 'failed' && last.error).toMatchObject({ code: 'THREAD_DIED', retryable: true });
    const next = await collect(pool.run(multiply(2), new AbortController().signal));
    expect(next.at(-1)?.type).toBe('done');
  });
});
