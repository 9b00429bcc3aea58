import * as tf from '@tensorflow/tfjs';
import type { LossName } from './compile-spec.js';

/** Mean loss over a batch: yTrue and yPred are [batch, units]. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** The loss of each trial of a pack: yTrue and yPred are [trials, batch, units]; the result is [trials]. */
export type PackedLossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D;

/** How a loss averages its elementwise terms: over everything, or over all but a pack's trial axis. */
type Mean = (terms: tf.Tensor) => tf.Tensor;

const overAll: Mean = (terms) => tf.mean(terms);
/** Each trial's mean reduces its own elements in the same order as overAll does for a lone run. */
const perTrial: Mean = (terms) => tf.mean(terms, Array.from({ length: terms.rank - 1 }, (_, i) => i + 1));

/** Keras' backend epsilon, used to clip probabilities before log. */
const EPSILON = 1e-7;
/** Keras' Huber default. */
const HUBER_DELTA = 1;

/**
 * Keras' loss for a name, averaged over the batch. sparse_categorical_crossentropy gets
 * one-hot targets (see target-tensor.ts), which makes it categorical cross-entropy here:
 * -sum(onehot * log p) is exactly -log p[class].
 */
export function lossFunction(name: LossName): LossFunction {
  const loss = lossOver(name, overAll);
  return (y, p) => loss(y, p) as tf.Scalar;
}

/** The same losses for a pack of trials trained as one computation (see packed/). */
export function packedLossFunction(name: LossName): PackedLossFunction {
  const loss = lossOver(name, perTrial);
  return (y, p) => loss(y, p) as tf.Tensor1D;
}

function lossOver(name: LossName, mean: Mean): (y: tf.Tensor, p: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'mse':
      // squaredDifference is one kernel instead of sub + square: per-op overhead dominates small batches.
      return (y, p) => mean(tf.squaredDifference(y, p));
    case 'mae':
      return (y, p) => mean(tf.abs(tf.sub(y, p)));
    case 'huber':
      return (y, p) => mean(huberTerms(y, p));
    case 'binary_crossentropy':
      return (y, p) => tf.neg(mean(binaryCrossentropyTerms(y, p)));
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      return (y, p) => tf.neg(mean(categoricalCrossentropyTerms(y, p)));
  }
}

/** Keras Huber: 0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta); written as TF does, without a select. */
function huberTerms(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const error = tf.abs(tf.sub(y, p));
  const quadratic = tf.minimum(error, HUBER_DELTA);
  const linear = tf.sub(error, quadratic);
  return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(HUBER_DELTA, linear));
}

/** Keras binary cross-entropy on probabilities (from_logits=False): clip, then -[y log p + (1-y) log(1-p)], whose terms these are before the sign. */
function binaryCrossentropyTerms(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
  const positive = tf.mul(y, tf.log(clipped));
  const negative = tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped)));
  return tf.add(positive, negative);
}

/** Keras categorical cross-entropy on probabilities: renormalize rows, clip, sum(y log p) per row (then -mean). */
function categoricalCrossentropyTerms(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const normalized = tf.div(p, tf.sum(p, -1, true));
  const clipped = tf.clipByValue(normalized, EPSILON, 1 - EPSILON);
  return tf.sum(tf.mul(y, tf.log(clipped)), -1);
}
