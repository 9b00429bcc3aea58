import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseForward } from '../dense-forward.js';
import { initBackend } from '../init-backend.js';
import { packedLossFunction } from '../loss-function.js';
import type { LossName } from '../compile-spec.js';
import { mulberry32 } from '../testing/mulberry32.js';
import { packLayers, type PackedDense } from './pack-layers.js';
import { productPerTrial, rowsFirstStep, rowsFirstStepFits } from './rows-first-pass.js';

/** Uniform [-1, 1) values of a seeded generator. */
function values(shape: number[], seed: number): tf.Tensor {
  const random = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1), shape);
}

/** How many values of `a` differ from `b` by more than `relative` of b's largest magnitude (0: any bit). */
function countDiffering(a: Float32Array, b: Float32Array, relative = 0): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  const tolerance = relative * b.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
  return a.filter((v, j) => Math.abs(v - (b[j] as number)) > tolerance).length;
}

/** A Sequential model's Dense layers as a pack sees them. */
function denseLayers(inputs: number, layers: [number, string][]): PackedDense[] {
  const model = tf.sequential({
    layers: layers.map(([units, activation], i) =>
      tf.layers.dense({ units, activation: activation as 'linear', ...(i === 0 ? { inputShape: [inputs] } : {}) }),
    ),
  });
  const dense = packLayers(model);
  model.dispose();
  if (typeof dense === 'string') throw new Error(dense);
  return dense;
}

/**
 * One step's gradients, per-trial losses and output, by the rows-first step and by tfjs' tape
 * over the batched matMul formulation (the reference), from the same weights and rows.
 */
function bothWays(layers: PackedDense[], trials: number, rows: number, lossName: LossName): { rowsFirst: Float32Array[]; tape: Float32Array[] } {
  return tf.tidy(() => {
    const sizes = [layers[0]?.inputs ?? 0, ...layers.map((l) => l.units)];
    const kernels = layers.map((_, l) => tf.variable(tf.mul(values([trials, sizes[l] ?? 0, sizes[l + 1] ?? 0], 10 + l), 0.5)));
    const biases = layers.map((layer, l) => tf.variable(tf.mul(values([trials, 1, layer.units], 20 + l), 0.1)));
    const variables = [...kernels, ...biases];
    const x = values([trials, rows, sizes[0] ?? 0], 1); // trials first
    const y = lossName === 'mse' ? values([trials, rows, sizes.at(-1) ?? 0], 2) : tf.oneHot(tf.tensor1d(Array.from({ length: trials * rows }, (_, i) => i % (sizes.at(-1) ?? 1)), 'int32'), sizes.at(-1) ?? 1).reshape([trials, rows, -1]).toFloat();
    const loss = packedLossFunction(lossName);
    const read = (tensors: tf.Tensor[]): Float32Array[] => tensors.map((t) => t.dataSync() as Float32Array);

    const step = rowsFirstStep(
      { layers, kernels: kernels.map((k) => tf.transpose(k, [1, 0, 2])), biases },
      { rowsFeaturesTrials: tf.transpose(x, [1, 2, 0]), featuresRowsTrials: tf.transpose(x, [2, 1, 0]) },
      (out) => loss(y, out),
      true,
    );
    let perTrial: tf.Tensor | undefined;
    let output: tf.Tensor | undefined;
    const { grads } = tf.variableGrads(() => {
      let h = x;
      layers.forEach((layer, l) => (h = denseForward(h, kernels[l] as tf.Variable, biases[l], layer.activation)));
      output = tf.keep(h);
      perTrial = tf.keep(loss(y, h));
      return tf.sum(perTrial) as tf.Scalar;
    }, variables);
    const result = {
      // Its kernel gradients are [in, trials, out], as its kernels.
      rowsFirst: read([...step.gradients.map((g, i) => (i < kernels.length ? tf.transpose(g, [1, 0, 2]) : g)), step.perTrial, step.output as tf.Tensor]),
      tape: read([...variables.map((v) => grads[v.name] as tf.Tensor), perTrial as tf.Tensor, output as tf.Tensor]),
    };
    // tf.keep lets them out of every tidy: the caller disposes them, as the pack does.
    tf.dispose([...variables, perTrial as tf.Tensor, output as tf.Tensor, step.perTrial, step.output as tf.Tensor]);
    return result;
  });
}

describe('the rows-first step on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each([
    [32, 16, 8, 16],
    [32, 16, 16, 12],
    [26, 16, 12, 1],
    [32, 1, 8, 16],
    [48, 3, 48, 5],
  ])('rows %i, trials %i, %i -> %i: a depthwise convolution gives the batched matMul product, bit for bit', (rows, trials, inputs, units) => {
    tf.tidy(() => {
      const h = values([trials, rows, inputs], 1);
      const kernel = values([trials, inputs, units], 2);
      const product = tf.transpose(productPerTrial(tf.transpose(h, [1, 2, 0]), tf.transpose(kernel, [1, 0, 2])), [1, 0, 2]);
      expect(countDiffering(product.dataSync() as Float32Array, tf.matMul(h, kernel).dataSync() as Float32Array)).toBe(0);
    });
  });

  it('sums of more than 48 terms: matMul adds them in blocks of 48, the convolution in one run, so they differ in the last bits only', () => {
    tf.tidy(() => {
      const h = values([4, 128, 64], 3);
      const kernel = values([4, 64, 10], 4);
      const product = tf.transpose(productPerTrial(tf.transpose(h, [1, 2, 0]), tf.transpose(kernel, [1, 0, 2])), [1, 0, 2]).dataSync() as Float32Array;
      const reference = tf.matMul(h, kernel).dataSync() as Float32Array;
      expect(countDiffering(product, reference)).toBeGreaterThan(0);
      expect(countDiffering(product, reference, 1e-6)).toBe(0);
    });
  });

  it.each<[string, number, [number, string][], LossName]>([
    ['the California network, mse', 8, [[16, 'relu'], [12, 'relu'], [1, 'linear']], 'mse'],
    ['tanh, sigmoid and linear hidden layers under a softmax, cross-entropy', 5, [[7, 'tanh'], [6, 'sigmoid'], [4, 'linear'], [3, 'softmax']], 'categorical_crossentropy'],
  ])('%s: the same gradients, losses and outputs as tfjs\' tape over batched matMul, bit for bit', (_, inputs, shape, loss) => {
    const layers = denseLayers(inputs, shape);
    expect(rowsFirstStepFits(layers)).toBe(true);
    const { rowsFirst, tape } = bothWays(layers, 6, 32, loss);
    expect(rowsFirst).toHaveLength(tape.length);
    tape.forEach((want, i) => expect(countDiffering(rowsFirst[i] as Float32Array, want), `part ${i}`).toBe(0));
  });

  it('leaves hidden activations it has no derivative for to the tape, and nothing behind', () => {
    expect(rowsFirstStepFits(denseLayers(4, [[8, 'elu'], [1, 'linear']]))).toBe(false);
    expect(rowsFirstStepFits(denseLayers(4, [[8, 'relu'], [3, 'softmax']]))).toBe(true);
    const before = tf.memory().numTensors;
    bothWays(denseLayers(4, [[8, 'relu'], [2, 'sigmoid']]), 2, 8, 'mse');
    expect(tf.memory().numTensors).toBe(before);
  });
});
