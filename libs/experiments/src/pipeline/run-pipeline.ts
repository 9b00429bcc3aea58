import { randomInt } from 'node:crypto';
import { Rng } from '@trainyard/data';
import { initBackend, Network, type BackendChoice, type BackendInfo, type FitOptions, type FitResult, type ModelSummary } from '@trainyard/nn';
import type { ExperimentDefinition } from '@trainyard/contract';
import { EventChannel } from './event-channel.js';
import { evaluateTestPart, predictRows, sampleRows } from './evaluate-run.js';
import { prepareData, type DataOptions, type PreparedData } from './prepare-data.js';
import { describeFailure } from './run-failure.js';
import type { RunEvent } from './run-events.js';

/** Models up to this many parameters report their weights (the notebook prints its neuron's w and b). */
export const SMALL_MODEL_PARAMS = 100;

/** Batch progress is reported at most this often; the loss is only read at epoch ends. */
const BATCH_EVENT_INTERVAL_MS = 100;

export interface RunOptions extends DataOptions {
  backend?: BackendChoice;
  signal?: AbortSignal;
  /** Report `batch` events (progress inside an epoch). */
  batchProgress?: boolean;
}

/** A definition whose seed is set: the one given, or one drawn now and recorded. */
export function withSeed(def: ExperimentDefinition): ExperimentDefinition & { seed: number } {
  return { ...def, seed: def.seed ?? randomInt(0, 2 ** 31) };
}

/**
 * One run: data, preprocessing, model, training and evaluation, reported as a stream of
 * events ending with `done`, `failed` or `cancelled`. Every random draw comes from the
 * run's seed through named streams, so the same definition and seed give the same numbers.
 */
export async function* runPipeline(def: ExperimentDefinition & { seed: number }, options: RunOptions): AsyncGenerator<RunEvent> {
  const channel = new EventChannel<RunEvent>();
  const abort = new AbortController();
  const forward = (): void => abort.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  if (options.signal?.aborted) abort.abort();

  const task = execute(def, { ...options, signal: abort.signal }, channel)
    .catch((error: unknown) => channel.push({ type: 'failed', error: describeFailure(error) }))
    .finally(() => channel.close());
  try {
    yield* channel;
  } finally {
    // A consumer that stops listening stops the run too.
    abort.abort();
    options.signal?.removeEventListener('abort', forward);
    await task;
  }
}

async function execute(
  def: ExperimentDefinition & { seed: number },
  options: RunOptions & { signal: AbortSignal },
  channel: EventChannel<RunEvent>,
): Promise<void> {
  const { backend: choice, signal, batchProgress, ...dataOptions } = options;
  const backend = await initBackend(choice ?? 'auto');
  const trial = await startTrial(def, backend, dataOptions, channel);
  try {
    const fit = await trial.net.fit({ x: trial.data.train.x, y: trial.data.train.y }, fitOptions(trial, signal, batchProgress));
    await finishTrial(trial, fit);
  } finally {
    trial.net.dispose();
  }
}

/** Where a run's events go: its own channel, or its slot in a pack's (see runPackedPipeline). */
export type RunEventSink = Pick<EventChannel<RunEvent>, 'push' | 'pushOrReplace'>;

/** A run between its start event and its end: its data, its built network and where its events go. */
export interface StartedTrial {
  def: ExperimentDefinition & { seed: number };
  data: PreparedData;
  net: Network;
  summary: ModelSummary;
  channel: RunEventSink;
  /** performance.now() when the run began (its result's durationMs counts from here). */
  started: number;
}

/**
 * Loads and splits the data, builds the network from the run's `init` stream and reports
 * `start`. The caller disposes `net`.
 */
