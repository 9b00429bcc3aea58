import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EventChannel, type ExperimentDefinition, type RunEvent } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';

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

export interface TrainingPoolOptions {
  /** Threads, one per concurrent run. */
  size: number;
  dataHome: string;
  backend: BackendChoice;
}

interface Slot {
  worker: Worker;
  ready: Promise<string>;
  /** The run in progress on this thread. */
  current: { id: number; events: EventChannel<RunEvent> } | undefined;
  dead: boolean;
  /** As reported after the thread's last run. */
  memory: ThreadMemory | undefined;
}

/**
 * Warm training threads, one per concurrency slot, reused between runs (TensorFlow.js and
 * its backend load once per thread). A thread that dies fails its run as retryable and is
 * replaced.
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
    slot.current = { id, events };
    const cancel = (): void => slot.worker.postMessage({ type: 'cancel', id } satisfies ToThread);
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

  private spawn(): Slot {
    const data: ThreadData = { dataHome: this.options.dataHome, backend: this.options.backend };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data, execArgv: [] });
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
      if (message.type === 'ready') markReady(message.backend);
      else if (message.type === 'event' && slot.current?.id === message.id) slot.current.events.push(message.event);
      else if (message.type === 'end' && slot.current?.id === message.id) {
        slot.memory = message.memory;
        slot.current.events.close();
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
      if (slot.current) {
        slot.current.events.push(threadFailure(`training thread died: ${reason}`));
        slot.current.events.close();
      }
      if (this.closing) return;
      // Replace the thread; a run waiting for a slot gets the new one.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.wakeOne();
    });
    return slot;
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((slot) => !slot.current && !slot.dead);
      if (free) {
        // Reserve it before anything awaits.
        free.current = { id: -1, events: new EventChannel() };
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
  // Retryable: another thread (or worker) can run the same definition.
  return { type: 'failed', error: { kind: 'internal', code: 'THREAD_DIED', message, retryable: true } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
