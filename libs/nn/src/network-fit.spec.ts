import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec } from './compile-spec.js';
import type { EpochReport } from './fit-options.js';
import { initBackend } from './init-backend.js';
import type { ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';
import { TrainingError } from './training-error.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const realRandom = Math.random;
afterEach(() => {
  Math.random = realRandom;
});

/** y = sum(x) + noise, deterministic. */
function regressionData(rows: number, features: number, seed: number): { x: number[][]; y: number[][] } {
  const random = mulberry32(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: features }, () => random() * 2 - 1));
  return { x, y: x.map((row) => [row.reduce((a, b) => a + b, 0) + (random() - 0.5) * 0.1]) };
}

const withDropout: ModelSpec = {
  inputShape: [4],
  layers: [
    { type: 'dense', units: 8, activation: 'relu', kernelRegularizer: { l2: 0.001 } },
    { type: 'dropout', rate: 0.3 },
    { type: 'batchNormalization' },
    { type: 'dense', units: 1 },
  ],
};
const adam: CompileSpec = { optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'mse', metrics: ['mae', 'mse'] };

describe('Network.fit', () => {
  it('replays bit for bit from the same seed and never touches Math.random', async () => {
    const data = regressionData(100, 4, 1);
    const validation = regressionData(30, 4, 2);
    Math.random = () => {
      throw new Error('Math.random was called');
    };
    const run = async (seed: number) => {
      const random = mulberry32(seed);
      const network = Network.build(withDropout, adam, random);
      try {
        const result = await network.fit(data, { epochs: 3, batchSize: 16, validation, random });
        return { history: result.history.map((h) => h.metrics), predictions: network.predict(validation.x) };
      } finally {
        network.dispose();
      }
    };
    const first = await run(42);
    const second = await run(42);
    expect(second.history).toEqual(first.history);
    expect(Object.is(second.history[2]?.['loss'], first.history[2]?.['loss'])).toBe(true);
    expect(second.predictions).toEqual(first.predictions);
    expect((await run(43)).history).not.toEqual(first.history);
    expect(Object.keys(first.history[0] ?? {})).toEqual(['loss', 'mae', 'mse', 'val_loss', 'val_mae', 'val_mse']);
  });

  it('uses dropout while training only', async () => {
    const data = regressionData(64, 4, 3);
    const spec: ModelSpec = { inputShape: [4], layers: [{ type: 'dense', units: 16 }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 1 }] };
    // A learning rate this small leaves the weights as they are, so the training and evaluation losses differ only by dropout.
    const compile: CompileSpec = { optimizer: { name: 'sgd', learningRate: 1e-12 }, loss: 'mse', metrics: [] };
    const random = mulberry32(5);
    const network = Network.build(spec, compile, random);
    try {
      const { history } = await network.fit(data, { epochs: 1, batchSize: 64, random });
      const trainingLoss = history[0]?.metrics['loss'];
      expect(trainingLoss).not.toBeCloseTo(network.evaluate(data.x, data.y)['loss'] ?? NaN, 3);
      expect(network.predict(data.x)).toEqual(network.predict(data.x));
    } finally {
      network.dispose();
    }
  });

  it('reports Keras epoch metrics: batch-size weighted means, regularization in the loss', async () => {
    const data = regressionData(50, 4, 4);
    const spec: ModelSpec = { inputShape: [4], layers: [{ type: 'dense', units: 1, kernelRegularizer: { l2: 0.5 } }] };
    const compile: CompileSpec = { optimizer: { name: 'sgd', learningRate: 1e-12 }, loss: 'mse', metrics: ['mse'] };
    const random = mulberry32(6);
    const network = Network.build(spec, compile, random);
    try {
      const before = network.evaluate(data.x, data.y);
      // Batches of 32 and 18 rows: an unweighted mean of the two batch means would differ.
      const { history } = await network.fit(data, { epochs: 1, batchSize: 32, random, onBatchEnd: () => undefined });
      const metrics = history[0]?.metrics ?? {};
      expect(metrics['mse']).toBeCloseTo(before['mse'] ?? NaN, 5);
      expect(metrics['loss']).toBeCloseTo(before['loss'] ?? NaN, 5);
      const kernel = network.weights()[0]?.kernel?.flat() ?? [];
      const penalty = 0.5 * kernel.reduce((sum, w) => sum + w * w, 0);
      expect((before['loss'] ?? NaN) - (before['mse'] ?? NaN)).toBeCloseTo(penalty, 5);
    } finally {
      network.dispose();
    }
  });

  it('stops with NON_FINITE_LOSS naming the epoch', async () => {
    const data = { x: [[1], [2], [3], [4]], y: [[1000], [2000], [3000], [4000]] };
    const compile: CompileSpec = { optimizer: { name: 'sgd', learningRate: 1e6 }, loss: 'mse', metrics: [] };
    const random = mulberry32(7);
    const start = tf.memory().numTensors;
    const network = Network.build({ inputShape: [1], layers: [{ type: 'dense', units: 1 }] }, compile, random);
    const error = await network.fit(data, { epochs: 50, batchSize: 2, random }).catch((e: unknown) => e);
    network.dispose();
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).code).toBe('NON_FINITE_LOSS');
    expect((error as TrainingError).message).toMatch(/^epoch \d+: training loss is (NaN|Infinity)/);
    expect((error as TrainingError).epoch).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('stops early and restores the best weights', async () => {
    const data = regressionData(40, 4, 8);
    const random = mulberry32(9);
    const network = Network.build({ inputShape: [4], layers: [{ type: 'dense', units: 1 }] }, adam, random);
    try {
      let afterFirst: unknown;
      // A min delta no epoch can beat makes epoch 1 the best for good.
      const result = await network.fit(data, {
        epochs: 20,
        batchSize: 8,
        random,
        earlyStopping: { patience: 2, minDelta: 1e9, restoreBestWeights: true },
        onEpochEnd: (report) => {
          if (report.epoch === 1) afterFirst = network.weights();
        },
      });
      expect(result).toMatchObject({ stoppedEarly: true, bestEpoch: 1, cancelled: false });
      expect(result.history).toHaveLength(3);
      expect(network.weights()).toEqual(afterFirst);
    } finally {
      network.dispose();
    }
  });

  it('rejects an early-stopping monitor that no epoch reports', async () => {
    const random = mulberry32(10);
    const network = Network.build({ inputShape: [4], layers: [{ type: 'dense', units: 1 }] }, adam, random);
    try {
      const fit = network.fit(regressionData(8, 4, 1), { epochs: 2, random, earlyStopping: { patience: 1 , monitor: 'val_loss'} });
      await expect(fit).rejects.toMatchObject({ code: 'INVALID_SPEC' });
      await expect(network.fit({ x: [[1, 2, 3]], y: [[1]] }, { epochs: 1, random })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
    } finally {
      network.dispose();
    }
  });

  it('cancels after the first epoch report', async () => {
    const controller = new AbortController();
    const random = mulberry32(11);
    const network = Network.build({ inputShape: [4], layers: [{ type: 'dense', units: 1 }] }, adam, random);
    try {
      const result = await network.fit(regressionData(64, 4, 2), {
        epochs: 10,
        random,
        signal: controller.signal,
        onEpochEnd: () => controller.abort(),
      });
      expect(result).toMatchObject({ cancelled: true, stoppedEarly: false });
      expect(result.history).toHaveLength(1);
    } finally {
      network.dispose();
    }
  });

  it('lets timers run inside a long epoch, so a cancel lands mid-epoch', async () => {
    const controller = new AbortController();
    const random = mulberry32(12);
    const network = Network.build({ inputShape: [4], layers: [{ type: 'dense', units: 8 }, { type: 'dense', units: 1 }] }, adam, random);
    let lastBatch = 0;
    let batchCount = 0;
    try {
      // Batches of 1 over 20,000 rows take seconds; the timer fires only if the loop yields.
      setTimeout(() => controller.abort(), 50);
      const result = await network.fit(regressionData(20_000, 4, 3), {
        epochs: 1,
        batchSize: 1,
        random,
        signal: controller.signal,
        onBatchEnd: (batch, batches) => {
          lastBatch = batch;
          batchCount = batches;
        },
      });
      expect(result).toMatchObject({ cancelled: true, history: [] });
      expect(lastBatch).toBeGreaterThan(0);
      expect(lastBatch).toBeLessThan(batchCount);
    } finally {
      network.dispose();
    }
  });

  it('leaves no tensors behind', async () => {
    const start = tf.memory().numTensors;
    const random = mulberry32(13);
    const network = Network.build(withDropout, { ...adam, metrics: ['mae'] }, random);
    const data = regressionData(80, 4, 4);
    const reports: EpochReport[] = [];
    await network.fit(data, {
      epochs: 4,
      batchSize: 16,
      random,
      validation: regressionData(20, 4, 5),
      earlyStopping: { patience: 1, restoreBestWeights: true },
      onEpochEnd: (r) => {
        reports.push(r);
      },
    });
    network.evaluate(data.x, data.y);
    network.predict(data.x);
    network.weights();
    await network.toArtifacts();
    network.dispose();
    expect(reports.length).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(start);
  });
});
