import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec, LossName } from './compile-spec.js';
import { initBackend } from './init-backend.js';
import { lossFunction } from './loss-function.js';
import { metricFunctions } from './metric-function.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function loss(name: LossName, y: number[][], p: number[][]): number {
  return tf.tidy(() => lossFunction(name)(tf.tensor2d(y), tf.tensor2d(p)).dataSync()[0] ?? NaN);
}

describe('Keras losses', () => {
  it('regression losses', () => {
    const y = [[0], [1], [2], [3]];
    const p = [[0.5], [1], [4], [1.5]];
    expect(loss('mse', y, p)).toBeCloseTo((0.25 + 0 + 4 + 2.25) / 4, 6);
    expect(loss('mae', y, p)).toBeCloseTo((0.5 + 0 + 2 + 1.5) / 4, 6);
    // Huber, delta 1: 0.5*0.25, 0, 2 - 0.5, 1.5 - 0.5
    expect(loss('huber', y, p)).toBeCloseTo((0.125 + 0 + 1.5 + 1) / 4, 6);
  });

  it('cross-entropies on probabilities, clipped like Keras', () => {
    expect(loss('binary_crossentropy', [[1], [0]], [[0.8], [0.4]])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 5);
    expect(loss('binary_crossentropy', [[1]], [[0]])).toBeCloseTo(-Math.log(1e-7), 1);
    expect(loss('categorical_crossentropy', [[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.5)) / 2,
      5,
    );
  });
});

describe('Keras accuracy', () => {
  function accuracy(compile: CompileSpec, units: number, y: number[][], p: number[][]): number {
    const [metric] = metricFunctions(compile, units);
    return tf.tidy(() => metric?.fn(tf.tensor2d(y), tf.tensor2d(p)).dataSync()[0] ?? NaN);
  }
  const spec = (loss: LossName): CompileSpec => ({ optimizer: { name: 'sgd' }, loss, metrics: ['accuracy'] });

  it('is binary accuracy for binary cross-entropy and for one-unit outputs', () => {
    expect(accuracy(spec('binary_crossentropy'), 1, [[1], [0], [1]], [[0.7], [0.6], [0.2]])).toBeCloseTo(1 / 3, 6);
    expect(accuracy(spec('mse'), 1, [[1], [0]], [[0.9], [0.1]])).toBe(1);
  });

  it('is categorical accuracy for (sparse) categorical cross-entropy', () => {
    const y = [
      [0, 1],
      [1, 0],
    ];
    const p = [
      [0.4, 0.6],
      [0.3, 0.7],
    ];
    expect(accuracy(spec('categorical_crossentropy'), 2, y, p)).toBe(0.5);
    expect(accuracy(spec('sparse_categorical_crossentropy'), 2, y, p)).toBe(0.5);
  });
});
