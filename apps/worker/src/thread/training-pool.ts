import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EventChannel, silentLogger, type ExperimentDefinition, type Logger, type RunEvent } from '@trainyard/experiments';
import type { BackendChoice } from '@trainyard/nn';

import { heapExhausted, threadDied } from './thread-failures.js';
import type { FromThread, ThreadData, ThreadMemory, ToThread } from './thread-protocol.js';

// A thread inherits no loader hooks (neither tsx's `register()` in the CLI bin nor vitest's) and,
// started with `execArgv: []`, no `--conditions` either, so it starts from one line of JavaScript.
// Run from the build (this module is dist/thread/training-pool.js), that line imports the built
// entry. Run from the sources (tsx, vitest: this module is a .ts file), it registers tsx's ESM
// hooks through its API (`execArgv: ['--import', 'tsx']` does not help on Node 20.20: checked,
// the thread still fails with "Unknown file extension .ts", also for a dynamic import after
// start) and a resolve hook that adds the `development` condition, so that the workspace
// packages resolve to their sources as in the parent (package.json `exports`), then imports the
// .ts entry. `tsx/esm/api` (package exports, import condition) is found from this file, whatever the cwd.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const THREAD_ENTRY = new URL(FROM_SOURCES ? './training-thread.ts' : './training-thread.js', import.meta.url);
const TSX_ESM_API = FROM_SOURCES ? pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : '';
const DEVELOPMENT_CONDITION = `data:text/javascript,${encodeURIComponent('export const resolve = (specifier, context, next) => next(specifier, { ...context, conditions: [...context.conditions, "development"] });')}`;
const BOOTSTRAP = FROM_SOURCES
  ? `Promise.all([import(${JSON.stringify(TSX_ESM_API)}), import('node:module')]).then(([tsx, nodeModule]) => { tsx.register(); nodeModule.register(${JSON.stringify(DEVELOPMENT_CONDITION)}); return import(${JSON.stringify(THREAD_ENTRY.href)}); });`
  : `import(${JSON.stringify(THREAD_ENTRY.href)});`;

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
  /** Thread starts, deaths and replacements; a run's own lines go to the logger run() is given. */
  logger?: Logger;
}

/** One definition of a thread's run: its event stream, logger and progress. */
interface Trial {
  events: EventChannel<RunEvent>;
  /** The run's logger (runId, jobId, attempt, workerId): a thread that dies under it says so there. */
  log: Logger;
  /** Epochs reported so far (for a run whose thread had to be terminated). */
  epochs: number;
  /** Told to stop (cancel, time limit, shutdown). */
  stopping: boolean;
  /** Its last event (done, failed, cancelled) arrived: its stream is closed. */
  ended: boolean;
}

/** What a thread is training: one definition, or several as a pack. */
interface CurrentRun {
  id: number;
  trials: Trial[];
  /** Set once every trial was told to stop: terminates the thread if the run does not end in time. */
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
  /** The thread asked to be replaced after its run (see 'end' with retire). */
  retiring?: boolean;
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
  private readonly log: Logger;

  private constructor(private readonly options: TrainingPoolOptions) {
    this.log = options.logger ?? silentLogger();
  }

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

  /**
   * Trains one definition on a free thread; the events are the pipeline's. Aborting `signal`
   * cancels the run; `asPack` trains it through a pack's kernels (a rerun of a packed run).
   */
  async *run(definition: ExperimentDefinition & { seed: number }, signal: AbortSignal, log: Logger = this.log, { asPack = false } = {}): AsyncGenerator<RunEvent> {
    const [events] = await this.runPack([{ definition, signal, log }], { asPack });
    if (events) yield* events;
  }

  /**
   * Trains definitions together on one free thread: as a pack where their networks allow it
   * (see runPackedPipeline), else one after the other. One event stream per definition, each
   * closed after its own last event; aborting a definition's signal cancels that one only.
   * Resolves once a thread is free.
   */
  async runPack(
    members: { definition: ExperimentDefinition & { seed: number }; signal: AbortSignal; log: Logger }[],
    { asPack = false } = {},
  ): Promise<AsyncIterable<RunEvent>[]> {
    const slot = await this.acquire();
    try {
      await slot.ready;
    } catch (error) {
      this.release(slot);
      return members.map(() => once(threadFailure(`training thread could not start: ${messageOf(error)}`)));
    }
    const id = ++this.nextId;
    const current: CurrentRun = { id, trials: members.map(({ log }) => ({ events: new EventChannel<RunEvent>(), log, epochs: 0, stopping: false, ended: false })) };
    slot.current = current;
    const cancel = (index: number): void => {
      const trial = current.trials[index];
      if (!trial || trial.ended || trial.stopping || slot.current?.id !== id || slot.dead) return;
      trial.stopping = true;
      slot.worker.postMessage({ type: 'cancel', id, trial: index } satisfies ToThread);
      if (current.trials.every((t) => t.stopping || t.ended)) {
        current.stopTimer ??= setTimeout(() => this.terminateStuck(slot, id), this.options.stopGraceMs ?? STOP_GRACE_MS);
      }
    };
    slot.worker.postMessage({ type: 'run', id, definitions: members.map((m) => m.definition), asPack } satisfies ToThread);
    return members.map(({ signal }, index) => this.stream(current, index, signal, () => cancel(index)));
  }

