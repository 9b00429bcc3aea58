import { describe, expect, it } from 'vitest';
import type { RunFailure } from '@trainyard/experiments';
import { allocationFailure, heapExhausted } from './thread-failures.js';

const internal = (message: string): RunFailure => ({ kind: 'internal', code: 'INTERNAL', message, retryable: true });

describe('allocationFailure', () => {
  it('reads the wasm module aborting or trapping at its 4 GiB as out of memory, for good', () => {
    for (const message of ['Aborted(). Build with -sASSERTIONS for more info.', 'memory access out of bounds']) {
      expect(allocationFailure(internal(message), 'wasm')).toMatchObject({ kind: 'training', code: 'OUT_OF_MEMORY', retryable: false });
      expect(allocationFailure(internal(message), 'wasm')?.message).toMatch(/4 GiB.*smaller batchSize/);
    }
  });

  it('reads a refused typed array on the cpu backend as out of memory', () => {
    const failure = allocationFailure(internal('Invalid typed array length: 8589934592'), 'cpu');
    expect(failure).toMatchObject({ code: 'OUT_OF_MEMORY', retryable: false });
    expect(failure?.message).toContain('Invalid typed array length: 8589934592');
  });

  it('leaves other failures as they are', () => {
    expect(allocationFailure(internal('socket hang up'), 'wasm')).toBeUndefined();
    expect(allocationFailure(internal('memory access out of bounds'), 'cpu')).toBeUndefined();
    expect(allocationFailure({ kind: 'dataset', code: 'NOT_FOUND', message: 'out of memory.csv not found', retryable: false }, 'cpu')).toBeUndefined();
  });
});

describe('heapExhausted', () => {
  it('names the limit and the variable that raises it', () => {
    expect(heapExhausted(512).message).toMatch(/512 MiB JavaScript heap \(WORKER_THREAD_MAX_HEAP_MB\)/);
  });
});
