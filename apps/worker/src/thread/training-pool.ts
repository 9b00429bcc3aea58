import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EventChannel, type ExperimentDefinition, type RunEvent } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';

import { heapExhausted, threadDied } from './thread-failures.js';
import type { FromThread, ThreadData, ThreadMemory, ToThread } from './thread-protocol.js';

const THREAD_ENTRY = new URL('./training-thread.ts', import.meta.url);
// The thread entry is TypeScript, and a thread inherits no loader hooks: neither those of
// tsx's `register()` (the CLI bin) nor vitest's. Passing `execArgv: ['--import', 'tsx']`
// does not help on Node 20.20 (checked: the thread still fails with "Unknown file extension
// .ts", also for a dynamic import after start), so the thread starts from one line of
// JavaScript that registers tsx's ESM hooks through its API and then imports the entry.
// `tsx/esm/api` (package exports, import condition) is found from this file, whatever the cwd.
const TSX_ESM_API = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_ESM_API)}).then(({ register }) => { register(); return import(${JSON.stringify(THREAD_ENTRY.href)}); });`;

/**
 * How long a run told to stop (cancel, time limit, shutdown) gets before its thread is
 * terminated. A run looks at its signal after every batch, so this is for a step that takes
 * longer or code that never looks (a stuck read). Terminating costs only a new thread (about
 * a second), and the run is being stopped anyway; 10 s is well inside the 30 s a shutting-down
 * worker allows after its deadline before it exits.
 */
const STOP_GRACE_MS = 10_000;

export interface TrainingPoolOptions {
  /** Threads, one per concurrent run. */
  size: number;
  dataHome: string;
  backend: BackendChoice;
  /**
   * V8 old-generation limit of each thread, MiB (`resourceLimits.maxOldGenerationSizeMb`); a
   * run that needs more fails with OUT_OF_MEMORY instead of growing the process. Tensors are
   * not in it (cpu: ArrayBuffers, wasm: the module's own memory). Default: Node's.
   */
  maxHeapMb?: number;
  /**
   * A run told to stop ends at its next batch; one stuck longer than this in a single step
   * (or anything else that does not look at its signal) has its thread terminated and is
   * reported `cancelled`. Default 10 s.
   */
  stopGraceMs?: number;
}

interface CurrentRun {
  id: number;
  events: EventChannel<RunEvent>;
  /** Epochs reported so far (for a run whose thread had to be terminated). */
  epochs: number;
  /** Set once the run was told to stop: terminates the thread if the run does not end in time. */
  stopTimer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<string>;
  /** The run in progress on this thread. */
  current: CurrentRun | undefined;
  dead: boolean;
  /** The run whose thread the pool terminated because it did not stop in time. */
  terminatedRun?: number;
  /** As reported after the thread's last run. */
  memory: ThreadMemory | undefined;
}

/**
 * Warm training threads, one per concurrency slot, reused between runs (TensorFlow.js and
 * its backend load once per thread), each under a heap limit. A thread that dies fails its
 * run (for good when it ran out of heap, as retryable otherwise) and is replaced, as is one
 * whose run failed to allocate its tensors.
 */
export class TrainingPool {
  private readonly slots: Slot[] = [];
  private readonly waiters: (() => void)[] = [];
  private nextId = 0;
  private closing = false;

  private constructor(private readonly options: TrainingPoolOptions) {}

  /** Starts every thread and waits until each has loaded its backend; returns the backend's name. */
  static async start(options: TrainingPoolOptions): Promise<{ pool: TrainingPool; backend: string }> {
    const pool = new TrainingPool(options);
    for (let i = 0; i < options.size; i++) pool.slots.push(pool.spawn());
    try {
      const backends = await Promise.all(pool.slots.map((slot) => slot.ready));
      return { pool, backend: backends[0] ?? options.backend };
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  /** Trains one definition on a free thread; the events are the pipeline's. Aborting `signal` cancels the run. */
  async *run(definition: ExperimentDefinition & { seed: number }, signal: AbortSignal): AsyncGenerator<RunEvent> {
    const slot = await this.acquire();
    try {
      await slot.ready;
    } catch (error) {
      this.release(slot);
      yield threadFailure(`training thread could not start: ${messageOf(error)}`);
      return;
    }
    const id = ++this.nextId;
    const events = new EventChannel<RunEvent>();
    const current: CurrentRun = { id, events, epochs: 0 };
    slot.current = current;
    const cancel = (): void => {
      slot.worker.postMessage({ type: 'cancel', id } satisfies ToThread);
      current.stopTimer ??= setTimeout(() => this.terminateStuck(slot, id), this.options.stopGraceMs ?? STOP_GRACE_MS);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      slot.worker.postMessage({ type: 'run', id, definition } satisfies ToThread);
      if (signal.aborted) cancel();
      yield* events;
    } finally {
      signal.removeEventListener('abort', cancel);
      // A consumer that stops early stops the run too; the slot frees itself on 'end'.
      if (slot.current?.id === id && !slot.dead) cancel();
    }
  }

  /** Each live thread's memory after its last run (threads that have not run yet are left out). */
  threadMemory(): ThreadMemory[] {
    return this.slots.flatMap((slot) => (slot.memory && !slot.dead ? [slot.memory] : []));
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate().catch(() => 0)));
  }

  /** Terminates the thread of a run that was told to stop and did not (see stopGraceMs). */
  private terminateStuck(slot: Slot, id: number): void {
    if (slot.current?.id !== id || slot.dead) return;
    slot.terminatedRun = id;
    void slot.worker.terminate();
  }

  private spawn(): Slot {
    const data: ThreadData = { dataHome: this.options.dataHome, backend: this.options.backend };
    const { maxHeapMb } = this.options;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: data,
      execArgv: [],
      ...(maxHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } }),
    });
    let markReady: (backend: string) => void = () => undefined;
    let failStart: (error: Error) => void = () => undefined;
    const ready = new Promise<string>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Never an unhandled rejection: start() and run() await it and report it.
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, current: undefined, dead: false, memory: undefined };
    let lastError: Error | undefined;

    worker.on('message', (message: FromThread) => {
      const current = slot.current;
      if (message.type === 'ready') markReady(message.backend);
      else if (message.type === 'event' && current?.id === message.id) {
        if (message.event.type === 'epoch') current.epochs = message.event.epoch;
        current.events.push(message.event);
      } else if (message.type === 'end' && current?.id === message.id) {
        clearTimeout(current.stopTimer);
        slot.memory = message.memory;
        current.events.close();
        if (message.retire) {
          // Not free again: the exit handler puts a new thread in its place.
          slot.dead = true;
          slot.current = undefined;
          void worker.terminate();
          return;
        }
        this.release(slot);
      }
    });
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      slot.dead = true;
      const reason = lastError ? messageOf(lastError) : `exit code ${code}`;
      failStart(new Error(reason));
      const current = slot.current;
      if (current) {
        clearTimeout(current.stopTimer);
        current.events.push(this.deathEvent(slot, current, lastError, reason));
        current.events.close();
      }
      if (this.closing) return;
      // Replace the thread; a run waiting for a slot gets the new one.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.wakeOne();
    });
    return slot;
  }

  /** What the run of a thread that ended under it is told. */
  private deathEvent(slot: Slot, current: CurrentRun, error: Error | undefined, reason: string): RunEvent {
    if (slot.terminatedRun === current.id) return { type: 'cancelled', epochsCompleted: current.epochs };
    if ((error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return { type: 'failed', error: heapExhausted(this.options.maxHeapMb) };
    }
    return threadFailure(`training thread died: ${reason}`);
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((slot) => !slot.current && !slot.dead);
      if (free) {
        // Reserve it before anything awaits.
        free.current = { id: -1, events: new EventChannel(), epochs: 0 };
        return free;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.current = undefined;
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}

function threadFailure(message: string): RunEvent {
  return { type: 'failed', error: threadDied(message) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