export async function startTrial(
  def: ExperimentDefinition & { seed: number },
  backend: BackendInfo,
  dataOptions: DataOptions,
  channel: RunEventSink,
): Promise<StartedTrial> {
  const started = performance.now();
  const { seed } = def;
  const data = await prepareData(def, seed, dataOptions);
  const { dataset, train, validation, test } = data;
  const init = Rng.derive(seed, 'init');
  const net = Network.build(
    { inputShape: data.inputShape, layers: def.model.layers },
    { optimizer: def.optimizer, loss: def.loss, metrics: def.metrics },
    () => init.next(),
  );
  try {
    const summary = net.summary();
    channel.push({
      type: 'start',
      seed,
      backend,
      dataset: {
        name: dataset.name,
        task: dataset.task,
        hash: dataset.hash,
        rows: dataset.x.length,
        featureNames: dataset.featureNames,
        targetNames: dataset.targetNames,
        ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
        ...(dataset.imageShape ? { imageShape: dataset.imageShape } : {}),
        ...(dataset.pixelMax !== undefined ? { pixelMax: dataset.pixelMax } : {}),
      },
      split: { train: train.x.length, validation: validation?.x.length ?? 0, test: test?.x.length ?? 0 },
      summary,
      ...(summary.totalParams <= SMALL_MODEL_PARAMS ? { initialWeights: net.weights() } : {}),
    });
    return { def, data, net, summary, channel, started };
  } catch (error) {
    net.dispose();
    throw error;
  }
}

/** Fit options of a run: its epochs, batches, validation and early stopping, its `shuffle` stream, and its events. */
export function fitOptions(trial: StartedTrial, signal: AbortSignal, batchProgress: boolean | undefined): FitOptions {
  const { def, data, channel } = trial;
  const shuffle = Rng.derive(def.seed, 'shuffle');
  let lastBatchEvent = 0;
  let currentEpoch = 1;
  return {
    epochs: def.epochs,
    batchSize: def.batchSize,
    ...(data.validation ? { validation: { x: data.validation.x, y: data.validation.y } } : {}),
    ...(def.earlyStopping ? { earlyStopping: def.earlyStopping } : {}),
    random: () => shuffle.next(),
    signal,
    onEpochEnd: (report) => {
      currentEpoch = report.epoch + 1;
      channel.push({ type: 'epoch', epoch: report.epoch, epochs: def.epochs, metrics: report.metrics, durationMs: report.durationMs });
    },
    ...(batchProgress
      ? {
          onBatchEnd: (batch: number, batches: number) => {
            const now = performance.now();
            if (batch !== batches && now - lastBatchEvent < BATCH_EVENT_INTERVAL_MS) return;
            lastBatchEvent = now;
            channel.pushOrReplace({ type: 'batch', epoch: currentEpoch, batch, batches }, (queued) => queued.type === 'batch');
          },
        }
      : {}),
  };
}

/** Reports how a trained run ended: `cancelled`, or `done` with its test evaluation, samples and model. */
export async function finishTrial(trial: StartedTrial, fit: FitResult): Promise<void> {
  const { def, data, net, summary, channel } = trial;
  const { preprocessor, train, test } = data;
  if (fit.cancelled) {
    channel.push({ type: 'cancelled', epochsCompleted: fit.history.length });
    return;
  }
  const tested = test ? evaluateTestPart(net, preprocessor, test) : undefined;
  channel.push({
    type: 'done',
    result: {
      testMetrics: tested?.testMetrics ?? {},
      evaluation: tested?.evaluation ?? null,
      samplesFrom: test ? 'test' : 'train',
      samples: sampleRows(net, preprocessor, test ?? train, {
        ...(tested ? { outputs: tested.outputs } : {}),
        ...(data.dataset.imageShape ? { imageRow: data.dataset.imageShape.reduce((a, b) => a * b, 1) } : {}),
      }),
      predictions: def.predict ? predictRows(net, preprocessor, def.predict) : [],
      history: fit.history,
      stoppedEarly: fit.stoppedEarly,
      ...(fit.bestEpoch !== undefined ? { bestEpoch: fit.bestEpoch } : {}),
      summary,
      ...(summary.totalParams <= SMALL_MODEL_PARAMS ? { weights: net.weights() } : {}),
      model: await net.toArtifacts(),
      preprocessor: preprocessor.toJSON(),
      durationMs: performance.now() - trial.started,
    },
  });
}
