import type { ExperimentDefinition, RunEvent } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';

/** Given to every training thread when it starts. */
export interface ThreadData {
  dataHome: string;
  backend: BackendChoice;
}

/** Parent -> thread. */
export type ToThread =
  | { type: 'run'; id: number; definition: ExperimentDefinition & { seed: number } }
  | { type: 'cancel'; id: number };

/** Thread -> parent. Events are the pipeline's own, structured-cloned. */
export type FromThread =
  | { type: 'ready'; backend: string }
  | { type: 'event'; id: number; event: RunEvent }
  | { type: 'end'; id: number; memory: ThreadMemory };

/** A thread's own memory after a run: what must stay flat over hundreds of runs. */
export interface ThreadMemory {
  /** V8 heap of the thread's isolate, bytes. */
  heapUsed: number;
  /** TensorFlow.js tensors alive in the thread (0 between runs when everything was disposed). */
  numTensors: number;
}
