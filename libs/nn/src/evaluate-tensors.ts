import * as tf from '@tensorflow/tfjs';
import { forwardPass } from './forward-pass.js';
import type { LossFunction } from './loss-function.js';
import type { NamedMetric } from './metric-function.js';
import { penalizedLayers, regularizationPenalty } from './regularization-penalty.js';

/** Rows per forward pass in evaluate/predict: bounds memory on big inputs, one pass for typical ones. */
const INFERENCE_CHUNK = 8192;

/**
 * Float values one chunk's forward pass may hold (64 MiB): a convnet's layer outputs are large
 * per row (the MNIST convnet's about 39,000 values), so its chunks are smaller than a dense
 * net's, and 10,000 test images do not take a gigabyte at once.
 */
const INFERENCE_VALUES = 16 * 2 ** 20;

/** Rows per forward pass for this model: INFERENCE_CHUNK, fewer when its layer outputs are large. */
export function inferenceRows(model: tf.LayersModel): number {
  const size = (shape: unknown): number =>
    Array.isArray(shape) ? shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1) : 0;
  const outputs = model.layers.reduce((sum, layer) => sum + size(Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape), 0);
  const perRow = outputs + size(model.inputs[0]?.shape);
  return Math.max(1, Math.min(INFERENCE_CHUNK, Math.floor(INFERENCE_VALUES / Math.max(perRow, 1))));
}

export interface Objective {
  loss: LossFunction;
  metrics: NamedMetric[];
}

/**
 * Keras evaluate() in inference mode (dropout off, batch-norm moving statistics), as one
 * tensor [loss, ...metrics] so the caller reads it back once. The loss includes the
 * regularization penalties, as Keras' evaluate loss does.
 */
export function evaluationTensor(model: tf.LayersModel, objective: Objective, x: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const n = x.shape[0] ?? 0;
    const chunk = inferenceRows(model);
    let sums: tf.Tensor | undefined;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      // Its own tidy: a chunk's activations are freed before the next chunk runs.
      const values = tf.tidy(() => {
        const xc = size === n ? x : tf.slice(x, start, size);
        const yc = size === n ? y : tf.slice(y, start, size);
        const p = forwardPass(model, xc, false);
        // Chunk means weighted by chunk size, so the result is the mean over all rows.
        return tf.mul(tf.stack([objective.loss(yc, p), ...objective.metrics.map((m) => m.fn(yc, p))]), size);
      });
      sums = sums ? tf.add(sums, values) : values;
    }
    const means = tf.div(sums ?? tf.zeros([1 + objective.metrics.length]), Math.max(n, 1));
    const penalty = regularizationPenalty(penalizedLayers(model));
    if (!penalty) return means as tf.Tensor1D;
    return tf.concat([tf.add(tf.slice(means, 0, 1), penalty), tf.slice(means, 1)]) as tf.Tensor1D;
  });
}

/** Names the values of an evaluation tensor: loss, mae, ... with an optional val_ prefix. */
export function evaluationRecord(
  values: ArrayLike<number>,
  metrics: NamedMetric[],
  prefix = '',
): Record<string, number> {
  const record: Record<string, number> = { [`${prefix}loss`]: values[0] ?? NaN };
  metrics.forEach((metric, i) => {
    record[`${prefix}${metric.name}`] = values[i + 1] ?? NaN;
  });
  return record;
}
