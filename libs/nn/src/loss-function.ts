import * as tf from '@tensorflow/tfjs';
import type { LossName } from './compile-spec.js';

/** Mean loss over a batch: yTrue and yPred are [batch, units]. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

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
  switch (name) {
    case 'mse':
      // squaredDifference is one kernel instead of sub + square: per-op overhead dominates small batches.
      return (y, p) => tf.mean(tf.squaredDifference(y, p));
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
    case 'huber':
      return huber;
    case 'binary_crossentropy':
      return binaryCrossentropy;
    case 'categorical_crossentropy':
    case 'sparse_categorical_crossentropy':
      return categoricalCrossentropy;
  }
}

/** Keras Huber: 0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta); written as TF does, without a select. */
function huber(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const error = tf.abs(tf.sub(y, p));
  const quadratic = tf.minimum(error, HUBER_DELTA);
  const linear = tf.sub(error, quadratic);
  return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(HUBER_DELTA, linear)));
}

/** Keras binary cross-entropy on probabilities (from_logits=False): clip, then -[y log p + (1-y) log(1-p)]. */
function binaryCrossentropy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const clipped = tf.clipByValue(p, EPSILON, 1 - EPSILON);
  const positive = tf.mul(y, tf.log(clipped));
  const negative = tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped)));
  return tf.neg(tf.mean(tf.add(positive, negative))) as tf.Scalar;
}

/** Keras categorical cross-entropy on probabilities: renormalize rows, clip, -sum(y log p) per row, mean. */
function categoricalCrossentropy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const normalized = tf.div(p, tf.sum(p, -1, true));
  const clipped = tf.clipByValue(normalized, EPSILON, 1 - EPSILON);
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(clipped)), -1))) as tf.Scalar;
}
