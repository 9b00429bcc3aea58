import * as tf from '@tensorflow/tfjs';
import { isSeededPerBatch } from './augmentation-layers.js';
import { denseNetwork, denseStep } from './dense-step.js';
import { drawSeed } from './draw-seed.js';
import { EarlyStopping } from './early-stopping.js';
import { forwardPass } from './forward-pass.js';
import { evaluationRecord, evaluationTensor, type Objective } from './evaluate-tensors.js';
import type { EpochReport, FitOptions, FitResult } from './fit-options.js';
import { RowBlock } from './row-block.js';
import { penalizedLayers, regularizationPenalty } from './regularization-penalty.js';
import { seededPermutation } from './seeded-permutation.js';
import { TrainingError } from './training-error.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Wall time between yields inside an epoch: a cancel or a lock renewal waits at most about this long. */
const YIELD_EVERY_MS = 100;

export interface TrainingSet {
  x: tf.Tensor;
  y: tf.Tensor;
  validation?: { x: tf.Tensor; y: tf.Tensor };
}

/**
 * What the solo loop takes: x as tensors, or (on wasm) as rows held in JavaScript that every
 * batch is copied from, so the backend never holds the whole training set.
 */
export type SoloTrainingSet = Omit<TrainingSet, 'x'> & { x: tf.Tensor | RowBlock };

type Layer = tf.LayersModel['layers'][number];

/**
 * Mini-batch training without model.fit: fit reads the loss back after every batch and
 * shuffles with Math.random. Here every batch is one tidy around optimizer.minimize whose
 * loss and metric scalars stay on the backend until the epoch ends, when they are read back
 * in a single transfer. The caller owns (and disposes) the tensors in `data`.
 */
