/**
 * The least a TensorFlow.js user writes to train an MLP (ReLU hidden layers, linear output,
 * MSE, plain SGD) on mini-batches: per batch, one tidy that gathers the batch's rows, takes
 * `tf.variableGrads` of the loss of a hand-written forward pass and assigns `w - lr * g` to
 * every variable. Nothing else per batch: no metrics, no loss read back, no callbacks. This is
 * the "minimal loop" issue 13 holds trainyard's own loop against (at most 1.15x its time).
 *
 * The forward pass is matMul, add, relu: the same three ops per layer as trainyard's loop
 * (libs/nn dense-forward.ts), so a difference in time is loop overhead, not kernel choice.
 */
import * as tf from '@tensorflow/tfjs';
import { seededPermutation, type MlpWeights } from './plain-mlp.js';

export interface MinimalLoopOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Uniform [0, 1) for the per-epoch shuffle (the same permutation as trainyard's and plain-mlp's). */
  random: () => number;
}

/**
 * Trains from `init` on `xs` [n, inputs] and `ys` [n, outputs] (the caller owns both) and
 * returns each epoch's training loss, read back once per epoch: the batch losses stay on the
 * backend as scalars and are stacked into one tensor at the epoch's end, so the loop shows it
 * trains without a per-batch read-back. Every tensor it makes is disposed before it returns.
 */
export async function trainMinimalLoop(xs: tf.Tensor2D, ys: tf.Tensor2D, init: MlpWeights, options: MinimalLoopOptions): Promise<number[]> {
  const n = xs.shape[0];
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const kernels = init.kernels.map((k, l) => variableFrom(k, [init.sizes[l] ?? 0, init.sizes[l + 1] ?? 0]));
  const biases = init.biases.map((b) => variableFrom(b, [b.length]));
  const variables = [...kernels, ...biases];
  // One scalar for the whole run: what tfjs' own SGD optimizer keeps, instead of one per update.
  const learningRate = tf.scalar(options.learningRate);
  const last = kernels.length - 1;

  const forward = (x: tf.Tensor): tf.Tensor =>
    kernels.reduce<tf.Tensor>((a, kernel, l) => {
      const z = tf.add(tf.matMul(a, kernel), biases[l] as tf.Variable);
      return l < last ? tf.relu(z) : z;
    }, x);

  const step = (rows: Int32Array): tf.Scalar =>
    tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      const xb = tf.gather(xs, index);
      const yb = tf.gather(ys, index);
      // The gather stays outside the gradient function: only the loss needs the tape.
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.squaredDifference(yb, forward(xb))), variables);
      for (const v of variables) {
        const g = grads[v.name];
        if (!g) throw new Error(`no gradient for ${v.name}`);
        v.assign(tf.sub(v, tf.mul(learningRate, g)));
      }
      return value;
    });

  const losses: number[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = seededPermutation(n, options.random);
      const batchLosses: tf.Scalar[] = [];
      try {
        for (let start = 0; start < n; start += batchSize) batchLosses.push(step(order.subarray(start, start + batchSize)));
        const stacked = tf.stack(batchLosses);
        const values = await stacked.data();
        stacked.dispose();
        // Keras' epoch loss: batch means weighted by batch size (only the last batch can be short).
        let sum = 0;
        values.forEach((loss, b) => (sum += loss * Math.min(batchSize, n - b * batchSize)));
        losses.push(sum / n);
      } finally {
        tf.dispose(batchLosses);
      }
    }
  } finally {
    tf.dispose([...variables, learningRate]);
  }
  return losses;
}

function variableFrom(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}