  /** A trial's events; its signal cancels it, and so does a consumer that stops reading early. */
  private async *stream(current: CurrentRun, index: number, signal: AbortSignal, cancel: () => void): AsyncGenerator<RunEvent> {
    const trial = current.trials[index] as Trial;
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    try {
      yield* trial.events;
    } finally {
      signal.removeEventListener('abort', cancel);
      if (!trial.ended) cancel();
    }
  }

  /** Each live thread's memory after its last run (threads that have not run yet are left out). */
  threadMemory(): ThreadMemory[] {
    return this.slots.flatMap((slot) => (slot.memory && !slot.dead ? [slot.memory] : []));
  }

  async close(): Promise<void> {
    this.closing = true;
    // terminate() rejects only for a thread that is gone already, which is what close wants.
    await Promise.all(
      this.slots.map((slot) =>
        slot.worker.terminate().catch((error: unknown) => {
          this.log.debug({ err: error }, 'training thread already gone at close');
          return 0;
        }),
      ),
    );
  }

  /** Terminates the thread of a run that was told to stop and did not (see stopGraceMs). */
  private terminateStuck(slot: Slot, id: number): void {
    if (slot.current?.id !== id || slot.dead) return;
    slot.terminatedRun = id;
    for (const trial of slot.current.trials) {
      if (!trial.ended) trial.log.warn({ graceMs: this.options.stopGraceMs ?? STOP_GRACE_MS }, 'the run did not stop in time: terminating its training thread');
    }
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
    // Never an unhandled rejection: start() and run() await this same promise and report its
    // error (start() throws it, run() fails the run with it), so nothing is lost here.
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, current: undefined, dead: false, memory: undefined };
    let lastError: Error | undefined;

    worker.on('message', (message: FromThread) => {
      const current = slot.current;
      if (message.type === 'ready') markReady(message.backend);
      else if (message.type === 'event' && current?.id === message.id) {
        const trial = current.trials[message.trial];
        if (!trial || trial.ended) return;
        if (message.event.type === 'epoch') trial.epochs = message.event.epoch;
        trial.events.push(message.event);
        if (isLast(message.event)) end(trial);
      } else if (message.type === 'end' && current?.id === message.id) {
        clearTimeout(current.stopTimer);
        slot.memory = message.memory;
        current.trials.forEach(end);
        if (message.retire) {
          // Not free again: the exit handler puts a new thread in its place.
          slot.retiring = true;
          current.trials[0]?.log.info('retiring the training thread after this run (its wasm module ran out of memory); starting a new one');
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
      // A run's slot is reserved with id -1 before its run starts: that is no run yet.
      const killed = current && current.id >= 0 ? current : undefined;
      if (current) {
        clearTimeout(current.stopTimer);
        for (const trial of current.trials) {
          if (trial.ended) continue;
          trial.events.push(this.deathEvent(slot, current, trial, lastError, reason));
          end(trial);
        }
      }
      if (this.closing) return;
      if (killed && slot.terminatedRun !== killed.id) {
        for (const trial of killed.trials) trial.log.error({ err: lastError, exitCode: code }, `training thread died under the run (${reason}); starting a new thread`);
      } else if (!killed && !slot.retiring) {
        this.log.warn({ err: lastError, exitCode: code }, `training thread died (${reason}); starting a new thread`);
      }
      // Replace the thread; a run waiting for a slot gets the new one.
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.wakeOne();
    });
    return slot;
  }

  /** What the run of a thread that ended under it is told. */
  private deathEvent(slot: Slot, current: CurrentRun, trial: Trial, error: Error | undefined, reason: string): RunEvent {
    if (slot.terminatedRun === current.id) return { type: 'cancelled', epochsCompleted: trial.epochs };
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
        free.current = { id: -1, trials: [] };
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

/** A run's last event: after it, its stream closes. */
function isLast(event: RunEvent): boolean {
  return event.type === 'done' || event.type === 'failed' || event.type === 'cancelled';
}

function end(trial: Trial): void {
  trial.ended = true;
  trial.events.close();
}

async function* once(event: RunEvent): AsyncGenerator<RunEvent> {
  yield event;
}

function threadFailure(message: string): RunEvent {
  return { type: 'failed', error: threadDied(message) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
