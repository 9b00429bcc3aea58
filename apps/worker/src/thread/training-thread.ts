/**
 * Entry of a warm training thread: loads TensorFlow.js once, then trains one definition
 * at a time for the worker's processor. Training here keeps the worker's event loop free
 * to renew BullMQ locks, heartbeat and listen for cancels.
 */
import { readFile } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { datasetCachePath } from '@trainyard/experiments/config';
import { describeFailure, runPackedPipeline, runPipeline, type RunEvent, type RunFailure, type TrialEvent } from '@trainyard/experiments/pipeline';
import { initBackend } from '@trainyard/nn';
import { allocationFailure } from './thread-failures.js';
import type { FromThread, ThreadData, ToThread } from './thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('training-thread.ts runs as a worker thread only');
const data = workerData as ThreadData;
/** Per run of the pool: one controller per definition. */
const runs = new Map<number, AbortController[]>();
const post = (message: FromThread): void => port.postMessage(message);

port.on('message', (message: ToThread) => {
  if (message.type === 'cancel') {
    runs.get(message.id)?.[message.trial]?.abort();
    return;
  }
  void train(message);
});

async function train({ id, definitions, asPack }: Extract<ToThread, { type: 'run' }>): Promise<void> {
  const aborts = definitions.map(() => new AbortController());
  runs.set(id, aborts);
  let retire = false;
  const failed = (failure: RunFailure): RunEvent => {
    const outOfMemory = allocationFailure(failure, tf.getBackend());
    // After a failed allocation the thread is not trusted again: an aborted wasm module fails
    // every later op, and its memory, once grown, is never given back.
    if (outOfMemory) retire = true;
    return { type: 'failed', error: outOfMemory ?? failure };
  };
  try {
    // localFiles: false: a definition reaching a worker came from someone else through the
    // API, and must not make the worker read a file of its own (a csv `path` is refused).
    // A registered dataset is read from the worker's cache, where the processor fetched and
    // verified it before handing the run over (see datasets/with-dataset.ts).
    const options = {
      backend: data.backend,
      dataHome: data.dataHome,
      batchProgress: true,
      localFiles: false,
      openRegistered: (spec: { sha256?: string }) => readFile(datasetCachePath(data.dataHome, spec.sha256 ?? '')),
    };
    const [only] = definitions;
    const events =
      definitions.length === 1 && only && !asPack
        ? alone(runPipeline(only, { ...options, signal: (aborts[0] as AbortController).signal }))
        : runPackedPipeline(definitions, { ...options, signals: aborts.map((abort) => abort.signal), packAlone: asPack });
    for await (const { trial, event } of events) post({ type: 'event', id, trial, event: event.type === 'failed' ? failed(event.error) : event });
  } catch (error) {
    // Every definition that has not ended hears it; the pool ignores the others.
    const failure = failed(describeFailure(error));
    definitions.forEach((_, trial) => post({ type: 'event', id, trial, event: failure }));
  } finally {
    runs.delete(id);
    // Under --expose-gc (bench/worker-memory) the figure is live memory, not garbage not yet collected.
    (globalThis as { gc?: () => void }).gc?.();
    post({ type: 'end', id, memory: { heapUsed: getHeapStatistics().used_heap_size, numTensors: tf.memory().numTensors }, retire });
  }
}

/** A lone run's events as trial 0's. */
async function* alone(events: AsyncIterable<RunEvent>): AsyncGenerator<TrialEvent> {
  for await (const event of events) yield { trial: 0, event };
}

// Loading the backend now, not on the first job, is what keeps short runs cheap.
const backend = await initBackend(data.backend);
post({ type: 'ready', backend: backend.name });
