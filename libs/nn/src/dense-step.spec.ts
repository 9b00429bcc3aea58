import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { LossName } from './compile-spec.js';
import { denseNetwork, denseStep } from './dense-step.js';
import { forwardPass } from './forward-pass.js';
import { initBackend, type BackendName } from './init-backend.js';
import { lossFunction } from './loss-function.js';
import { mulberry32 } from './testing/mulberry32.js';

/** Uniform [-1, 1) values of a seeded generator. */
function values(shape: number[], seed: number): tf.Tensor {
  const random = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1), shape);
}

type Shape = [units: number, activation: string, useBias?: boolean][];

/** A Sequential model of Dense layers with seeded weights. */
function model(inputs: number, shape: Shape, seed: number): tf.Sequential {
  const built = tf.sequential({
    layers: shape.map(([units, activation, useBias = true], i) =>
      tf.layers.dense({ units, activation: activation as 'linear', useBias, ...(i === 0 ? { inputShape: [inputs] } : {}) }),
    ),
  });
  tf.tidy(() => built.setWeights(built.getWeights().map((w, i) => tf.mul(values(w.shape, seed + i), 0.5))));
  return built;
}

/** Targets for a loss: values for mse, one-hot rows for the cross-entropies. */
function targets(loss: LossName, rows: number, units: number): tf.Tensor {
  if (loss === 'mse') return values([rows, units], 2);
  if (units === 1) return tf.tensor2d(Array.from({ length: rows }, (_, i) => [i % 3 === 0 ? 1 : 0]));
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: rows }, (_, i) => i % units), 'int32'), units).toFloat());
}

/**
 * `steps` training steps of the same model from the same weights, once as the train loop's
 * tape path takes them (optimizer.minimize over forwardPass) and once with the dense step and
 * applyGradients: every batch's loss and output, then the final weights.
 */
function trainBothWays(
  inputs: number,
  shape: Shape,
  lossName: LossName,
  optimizer: () => tf.Optimizer,
  steps = 3,
): { tape: Float32Array[]; dense: Float32Array[]; initial: Float32Array[]; tensorsAfterSteps: number[] } {
  const loss = lossFunction(lossName);
  const x = values([32, inputs], 1);
  const y = targets(lossName, 32, shape.at(-1)?.[0] ?? 1);
  // After each step but the last (the first creates the optimizer's slots): a step leaves nothing behind.
  const tensorsAfterSteps: number[] = [];
  const run = (useDense: boolean): Float32Array[] => {
    const m = model(inputs, shape, 10);
    const opt = optimizer();
    const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const network = denseNetwork(m, 2);
    if (!network) throw new Error('the dense step does not take this model');
    const read: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      if (s > 0) tensorsAfterSteps.push(tf.memory().numTensors);
      tf.tidy(() => {
        if (useDense) {
          const step = denseStep(network, x, (p) => loss(y, p), true);
          opt.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: step.gradients[i] as tf.Tensor })));
          read.push(step.loss.dataSync() as Float32Array, (step.output as tf.Tensor).dataSync() as Float32Array);
          tf.dispose([step.loss, step.output as tf.Tensor]);
        } else {
          let output: tf.Tensor | undefined;
          const cost = opt.minimize(
            () => {
              const p = forwardPass(m, x, true);
              output = tf.keep(p);
              return loss(y, p);
            },
            true,
            variables,
          );
          read.push((cost as tf.Scalar).dataSync() as Float32Array, (output as tf.Tensor).dataSync() as Float32Array);
          tf.dispose([cost as tf.Scalar, output as tf.Tensor]);
        }
      });
    }
    read.push(...m.getWeights().map((w) => w.dataSync() as Float32Array));
    opt.dispose();
    m.dispose();
    return read;
  };
  const initial = model(inputs, shape, 10);
  const result = { tape: run(false), dense: run(true), initial: initial.getWeights().map((w) => w.dataSync() as Float32Array), tensorsAfterSteps };
  initial.dispose();
  tf.dispose([x, y]);
  return result;
}

const cases: [string, number, Shape, LossName, () => tf.Optimizer][] = [
  ['the California network, mse, sgd', 8, [[16, 'relu'], [12, 'relu'], [1, 'linear']], 'mse', () => tf.train.sgd(0.05)],
  ['tanh, sigmoid and linear hidden layers under a softmax, cross-entropy, adam', 5, [[7, 'tanh'], [6, 'sigmoid'], [4, 'linear'], [3, 'softmax']], 'categorical_crossentropy', () => tf.train.adam(0.01)],
  ['layers without bias, a sigmoid output, binary cross-entropy, momentum', 4, [[9, 'relu', false], [5, 'tanh'], [1, 'sigmoid', false]], 'binary_crossentropy', () => tf.train.momentum(0.05, 0.9, true)],
];

describe.each<BackendName>(['cpu', 'wasm'])('the dense step on %s', (backend) => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it.each(cases)('%s: every loss, output and weight equals the tape path\'s, bit for bit', async (_, inputs, shape, loss, optimizer) => {
    await initBackend(backend);
    const { tape, dense, initial, tensorsAfterSteps } = trainBothWays(inputs, shape, loss, optimizer);
    expect(dense).toHaveLength(tape.length);
    tape.forEach((want, i) => expect(Array.from(dense[i] as Float32Array), `part ${i}`).toEqual(Array.from(want)));
    // Every weight moved: the comparison is of training, not of steps that changed nothing.
    initial.forEach((start, i) => expect(Array.from(tape[tape.length - initial.length + i] as Float32Array), `weight ${i}`).not.toEqual(Array.from(start)));
    const [first, second, third, fourth] = tensorsAfterSteps;
    expect([second, fourth]).toEqual([first, third]);
  });
});

describe('the models the dense step takes', () => {
  it('takes Sequential Dense networks on feature vectors whose hidden activations it derives; the rest train on the tape', () => {
    const take = (m: tf.LayersModel, rank = 2): boolean => denseNetwork(m, rank) !== undefined;
    expect(take(model(4, [[8, 'relu'], [3, 'softmax']], 1))).toBe(true);
    expect(take(model(4, [[8, 'elu'], [1, 'linear']], 1))).toBe(false);
    expect(take(model(4, [[8, 'relu'], [1, 'linear']], 1), 3)).toBe(false);
    const withDropout = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 1 })] });
    expect(take(withDropout)).toBe(false);
    const regularized = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) })] });
    expect(take(regularized)).toBe(false);
    const frozen = model(4, [[8, 'relu'], [1, 'linear']], 1);
    (frozen.layers[0] as tf.layers.Layer).trainable = false;
    expect(take(frozen)).toBe(false);
  });
});
