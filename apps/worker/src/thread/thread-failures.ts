import type { RunFailure } from '@trainyard/experiments';

/** The code of a run that needed more memory than a training thread has (fails for good). */
export const OUT_OF_MEMORY = 'OUT_OF_MEMORY';
/** The code of a run whose thread died under it for another reason (retried, counted as a crash of the run). */
export const THREAD_DIED = 'THREAD_DIED';

export function threadDied(message: string): RunFailure {
  // Retryable: another thread (or worker) can run the same definition.
  return { kind: 'internal', code: THREAD_DIED, message, retryable: true };
}

const WHAT_TO_CHANGE = 'use a smaller batchSize, fewer or smaller layers, or fewer rows';

/**
 * The failure of a run whose thread reached its V8 heap limit (resourceLimits): Node ends
 * that thread with ERR_WORKER_OUT_OF_MEMORY, the worker goes on with a new one.
 */
export function heapExhausted(maxHeapMb: number | undefined): RunFailure {
  const limit = maxHeapMb === undefined ? 'its JavaScript heap' : `its ${maxHeapMb} MiB JavaScript heap (WORKER_THREAD_MAX_HEAP_MB)`;
  return {
    kind: 'training',
    code: OUT_OF_MEMORY,
    message: `the run ran out of memory: its training thread used all of ${limit} and was stopped; ${WHAT_TO_CHANGE}, or raise WORKER_THREAD_MAX_HEAP_MB on the workers`,
    retryable: false,
  };
}

// What an allocation that cannot be served looks like once the pipeline has described it
// (checked on Node 20.20, tfjs 4.22): the wasm backend's memory cannot grow past 4 GiB, and
// the module then aborts ("Aborted(). Build with -sASSERTIONS...", tensors kept until it was
// full) or traps ("memory access out of bounds", one step of activations over 1 GiB); either
// way every later op of that thread fails the same. On the cpu backend a typed array over
// 2^32 elements is a RangeError ("Invalid typed array length: N"), and V8 says "Array buffer
// allocation failed" when the allocator refuses.
const WASM_OUT_OF_MEMORY = /^Aborted\(|memory access out of bounds/;
const ALLOCATION_FAILED = /Array buffer allocation failed|Invalid typed array length|Invalid array length|out of memory/i;

/**
 * The failure a run gets when TensorFlow.js could not allocate its tensors, or undefined
 * when `failure` is something else. Such a run fails for good: trying again allocates the
 * same.
 */
export function allocationFailure(failure: RunFailure, backend: string): RunFailure | undefined {
  if (failure.code !== 'INTERNAL') return undefined;
  if (backend === 'wasm' && WASM_OUT_OF_MEMORY.test(failure.message)) {
    return {
      kind: 'training',
      code: OUT_OF_MEMORY,
      message:
        'the run ran out of memory: the wasm backend could not allocate its tensors (the WebAssembly memory of a training thread ' +
        `is at most 4 GiB) and stopped with "${failure.message}"; ${WHAT_TO_CHANGE}`,
      retryable: false,
    };
  }
  if (!ALLOCATION_FAILED.test(failure.message)) return undefined;
  return {
    kind: 'training',
    code: OUT_OF_MEMORY,
    message: `the run ran out of memory: a tensor of the ${backend} backend could not be allocated (${failure.message}); ${WHAT_TO_CHANGE}`,
    retryable: false,
  };
}
