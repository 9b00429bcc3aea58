import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition, silentLogger, type RunEvent } from '@trainyard/experiments';
import { multiplyDefinition, sumDefinition } from '@trainyard/experiments/testing';
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

  it('trains a pack on one thread, a stream per run closed at its own end, with the numbers of each run alone; a cancel stops one run only', async () => {
    const sum = (seed: number, learningRate: number) => ({ ...parseDefinition({ ...sumDefinition('sum'), optimizer: { name: 'sgd', learningRate }, epochs: 8 }), seed });
    const alone = await collect(pool.run(sum(1, 0.1), new AbortController().signal));
    const cancel = new AbortController();
    const streams = await pool.runPack([
      { definition: sum(1, 0.1), signal: new AbortController().signal, log: silentLogger() },
      { definition: sum(2, 0.05), signal: cancel.signal, log: silentLogger() },
      { definition: sum(3, 0.01), signal: new AbortController().signal, log: silentLogger() },
    ]);
    const [first, cancelled, third] = await Promise.all(
      streams.map(async (stream, i) => {
        const events: RunEvent[] = [];
        for await (const event of stream) {
          events.push(event);
          if (i === 1 && event.type === 'epoch' && event.epoch === 2) cancel.abort();
        }
        return events;
      }),
    );
    const epochs = (events: RunEvent[] | undefined) => events?.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
    expect(epochs(first)).toEqual(epochs(alone));
    expect(first?.[0]?.type === 'start' && first[0].pack).toEqual({ size: 3 });
    expect(cancelled?.at(-1)?.type).toBe('cancelled');
    expect(third?.at(-1)?.type).toBe('done');
    expect(epochs(third)).toHaveLength(8);
  });

  it('fails every run of a pack whose thread dies, as retryable', async () => {
    const threads = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    const streams = await pool.runPack([1, 2].map((seed) => ({ definition: { ...multiply(10_000), seed }, signal: new AbortController().signal, log: silentLogger() })));
    const ends = await Promise.all(
      streams.map(async (stream, i) => {
        let last: RunEvent | undefined;
        for await (const event of stream) {
          last = event;
          if (i === 0 && event.type === 'epoch' && event.epoch === 2) void threads[0]?.worker.terminate();
        }
        return last;
      }),
    );
    for (const last of ends) expect(last?.type === 'failed' && last.error).toMatchObject({ code: 'THREAD_DIED', retryable: true });
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

describe('TrainingPool under a heap limit', () => {
  let pool: TrainingPool;
  beforeAll(async () => {
    // 64 MiB: the thread starts and trains small runs (TensorFlow.js needs about 20), while a
    // run of 1,000,000 rows needs more than 256 (measured).
    ({ pool } = await TrainingPool.start({ size: 1, dataHome: mkdtempSync(join(tmpdir(), 'pool-')), backend: 'cpu', maxHeapMb: 64 }));
  });
  afterAll(() => pool.close());

  it('fails a run that exhausts its thread heap for good, and trains the next run on a new thread', async () => {
    const big = { ...parseDefinition({ ...sumDefinition('big', 1_000_000), epochs: 1, batchSize: 1024 }), seed: 1 };
    const events = await collect(pool.run(big, new AbortController().signal));
    const last = events.at(-1);
    expect(last?.type === 'failed' && last.error).toMatchObject({ kind: 'training', code: 'OUT_OF_MEMORY', retryable: false });
    expect(last?.type === 'failed' && last.error.message).toMatch(/64 MiB JavaScript heap \(WORKER_THREAD_MAX_HEAP_MB\).*smaller batchSize/);
    const next = await collect(pool.run(multiply(2), new AbortController().signal));
    expect(next.at(-1)?.type).toBe('done');
  });
});

describe('TrainingPool with a run that does not stop when told to', () => {
  let pool: TrainingPool;
  beforeAll(async () => {
    ({ pool } = await TrainingPool.start({ size: 1, dataHome: mkdtempSync(join(tmpdir(), 'pool-')), backend: 'cpu', stopGraceMs: 50 }));
  });
  afterAll(() => pool.close());

  it('terminates its thread after the grace period, reports it cancelled, and trains the next run on a new thread', async () => {
    const threads = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    const before = threads[0]?.worker;
    // Generating and scaling 1,000,000 rows takes well over 50 ms and does not look at the signal.
    const big = { ...parseDefinition({ ...sumDefinition('big', 1_000_000), epochs: 1, batchSize: 1024 }), seed: 1 };
    const abort = new AbortController();
    abort.abort();
    const events = await collect(pool.run(big, abort.signal));
    expect(events.at(-1)).toEqual({ type: 'cancelled', epochsCompleted: 0 });
    const next = await collect(pool.run(multiply(2), new AbortController().signal));
    expect(next.at(-1)?.type).toBe('done');
    expect(threads[0]?.worker).not.toBe(before);
  });
});
