import type { ExperimentDefinition, RunEvent } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';

/** Given to every training thread when it starts. */
export interface ThreadData {
  dataHome: string;
  backend: BackendChoice;
}

/**
 * Parent -> thread. A `run` trains its definitions together (a pack, where they can be packed)
 * or one (`asPack`: through a pack's kernels all the same): `trial` is a definition's index,
 * in the cancel and in the events.
 */
export type ToThread =
  | { type: 'run'; id: number; definitions: (ExperimentDefinition & { seed: number })[]; asPack: boolean }
  | { type: 'cancel'; id: number; trial: number };

/** Thread -> parent. Events are the pipeline's own, structured-cloned. */
export type FromThread =
  | { type: 'ready'; backend: string }
  | { type: 'event'; id: number; trial: number; event: RunEvent }
  /** `retire`: the thread must not train again (its wasm module aborted): the pool replaces it. */
  | { type: 'end'; id: number; memory: ThreadMemory; retire: boolean };

/** A thread's own memory after a run: what must stay flat over hundreds of runs. */
export interface ThreadMemory {
  /** V8 heap of the thread's isolate, bytes. */
  heapUsed: number;
  /** TensorFlow.js tensors alive in the thread (0 between runs when everything was disposed). */
  numTensors: number;
}
