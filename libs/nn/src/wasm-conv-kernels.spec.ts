import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { mulberry32 } from './testing/mulberry32.js';

type Case = { x: [number, number, number, number]; kernel: [number, number, number, number]; strides: number | [number, number]; pad: 'valid' | 'same' };

const CASES: Case[] = [
  { x: [4, 9, 9, 1], kernel: [3, 3, 1, 5], strides: 1, pad: 'valid' },
  { x: [3, 8, 7, 2], kernel: [3, 2, 2, 4], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 3], kernel: [2, 3, 3, 2], strides: [3, 2], pad: 'valid' },
  { x: [2, 5, 5, 2], kernel: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [2, 6, 5, 2], kernel: [2, 4, 2, 3], strides: 1, pad: 'same' },
];

/** The gradients of sum(conv2d(x, w) * r) with respect to the kernel w and the input x, on the current backend. */
function gradients({ x, kernel, strides, pad }: Case, seed: number): number[] {
  const random = mulberry32(seed);
  const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
  return tf.tidy(() => {
    const xs = tf.tensor4d(values(x), x);
    const w = tf.tensor4d(values(kernel), kernel);
    const out = tf.conv2d(xs, w, strides, pad);
    const r = tf.tensor(values(out.shape), out.shape);
    const [dx, dw] = tf.grads((input: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, k as tf.Tensor4D, strides, pad), r)))([xs, w]);
    return [...(dw?.dataSync() ?? []), ...(dx?.dataSync() ?? [])];
  });
}

describe('convolution gradients on wasm', () => {
  it('are those of the cpu backend, for the kernel and the input, strides and both paddings', async () => {
    await initBackend('cpu');
    const expected = CASES.map((c, i) => gradients(c, i + 1));
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      const got = gradients(c, i + 1);
      expect(got).toHaveLength(expected[i]?.length ?? -1);
      got.forEach((v, j) => expect(v).toBeCloseTo(expected[i]?.[j] ?? NaN, 4));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
