import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardPass } from './forward-pass.js';
import { initBackend } from './init-backend.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('forwardPass', () => {
  it('equals tfjs inference for a Sequential and for a functional model', () => {
    const dense = tf.layers.dense({ units: 3, activation: 'relu', inputShape: [2], kernelInitializer: tf.initializers.ones() });
    const sequential = tf.sequential({
      layers: [dense, tf.layers.batchNormalization({ movingMeanInitializer: 'ones' }), tf.layers.dropout({ rate: 0.5, seed: 1 }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.ones() })],
    });
    const input = tf.input({ shape: [2] });
    const functional = tf.model({ inputs: input, outputs: sequential.apply(input) as tf.SymbolicTensor });
    const x = tf.tensor2d([
      [1, 2],
      [-1, 0.5],
    ]);
    const expected = (sequential.predict(x) as tf.Tensor).arraySync();
    expect(tf.tidy(() => forwardPass(sequential, x, false).arraySync())).toEqual(expected);
    expect(tf.tidy(() => forwardPass(functional, x, false).arraySync())).toEqual(expected);
    // Training mode: batch statistics and dropout change the output.
    expect(tf.tidy(() => forwardPass(sequential, x, true).arraySync())).not.toEqual(expected);
    tf.dispose([x]);
    functional.dispose();
  });
});
