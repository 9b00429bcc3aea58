import { initBackend, Network, type BackendChoice, type PackedFitTrial, type PackedOutcome, type TrainingRows } from '@trainyard/nn';
import type { ExperimentDefinition } from '@trainyard/contract';
import type { Dataset } from '@trainyard/data';
import { EventChannel } from './event-channel.js';
import type { DataOptions } from './prepare-data.js';
import { describeFailure } from './run-failure.js';
import type { PackInfo, RunEvent, StartEvent } from './run-events.js';
import { finishTrial, fitOptions, startTrial, type RunEventSink, type StartedTrial } from './run-pipeline.js';

export interface PackedRunOptions extends DataOptions {
  backend?: BackendChoice;
  /** One per definition, in order: aborting one cancels that run only. */
  signals?: AbortSignal[];
  /** Report `batch` events (progress inside an epoch). */
  batchProgress?: boolean;
  /**
   * Train a run that can be packed through a pack's kernels even when it is alone (a pack of
   * one): how a rerun of a packed run gets the packed run's numbers on a backend where they
   * differ from the run alone (wasm). A packed trial's numbers do not depend on its pack's
   * other trials or size.
   */
  packAlone?: boolean;
}

/** An event of one run of a pack: `trial` is the definition's index. */
export interface TrialEvent {
  trial: number;
  event: RunEvent;
}

/**
 * Several runs at once, each reported as runPipeline reports it alone (start, epochs, then
 * done, failed or cancelled), tagged with its index. Runs whose networks share a pack
 * signature and their number of training rows and batch size train as one computation
 * (Network.fitPacked), with the same numbers as alone; the rest train one after the other.
 * A run that fails (its data, a non-finite loss) fails alone.
 */
export async function* runPackedPipeline(defs: (ExperimentDefinition & { seed: number })[], options: PackedRunOptions): AsyncGenerator<TrialEvent> {
  const channel = new EventChannel<TrialEvent>();
  const abort = new AbortController();
  const task = execute(defs, options, abort.signal, channel)
    .catch((error: unknown) => {
      // Only reached by a failure outside any one run (the backend would not load): every run has it.
      defs.forEach((_, trial) => channel.push({ trial, event: { type: 'failed', error: describeFailure(error) } }));
    })
    .finally(() => channel.close());
  try {
    yield* channel;
  } finally {
    // A consumer that stops listening stops every run.
    abort.abort();
    await task;
  }
}

async function execute(
  defs: (ExperimentDefinition & { seed: number })[],
  options: PackedRunOptions,
  stopAll: AbortSignal,
  channel: EventChannel<TrialEvent>,
): Promise<void> {
  const { backend: choice, signals = [], batchProgress, packAlone = false, ...dataOptions } = options;
  const backend = await initBackend(choice ?? 'auto');
  const signalOf = (trial: number): AbortSignal => AbortSignal.any([stopAll, ...(signals[trial] ? [signals[trial]] : [])]);
  const sinks = defs.map((_, trial) => new TrialSink(trial, channel));
  const started: { trial: number; run: StartedTrial }[] = [];
  // The runs of a pack usually train on one dataset: loaded once for all of them.
  const shared = { ...dataOptions, loaded: new Map<string, Promise<Dataset>>() };
  try {
    for (const [trial, def] of defs.entries()) {
      try {
        started.push({ trial, run: await startTrial(def, backend, shared, sinks[trial] as TrialSink) });
      } catch (error) {
        channel.push({ trial, event: { type: 'failed', error: describeFailure(error) } });
      }
    }
    for (const group of packs(started)) {
      const packed = group.length > 1 || (packAlone && group[0]?.run.net.packSignature() !== undefined);
      const pack: PackInfo | undefined = packed ? { size: group.length } : undefined;
      for (const { trial } of group) sinks[trial]?.releaseStart(pack);
      if (!packed) {
        const [{ trial, run }] = group as [{ trial: number; run: StartedTrial }];
        await reported(trial, async () => finishTrial(run, await run.net.fit(rowsOf(run), fitOptions(run, signalOf(trial), batchProgress))));
        continue;
      }
      const trials = group.map(
        ({ trial, run }): PackedFitTrial => ({
          network: run.net,
          data: rowsOf(run),
          options: fitOptions(run, signalOf(trial), batchProgress),
          onEnd: (outcome: PackedOutcome) => reported(trial, () => ('error' in outcome ? Promise.reject(outcome.error) : finishTrial(run, outcome.result))),
        }),
      );
      await Network.fitPacked(trials);
    }
  } finally {
    for (const { run } of started) run.net.dispose();
  }

  /** Runs one run's remaining work; what it throws fails that run only. */
  async function reported(trial: number, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      channel.push({ trial, event: { type: 'failed', error: describeFailure(error) } });
    }
  }
}

/** Started runs grouped by what a pack needs them to share; each group trains as one pack (or alone). */
function packs(started: { trial: number; run: StartedTrial }[]): { trial: number; run: StartedTrial }[][] {
  const groups = new Map<string, { trial: number; run: StartedTrial }[]>();
  for (const entry of started) {
    const signature = entry.run.net.packSignature();
    const key = signature === undefined ? `alone:${entry.trial}` : `${signature};${entry.run.data.train.x.length};${entry.run.def.batchSize}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()];
}

function rowsOf(run: StartedTrial): TrainingRows {
  return { x: run.data.train.x, y: run.data.train.y };
}

/**
 * One run's events into the pack's channel. Its start event waits until the pack is known,
 * so that it can say the run trains in one.
 */
class TrialSink implements RunEventSink {
  private pendingStart: StartEvent | undefined;

  constructor(
    private readonly trial: number,
    private readonly channel: EventChannel<TrialEvent>,
  ) {}

  push(event: RunEvent): void {
    if (event.type === 'start') this.pendingStart = event;
    else this.channel.push({ trial: this.trial, event });
  }

  pushOrReplace(event: RunEvent, replaceable: (queued: RunEvent) => boolean): void {
    this.channel.pushOrReplace({ trial: this.trial, event }, (queued) => queued.trial === this.trial && replaceable(queued.event));
  }

  releaseStart(pack: PackInfo | undefined): void {
    if (!this.pendingStart) return;
    this.channel.push({ trial: this.trial, event: pack ? { ...this.pendingStart, pack } : this.pendingStart });
    this.pendingStart = undefined;
  }
}
