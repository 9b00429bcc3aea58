import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from './compile-spec.js';
import { TrainingError } from './training-error.js';

/** Keras' epsilon default; tfjs would otherwise take the backend's epsilon, which differs on some backends. */
const KERAS_EPSILON = 1e-7;

/**
 * A Keras optimizer spec checked and with Keras' defaults filled in. `sgd` with momentum (or
 * Nesterov) is its own kind because tfjs trains it with a different optimizer and update.
 */
export type OptimizerSettings =
  | { kind: 'sgd'; learningRate: number }
  | { kind: 'momentum'; learningRate: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'rmsprop'; learningRate: number; rho: number; momentum: number; epsilon: number }
  | { kind: 'adagrad'; learningRate: number; initialAccumulatorValue: number };

/** Checks a spec and fills in Keras' defaults; throws INVALID_SPEC naming the field. */
export function optimizerSettings(spec: OptimizerSpec): OptimizerSettings {
  if (typeof spec !== 'object' || spec === null) throw new TrainingError('INVALID_SPEC', 'compile.optimizer must be an object');
  switch (spec.name) {
    case 'sgd': {
      const learningRate = positive(spec.learningRate ?? 0.01, 'learningRate');
      const momentum = nonNegative(spec.momentum ?? 0, 'momentum');
      // tfjs' momentum update (accum = m accum + g; w -= lr accum) equals Keras' (v = m v - lr g; w += v)
      // for a constant learning rate; plain SGD avoids the accumulator when there is no momentum.
      return momentum === 0 && !spec.nesterov ? { kind: 'sgd', learningRate } : { kind: 'momentum', learningRate, momentum, nesterov: spec.nesterov ?? false };
    }
    case 'adam':
      return {
        kind: 'adam',
        learningRate: positive(spec.learningRate ?? 0.001, 'learningRate'),
        beta1: fraction(spec.beta1 ?? 0.9, 'beta1'),
        beta2: fraction(spec.beta2 ?? 0.999, 'beta2'),
        epsilon: positive(spec.epsilon ?? KERAS_EPSILON, 'epsilon'),
      };
    case 'rmsprop':
      return {
        kind: 'rmsprop',
        learningRate: positive(spec.learningRate ?? 0.001, 'learningRate'),
        rho: fraction(spec.rho ?? 0.9, 'rho'),
        momentum: nonNegative(spec.momentum ?? 0, 'momentum'),
        epsilon: positive(spec.epsilon ?? KERAS_EPSILON, 'epsilon'),
      };
    case 'adagrad':
      return {
        kind: 'adagrad',
        learningRate: positive(spec.learningRate ?? 0.01, 'learningRate'),
        initialAccumulatorValue: nonNegative(spec.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue'),
      };
    default:
      throw new TrainingError('INVALID_SPEC', `unknown optimizer '${String((spec as { name: unknown }).name)}'`);
  }
}

/** The tfjs optimizer for a Keras optimizer spec, with Keras' defaults. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  const settings = optimizerSettings(spec);
  switch (settings.kind) {
    case 'sgd':
      return tf.train.sgd(settings.learningRate);
    case 'momentum':
      return tf.train.momentum(settings.learningRate, settings.momentum, settings.nesterov);
    case 'adam':
      return tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(settings.learningRate, settings.rho, settings.momentum, settings.epsilon);
    case 'adagrad':
      return tf.train.adagrad(settings.learningRate, settings.initialAccumulatorValue);
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