export async function trainLoop(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  objective: Objective,
  data: SoloTrainingSet,
  options: FitOptions,
): Promise<FitResult> {
  // Where batches come from: rows in JavaScript (y read back once to join them), or tensors.
  const source = data.x instanceof RowBlock ? ({ rows: true, x: data.x, y: RowBlock.of([data.y]) } as const) : ({ rows: false, x: data.x } as const);
  const n = source.rows ? source.x.rowCount : (source.x.shape[0] ?? 0);
  const batchSize = options.batchSize ?? 32;
  checkOptions(options, batchSize);
  const metricNames = ['loss', ...objective.metrics.map((m) => m.name)];
  const early = options.earlyStopping
    ? new EarlyStopping(options.earlyStopping, data.validation !== undefined, [
        ...metricNames,
        ...(data.validation ? metricNames.map((name) => `val_${name}`) : []),
      ])
    : undefined;
  const batches = Math.ceil(n / batchSize);
  // Without an explicit list minimize() updates every trainable variable in the engine,
  // which includes those of any other model alive in the process.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const seeded = model.layers.filter(isSeededPerBatch);
  const penalized = penalizedLayers(model);
  // Plain Dense networks take a step with their gradients written out (dense-step.ts).
  const dense = denseNetwork(model, source.rows ? source.x.shape.length + 1 : source.x.rank);
  const history: EpochReport[] = [];
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  let cancelled = false;

  try {
    for (let epoch = 1; epoch <= options.epochs && !cancelled && !stoppedEarly; epoch++) {
      const started = performance.now();
      const sums = await runEpoch();
      if (sums === undefined) {
        cancelled = true;
        break;
      }
      const metrics: Record<string, number> = {};
      metricNames.forEach((name, i) => (metrics[name] = (sums[i] ?? NaN) / n));
      const loss = metrics['loss'] ?? NaN;
      if (!Number.isFinite(loss)) {
        throw new TrainingError('NON_FINITE_LOSS', `epoch ${epoch}: training loss is ${loss}`, { epoch });
      }
      if (data.validation) {
        const validation = await validate(data.validation);
        const diverged = Object.entries(validation).find(([, value]) => !Number.isFinite(value));
        // JSON has no Infinity or NaN: a record would lose it, and no later epoch recovers from it.
        if (diverged) throw new TrainingError('NON_FINITE_LOSS', `epoch ${epoch}: ${diverged[0]} is ${diverged[1]} (the model diverged; a lower learning rate may help)`, { epoch });
        Object.assign(metrics, validation);
      }
      const report: EpochReport = { epoch, metrics, durationMs: performance.now() - started };
      history.push(report);
      await options.onEpochEnd?.(report);
      if (early) {
        const step = early.update(epoch, metrics);
        if (step.improved && early.restoreBestWeights) {
          if (bestWeights) tf.dispose(bestWeights);
          bestWeights = model.getWeights().map((w) => tf.clone(w));
        }
        stoppedEarly = step.stop;
      }
      await yieldToEventLoop();
      cancelled = options.signal?.aborted ?? false;
    }
    // Keras 3 restores at the end of training, whether patience ran out or the epochs did.
    if (bestWeights && !cancelled) model.setWeights(bestWeights);
  } finally {
    if (bestWeights) tf.dispose(bestWeights);
  }
  return {
    history,
    stoppedEarly,
    cancelled,
    ...(early?.bestEpoch !== undefined ? { bestEpoch: early.bestEpoch } : {}),
  };

  /** One pass over a fresh permutation; per-metric sums over rows, or undefined when cancelled. */
  async function runEpoch(): Promise<Float64Array | undefined> {
    const order = Int32Array.from(seededPermutation(n, options.random));
    const losses: tf.Scalar[] = [];
    const predictions: tf.Tensor[] = [];
    const take = batchTaker(order);
    try {
      let lastYield = performance.now();
      for (let batch = 0; batch < batches; batch++) {
        const start = batch * batchSize;
        const size = Math.min(batchSize, n - start);
        reseed(seeded, options.random);
        const [loss, prediction] = tf.tidy(() => trainBatch(...take(start, size)));
        losses.push(loss);
        if (prediction) predictions.push(prediction);
        options.onBatchEnd?.(batch + 1, batches);
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (options.signal?.aborted) return undefined;
      }
      return await epochSums(losses, predictions, order);
    } finally {
      take.dispose();
      tf.dispose([...losses, ...predictions]);
    }
  }

  /**
   * How a batch's rows are taken. Rows held in JavaScript (wasm: see Network.fit) are copied
   * out for each batch (RowBlock: cheaper than wasm's gather kernel, and its slice kernel
   * copies the whole input out of wasm memory, so slicing 32 rows of an epoch-sized tensor
   * costs as much as copying the epoch). Tensors get one gather per epoch and a cheap slice
   * per batch. Both give the same rows in the same order.
   */
  function batchTaker(order: Int32Array): ((start: number, size: number) => [tf.Tensor, tf.Tensor]) & { dispose(): void } {
    if (source.rows) {
      const { x, y } = source;
      return Object.assign((start: number, size: number): [tf.Tensor, tf.Tensor] => {
        const rows = order.subarray(start, start + size);
        return [x.rows(rows), y.rows(rows)];
      }, { dispose: () => undefined });
    }
    const { x } = source;
    const [xs, ys] = tf.tidy(() => {
      const rows = tf.tensor1d(order, 'int32');
      return [tf.gather(x, rows), tf.gather(data.y, rows)];
    });
    return Object.assign((start: number, size: number): [tf.Tensor, tf.Tensor] => [tf.slice(xs, start, size), tf.slice(ys, start, size)], {
      dispose: () => tf.dispose([xs, ys]),
    });
  }

  /**
   * The loss, and the predictions of the pre-update forward pass when there are metrics to
   * compute: Keras reports training metrics on those predictions.
   */
  function trainBatch(xb: tf.Tensor, yb: tf.Tensor): [tf.Scalar, tf.Tensor | undefined] {
    const keepPrediction = objective.metrics.length > 0;
    if (dense) {
      const { gradients, loss, output } = denseStep(dense, xb, (p) => objective.loss(yb, p), keepPrediction);
      // What minimize() hands the optimizer: the gradients named, in the variables' order.
      optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradients[i] as tf.Tensor })));
      return [loss, output];
    }
    let prediction: tf.Tensor | undefined;
    const cost = optimizer.minimize(
      () => {
        // minimize() runs this inside its own tidy; keep() lets the prediction out for the metrics.
        const p = forwardPass(model, xb, true);
        if (keepPrediction) prediction = tf.keep(p);
        const loss = objective.loss(yb, p);
        const penalty = regularizationPenalty(penalized);
        return penalty ? (tf.add(loss, penalty) as tf.Scalar) : loss;
      },
      true,
      variables,
    );
    if (!cost) throw new Error('optimizer.minimize returned no cost although returnCost was true');
    return [cost, prediction];
  }

  /**
   * Reads the epoch back in one transfer: the loss as the batch-size-weighted mean of batch
   * losses (Keras' running mean), and each metric once over all of the epoch's predictions
   * against the targets in the same order. The mean over rows equals Keras' weighted mean of
   * batch means, with three ops per epoch instead of three per batch.
   */
  async function epochSums(losses: tf.Scalar[], predictions: tf.Tensor[], order: Int32Array): Promise<Float64Array> {
    const summary = tf.tidy(() => {
      const batchLosses = tf.stack(losses);
      if (objective.metrics.length === 0) return batchLosses;
      const p = tf.concat(predictions);
      const y = tf.gather(data.y, tf.tensor1d(order, 'int32'));
      return tf.concat([batchLosses, tf.stack(objective.metrics.map((m) => tf.mul(m.fn(y, p), n)))]);
    });
    const values = await summary.data();
    summary.dispose();
    const sums = new Float64Array(1 + objective.metrics.length);
    for (let b = 0; b < losses.length; b++) sums[0] = (sums[0] ?? 0) + (values[b] ?? NaN) * Math.min(batchSize, n - b * batchSize);
    for (let m = 0; m < objective.metrics.length; m++) sums[m + 1] = values[losses.length + m] ?? NaN;
    return sums;
  }

  async function validate(validation: { x: tf.Tensor; y: tf.Tensor }): Promise<Record<string, number>> {
    const values = evaluationTensor(model, objective, validation.x, validation.y);
    try {
      return evaluationRecord(await values.data(), objective.metrics, 'val_');
    } finally {
      values.dispose();
    }
  }
}

/**
 * tfjs' Dropout passes its seed to a fresh generator on every call, so a fixed seed drops
 * the same units in every batch, and no seed means Math.random; the augmentation layers work
 * the same way. A new seed from the run's generator before each batch, in layer order, gives
 * independent masks and images that replay exactly.
 */
function reseed(layers: Layer[], random: () => number): void {
  for (const layer of layers) (layer as unknown as { seed: number }).seed = drawSeed(random);
}

function checkOptions(options: FitOptions, batchSize: number): void {
  if (!(Number.isInteger(options.epochs) && options.epochs >= 1)) {
    throw new TrainingError('INVALID_SPEC', `epochs must be a positive integer, got ${options.epochs}`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new TrainingError('INVALID_SPEC', `batchSize must be a positive integer, got ${batchSize}`);
  }
  if (typeof options.random !== 'function') {
    throw new TrainingError('INVALID_SPEC', 'random must be a function returning numbers in [0, 1)');
  }
}
