import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, StoreError, type ClaimedRun, type RunEvent } from '@trainyard/experiments';
import { DatasetCache } from './dataset-cache.js';
import { fetchFailure, trainWithDataset } from './with-dataset.js';

const base = { name: 'r', seed: 1, split: { test: 0, validation: 0, stratify: false }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'sgd', loss: 'mse', epochs: 1 };
const definition = (dataset: Record<string, unknown>) => ({ ...base, dataset }) as unknown as ClaimedRun['definition'];

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('trainWithDataset', () => {
  let dataHome: string;
  beforeEach(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'trainyard-with-dataset-'));
  });
  afterEach(() => rm(dataHome, { recursive: true, force: true }));

  const failing = (error: Error) => new DatasetCache({ dataHome, maxBytes: 1000, source: { open: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) }) } });
  const trained: RunEvent = { type: 'cancelled', epochsCompleted: 0 } as RunEvent;

  it('trains a built-in dataset without touching the cache', async () => {
    const events = await collect(trainWithDataset(failing(new Error('never')), definition({ name: 'multiply' }), silentLogger(), async function* () {
      yield trained;
    }));
    expect(events).toEqual([trained]);
  });

  it('fails a run whose registered dataset has no pinned sha256, or whose bytes cannot be fetched, without training', async () => {
    let calls = 0;
    const train = async function* () {
      calls++;
      yield trained;
    };
    const [unpinned] = await collect(trainWithDataset(failing(new Error('never')), definition({ name: 'homes', target: 'y', task: 'regression' }), silentLogger(), train));
    expect(unpinned).toMatchObject({ type: 'failed', error: { kind: 'definition', code: 'INVALID_DEFINITION', retryable: false } });
    const pinned = definition({ name: 'homes', version: 1, sha256: 'a'.repeat(64), target: 'y', task: 'regression' });
    const [away] = await collect(trainWithDataset(failing(new StoreError('UNAVAILABLE', 'the database is unreachable')), pinned, silentLogger(), train));
    expect(away).toMatchObject({ type: 'failed', error: { kind: 'dataset', code: 'DATASET_FETCH_FAILED', retryable: true } });
    expect(calls).toBe(0);
  });

  it('maps fetch errors: gone or damaged bytes fail for good, anything else is retried', () => {
    expect(fetchFailure(new StoreError('NOT_FOUND', 'no stored file'), 'homes@1')).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    expect(fetchFailure(new StoreError('INVALID', 'has 3 bytes, its record says 4'), 'homes@1')).toMatchObject({ code: 'CHECKSUM_MISMATCH', retryable: false });
    expect(fetchFailure(new Error('ENOSPC'), 'homes@1')).toMatchObject({ code: 'DATASET_FETCH_FAILED', retryable: true, message: 'dataset homes@1 could not be fetched: ENOSPC' });
  });
});
