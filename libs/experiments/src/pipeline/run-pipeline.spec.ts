import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition } from '@trainyard/contract';
import { runPipeline, withSeed } from './run-pipeline.js';
import type { RunEvent } from './run-events.js';

let dataHome: string;
beforeAll(async () => {
  dataHome = await seedDataHome(await makeTempDir('pipeline-data-'));
});

const sum = {
  name: 'sum',
  seed: 3,
  dataset: { name: 'sum', n: 60 },
  preprocessing: { features: 'minmax' },
  split: { test: 0.25, validation: 0.2 },
  model: {
    layers: [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 1 },
    ],
  },
  optimizer: 'adam',
  loss: 'mse',
  metrics: ['mae'],
  epochs: 5,
  batchSize: 8,
};

async function collect(input: unknown, signal?: AbortSignal): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const def = withSeed(parseDefinition(input));
  for await (const event of runPipeline(def, { backend: 'cpu', dataHome, ...(signal ? { signal } : {}) })) events.push(event);
  return events;
}

const epochMetrics = (events: RunEvent[]): Record<string, number>[] =>
  events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));

describe('runPipeline', () => {
  it('reports start, one event per epoch, then done with test metrics in target units', async () => {
    const events = await collect(sum);
    expect(events.map((e) => e.type)).toEqual(['start', 'epoch', 'epoch', 'epoch', 'epoch', 'epoch', 'done']);
    const start = events[0];
    expect(start?.type === 'start' && start.split).toEqual({ train: 36, validation: 9, test: 15 });
    expect(start?.type === 'start' && start.dataset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(epochMetrics(events)[0] ?? {}).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('expected done');
    expect(Object.keys(done.result.testMetrics)).toEqual(['loss', 'mae', 'mse', 'rmse', 'r2']);
    expect(done.result.samples).toHaveLength(15);
    expect(done.result.preprocessor.features.kind).toBe('minmax');
  });

  it('gives bit-identical per-epoch metrics for the same definition and seed, and others for another seed', async () => {
    const first = epochMetrics(await collect(sum));
    const second = epochMetrics(await collect(sum));
    expect(second).toEqual(first);
    for (const [i, epoch] of first.entries()) expect(Object.is(epoch.loss, second[i]?.loss)).toBe(true);
    const other = epochMetrics(await collect({ ...sum, seed: 4 }));
    expect(other[0]?.loss).not.toBe(first[0]?.loss);
  });

  it('ends with failed, naming the epoch, when the loss becomes NaN', async () => {
    const events = await collect({ ...sum, optimizer: { name: 'sgd', learningRate: 10 }, preprocessing: {}, epochs: 50, split: { test: 0.2 } });
    const last = events.at(-1);
    expect(last?.type).toBe('failed');
    if (last?.type !== 'failed') return;
    expect(last.error).toMatchObject({ kind: 'training', code: 'NON_FINITE_LOSS', retryable: false });
    expect(last.error.message).toMatch(/epoch \d+/);
  });

  it('ends with failed when the validation loss diverges while the training loss is still finite (JSON has no Infinity)', async () => {
    const diverging = { ...sum, seed: 1, dataset: { name: 'sum', n: 50 }, preprocessing: {}, split: { validation: 0.2 }, model: { layers: [{ type: 'dense', units: 3 }, { type: 'dense', units: 1 }] }, optimizer: { name: 'sgd', learningRate: 1 }, metrics: [], epochs: 3, batchSize: 32 };
    const events = await collect(diverging);
    const last = events.at(-1);
    expect(epochMetrics(events).every((m) => Object.values(m).every(Number.isFinite))).toBe(true);
    expect(last).toMatchObject({ type: 'failed', error: { code: 'NON_FINITE_LOSS', retryable: false } });
    expect(last?.type === 'failed' && last.error.message).toMatch(/^epoch \d+: val_loss is Infinity \(the model diverged/);
  });

  it('checks a CSV dataset against the definition once it is loaded', async () => {
    const dir = await makeTempDir('pipeline-csv-');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/data.csv`, 'a,b,label\n1,2,x\n2,3,y\n3,4,z\n4,5,x\n5,6,y\n6,7,z\n');
    const events = await collect({
      name: 'csv classes',
      seed: 1,
      dataset: { name: 'csv', path: `${dir}/data.csv`, target: 'label', task: 'classification' },
      split: { test: 0 },
      model: { layers: [{ type: 'dense', units: 2, activation: 'softmax' }] },
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      epochs: 1,
    });
    const last = events.at(-1);
    expect(last?.type === 'failed' && last.error).toMatchObject({ kind: 'definition', retryable: false });
    expect(last?.type === 'failed' && last.error.message).toMatch(/model\.layers\[0\]\.units: must be 3, one per class/);
  });

  it('stops with cancelled, keeping the epochs so far, when the signal aborts', async () => {
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const def = withSeed(parseDefinition({ ...sum, epochs: 200 }));
    for await (const event of runPipeline(def, { backend: 'cpu', dataHome, signal: controller.signal })) {
      events.push(event);
      if (event.type === 'epoch' && event.epoch === 2) controller.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('cancelled');
    expect(last?.type === 'cancelled' && last.epochsCompleted).toBeGreaterThanOrEqual(2);
    expect(last?.type === 'cancelled' && last.epochsCompleted).toBeLessThan(200);
  });
});
