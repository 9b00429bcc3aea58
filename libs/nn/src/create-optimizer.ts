import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from './compile-spec.js';
import { TrainingError } from './training-error.js';

/** Keras' epsilon default; tfjs would otherwise take the backend's epsilon, which differs on some backends. */
const KERAS_EPSILON = 1e-7;

/** The tfjs optimizer for a Keras optimizer spec, with Keras' defaults. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  if (typeof spec !== 'object' || spec === null) throw new TrainingError('INVALID_SPEC', 'compile.optimizer must be an object');
  switch (spec.name) {
    case 'sgd': {
      const learningRate = positive(spec.learningRate ?? 0.01, 'learningRate');
      const momentum = nonNegative(spec.momentum ?? 0, 'momentum');
      // tfjs' momentum update (accum = m accum + g; w -= lr accum) equals Keras' (v = m v - lr g; w += v)
      // for a constant learning rate; plain SGD avoids the accumulator when there is no momentum.
      return momentum === 0 && !spec.nesterov
        ? tf.train.sgd(learningRate)
        : tf.train.momentum(learningRate, momentum, spec.nesterov ?? false);
    }
    case 'adam':
      return tf.train.adam(
        positive(spec.learningRate ?? 0.001, 'learningRate'),
        fraction(spec.beta1 ?? 0.9, 'beta1'),
        fraction(spec.beta2 ?? 0.999, 'beta2'),
        positive(spec.epsilon ?? KERAS_EPSILON, 'epsilon'),
      );
    case 'rmsprop':
      return tf.train.rmsprop(
        positive(spec.learningRate ?? 0.001, 'learningRate'),
        fraction(spec.rho ?? 0.9, 'rho'),
        nonNegative(spec.momentum ?? 0, 'momentum'),
        positive(spec.epsilon ?? KERAS_EPSILON, 'epsilon'),
      );
    case 'adagrad':
      return tf.train.adagrad(
        positive(spec.learningRate ?? 0.01, 'learningRate'),
        nonNegative(spec.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue'),
      );
    default:
      throw new TrainingError('INVALID_SPEC', `unknown optimizer '${String((spec as { name: unknown }).name)}'`);
  }
}

function positive(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw invalid(field, 'a finite number > 0', value);
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw invalid(field, 'a finite number >= 0', value);
  return value;
}

function fraction(value: number, field: string): number {
  if (!(value >= 0 && value < 1)) throw invalid(field, 'in [0, 1)', value);
  return value;
}

function invalid(field: string, expected: string, value: number): TrainingError {
  return new TrainingError('INVALID_SPEC', `optimizer.${field} must be ${expected}, got ${value}`);
}
