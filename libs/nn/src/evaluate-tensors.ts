import * as tf from '@tensorflow/tfjs';
import { forwardPass } from './forward-pass.js';
import type { LossFunction } from './loss-function.js';
import type { NamedMetric } from './metric-function.js';
import { penalizedLayers, regularizationPenalty } from './regularization-penalty.js';

/** Rows per forward pass in evaluate/predict: bounds memory on big inputs, one pass for typical ones. */
export const INFERENCE_CHUNK = 8192;

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
    let sums: tf.Tensor | undefined;
    for (let start = 0; start < n; start += INFERENCE_CHUNK) {
      const size = Math.min(INFERENCE_CHUNK, n - start);
      const xc = size === n ? x : tf.slice(x, start, size);
      const yc = size === n ? y : tf.slice(y, start, size);
      const p = forwardPass(model, xc, false);
      // Chunk means weighted by chunk size, so the result is the mean over all rows.
      const values = tf.mul(tf.stack([objective.loss(yc, p), ...objective.metrics.map((m) => m.fn(yc, p))]), size);
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
