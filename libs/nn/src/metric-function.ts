import * as tf from '@tensorflow/tfjs';
import type { CompileSpec, MetricName } from './compile-spec.js';

/** Mean metric value over a batch. */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

export interface NamedMetric {
  /** Keras' key in logs: mae, mse, accuracy. */
  name: MetricName;
  fn: MetricFunction;
}

/** Keras' binary_accuracy threshold. */
const THRESHOLD = 0.5;

/**
 * The compiled metrics. 'accuracy' is resolved the way Keras resolves it: binary accuracy for
 * binary_crossentropy, categorical accuracy for (sparse_)categorical_crossentropy (sparse
 * targets arrive one-hot), otherwise binary when the model has one output unit, else categorical.
 */
export function metricFunctions(compile: CompileSpec, outputUnits: number): NamedMetric[] {
  return compile.metrics.map((name) => ({ name, fn: metricFunction(name, compile, outputUnits) }));
}

function metricFunction(name: MetricName, compile: CompileSpec, outputUnits: number): MetricFunction {
  switch (name) {
    case 'mae':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
    case 'mse':
      return (y, p) => tf.mean(tf.squaredDifference(y, p));
    case 'accuracy':
      return usesBinaryAccuracy(compile, outputUnits) ? binaryAccuracy : categoricalAccuracy;
  }
}

function usesBinaryAccuracy(compile: CompileSpec, outputUnits: number): boolean {
  if (compile.loss === 'binary_crossentropy') return true;
  if (compile.loss === 'categorical_crossentropy' || compile.loss === 'sparse_categorical_crossentropy') return false;
  return outputUnits === 1;
}

function binaryAccuracy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(y, tf.cast(tf.greater(p, THRESHOLD), 'float32')), 'float32'));
}

function categoricalAccuracy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(p, -1)), 'float32'));
}
