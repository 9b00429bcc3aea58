import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition, type ExperimentDefinition } from '@trainyard/contract';
import { runPackedPipeline, type PackedRunOptions } from './run-packed-pipeline.js';
import { runPipeline, withSeed } from './run-pipeline.js';
import type { RunEvent } from './run-events.js';

let dataHome: string;
beforeAll(async () => {
  dataHome = await seedDataHome(await makeTempDir('packed-pipeline-data-'));
});

/** The notebook's second task, a 2-3-1 network learning to add, with validation and a test part. */
function sum(seed: number, learningRate: number, extra: Record<string, unknown> = {}): ExperimentDefinition & { seed: number } {
  return withSeed(
    parseDefinition({
      name: `sum ${seed} ${learningRate}`,
      seed,
      dataset: { name: 'sum', n: 120 },
      preprocessing: { features: 'minmax' },
      split: { test: 0.25, validation: 0.2 },
      model: { layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 1 }] },
      optimizer: { name: 'sgd', learningRate },
      loss: 'mse',
      metrics: ['mae'],
      epochs: 4,
      batchSize: 8,
      ...extra,
    }),
  );
}

async function alone(def: ExperimentDefinition & { seed: number }): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of runPipeline(def, { backend: 'cpu', dataHome })) events.push(event);
  return events;
}

async function together(defs: (ExperimentDefinition & { seed: number })[], options: Omit<PackedRunOptions, 'dataHome'> = { backend: 'cpu' }): Promise<RunEvent[][]> {
  const events: RunEvent[][] = defs.map(() => []);
  for await (const { trial, event } of runPackedPipeline(defs, { dataHome, ...options })) events[trial]?.push(event);
  return events;
}

/** What must match between a packed run and the same run alone: everything but timings, the backend's description and the pack itself. */
function comparable(events: RunEvent[]): unknown[] {
  return events.map((event) => {
    switch (event.type) {
      case 'start': {
        const { backend: _backend, pack: _pack, ...rest } = event;
        return rest;
      }
      case 'epoch':
        return { ...event, durationMs: 0 };
      case 'done': {
        const { durationMs: _d, history, model: _model, ...rest } = event.result;
        return { ...rest, history: history.map((h) => h.metrics) };
      }
      default:
        return event;
    }
  });
}

describe('runPackedPipeline', () => {
  it('reports each run of a pack as it would run alone, its start saying it was packed and with how many', async () => {
    const defs = [sum(1, 0.3), sum(2, 0.1), sum(3, 0.03), sum(4, 0.01)];
    const packed = await together(defs);
    for (const [i, def] of defs.entries()) {
      const events = packed[i] as RunEvent[];
      expect(events.map((e) => e.type)).toEqual(['start', 'epoch', 'epoch', 'epoch', 'epoch', 'done']);
      expect(events[0]?.type === 'start' && events[0].pack).toEqual({ size: 4 });
      expect(comparable(events)).toEqual(comparable(await alone(def)));
    }
  });

  it('trains what cannot be packed alone, fails a bad run alone, and cancels one run without the others', async () => {
    const dropout = sum(5, 0.1, { model: { layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 1 }] } });
    // A table that is not there: found when the data is loaded.
    const badColumn = sum(6, 0.1, { dataset: { name: 'csv', path: '/nonexistent/table.csv', target: 'y' } });
    const cancel = new AbortController();
    const defs = [sum(7, 0.1), dropout, badColumn, sum(8, 0.05)];
    const signals = [new AbortController().signal, new AbortController().signal, new AbortController().signal, cancel.signal];
    const events: RunEvent[][] = defs.map(() => []);
    for await (const { trial, event } of runPackedPipeline(defs, { backend: 'cpu', dataHome, signals })) {
      events[trial]?.push(event);
      if (trial === 3 && event.type === 'epoch' && event.epoch === 2) cancel.abort();
    }
    expect(comparable(events[0] as RunEvent[])).toEqual(comparable(await alone(defs[0] as ExperimentDefinition & { seed: number })));
    expect((events[0]?.[0] as Extract<RunEvent, { type: 'start' }>).pack).toEqual({ size: 2 });
    expect((events[1]?.[0] as Extract<RunEvent, { type: 'start' }>).pack).toBeUndefined();
    expect(comparable(events[1] as RunEvent[])).toEqual(comparable(await alone(dropout)));
    expect(events[2]?.map((e) => e.type)).toEqual(['failed']);
    expect(events[3]?.at(-1)).toEqual({ type: 'cancelled', epochsCompleted: 2 });
  });

  it('trains a run alone through the pack kernels when asked (a rerun of a packed run): on wasm too it has the numbers it had in the pack', async () => {
    const defs = [sum(9, 0.3), sum(10, 0.1), sum(11, 0.03)];
    const inPack = await together(defs, { backend: 'wasm' });
    const [packOfOne] = await together([defs[1] as ExperimentDefinition & { seed: number }], { backend: 'wasm', packAlone: true });
    expect(packOfOne?.[0]?.type === 'start' && packOfOne[0].pack).toEqual({ size: 1 });
    expect(comparable(packOfOne as RunEvent[])).toEqual(comparable(inPack[1] as RunEvent[]));
    // What cannot be packed still trains alone, as it did the first time.
    const dropout = sum(12, 0.1, { model: { layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 1 }] } });
    const [notPacked] = await together([dropout], { backend: 'wasm', packAlone: true });
    expect(notPacked?.[0]?.type === 'start' && notPacked[0].pack).toBeUndefined();
  });

  it('loads a dataset its runs share once, and each run still has the numbers it has alone', async () => {
    const iris = (seed: number, learningRate: number) =>
      withSeed(
        parseDefinition({
          name: `iris ${seed}`,
          seed,
          dataset: { name: 'iris' },
          preprocessing: { features: 'standard' },
          split: { test: 0.2, validation: 0.2, stratify: true },
          model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
          optimizer: { name: 'adam', learningRate },
          loss: 'sparse_categorical_crossentropy',
          metrics: ['accuracy'],
          epochs: 3,
          batchSize: 16,
        }),
      );
    const defs = [iris(1, 0.01), iris(2, 0.03), iris(3, 0.01)];
    const packed = await together(defs);
    for (const [i, def] of defs.entries()) {
      expect((packed[i]?.[0] as Extract<RunEvent, { type: 'start' }>).pack).toEqual({ size: 3 });
      expect(comparable(packed[i] as RunEvent[])).toEqual(comparable(await alone(def)));
    }
  });
});
