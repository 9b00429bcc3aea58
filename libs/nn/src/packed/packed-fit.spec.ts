import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { CompileSpec, OptimizerSpec } from '../compile-spec.js';
import type { FitOptions, FitResult } from '../fit-options.js';
import { initBackend, type BackendName } from '../init-backend.js';
import type { ModelSpec } from '../model-spec.js';
import { Network, type TrainingRows } from '../network.js';
import { mulberry32 } from '../testing/mulberry32.js';
import { TrainingError } from '../training-error.js';
import type { PackedOutcome } from './packed-train-loop.js';

/** The notebook's California network, on 8 made-up features. */
const regression: ModelSpec = {
  inputShape: [8],
  layers: [
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dense', units: 12, activation: 'relu' },
    { type: 'dense', units: 1 },
  ],
};
const classifier: ModelSpec = {
  inputShape: [4],
  layers: [
    { type: 'dense', units: 10, activation: 'tanh' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};

interface Trial {
  model: ModelSpec;
  compile: CompileSpec;
  seed: number;
  data: TrainingRows;
  options: Omit<FitOptions, 'random'>;
}

/** y = sum(x) + noise (regression) or the index of the largest of the first three features. */
function rows(count: number, features: number, seed: number, classes = 0): TrainingRows {
  const random = mulberry32(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: features }, () => random() * 2 - 1));
  if (classes === 0) return { x, y: x.map((row) => [row.reduce((a, b) => a + b, 0) + (random() - 0.5) * 0.1]) };
  return { x, y: x.map((row) => [row.slice(0, classes).indexOf(Math.max(...row.slice(0, classes)))]) };
}

/** Builds a trial's network the way it would be built alone: its seed draws its weights, then its shuffles. */
function build(trial: Trial): { network: Network; options: FitOptions } {
  const init = mulberry32(trial.seed);
  const shuffle = mulberry32(trial.seed + 1_000);
  return { network: Network.build(trial.model, trial.compile, () => init()), options: { ...trial.options, random: () => shuffle() } };
}

interface Trained {
  result?: FitResult;
  error?: TrainingError;
  weights: number[][];
}

async function alone(trial: Trial): Promise<Trained> {
  const { network, options } = build(trial);
  try {
    const result = await network.fit(trial.data, options);
    return { result, weights: weightsOf(network) };
  } catch (error) {
    if (!(error instanceof TrainingError)) throw error;
    return { error, weights: [] };
  } finally {
    network.dispose();
  }
}

async function packed(trials: Trial[]): Promise<Trained[]> {
  const built = trials.map(build);
  try {
    const outcomes: PackedOutcome[] = await Network.fitPacked(built.map(({ network, options }, i) => ({ network, data: (trials[i] as Trial).data, options })));
    return outcomes.map((outcome, i) =>
      'error' in outcome ? { error: outcome.error, weights: [] } : { result: outcome.result, weights: weightsOf((built[i] as { network: Network }).network) },
    );
  } finally {
    for (const { network } of built) network.dispose();
  }
}

function weightsOf(network: Network): number[][] {
  return network.weights().flatMap((layer) => [...(layer.kernel ?? []), layer.bias ?? []]);
}

/** Exact equality, NaN included: toEqual would accept -0 for 0, Object.is does not. */
function expectSameBits(packedTrial: Trained, aloneTrial: Trained): void {
  expect(packedTrial.error?.message).toBe(aloneTrial.error?.message);
  expect(packedTrial.result?.history.map((h) => h.metrics)).toEqual(aloneTrial.result?.history.map((h) => h.metrics));
  expect(packedTrial.result?.stoppedEarly).toBe(aloneTrial.result?.stoppedEarly);
  expect(packedTrial.result?.cancelled).toBe(aloneTrial.result?.cancelled);
  expect(packedTrial.result?.bestEpoch).toBe(aloneTrial.result?.bestEpoch);
  const flat = (t: Trained): number[] => t.weights.flat();
  expect(flat(packedTrial).every((w, i) => Object.is(w, flat(aloneTrial)[i]))).toBe(true);
  expect(flat(packedTrial)).toHaveLength(flat(aloneTrial).length);
}

const sgd = (learningRate: number, extra: Partial<Extract<OptimizerSpec, { name: 'sgd' }>> = {}): OptimizerSpec => ({ name: 'sgd', learningRate, ...extra });

describe.each<BackendName>(['cpu'])('Network.fitPacked on %s', (backend) => {
  it('trains every trial to the same bits as alone: weights, per-epoch losses, metrics and validation', async () => {
    await initBackend(backend);
    // Four learning rates x their own seeds, rows (as their own splits give them) and
    // validation; 150 rows in batches of 32 leave a short last batch.
    const trials: Trial[] = [0.3, 0.1, 0.03, 0.01].map((learningRate, i) => ({
      model: regression,
      compile: { optimizer: sgd(learningRate), loss: 'mse', metrics: ['mae'] },
      seed: 10 + i,
      data: rows(150, 8, 100 + i),
      options: { epochs: 3, batchSize: 32, validation: rows(40, 8, 200 + i) },
    }));
    const start = tf.memory().numTensors;
    const together = await packed(trials);
    expect(tf.memory().numTensors).toBe(start);
    for (const [i, trial] of trials.entries()) expectSameBits(together[i] as Trained, await alone(trial));
    expect(together[0]?.result?.history).toHaveLength(3);
    // The trials really differ (their own learning rates and seeds).
    expect(new Set(together.map((t) => t.result?.history[2]?.metrics['loss'])).size).toBe(4);
  });

  it('packs momentum, Nesterov and Adam trials with their own settings, cross-entropy and accuracy, and trials that end at other epochs', async () => {
    await initBackend(backend);
    const make = (optimizer: OptimizerSpec, seed: number, epochs: number, earlyStopping?: FitOptions['earlyStopping']): Trial => ({
      model: classifier,
      compile: { optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      seed,
      data: rows(90, 4, seed, 3),
      options: { epochs, batchSize: 16, validation: rows(30, 4, seed + 50, 3), ...(earlyStopping ? { earlyStopping } : {}) },
    });
    const groups: Trial[][] = [
      [make(sgd(0.1, { momentum: 0.9 }), 1, 4), make(sgd(0.05, { momentum: 0.5 }), 2, 2)],
      [make(sgd(0.1, { momentum: 0.9, nesterov: true }), 3, 3), make(sgd(0.2, { momentum: 0.8, nesterov: true }), 4, 3)],
      [
        make({ name: 'adam', learningRate: 0.05 }, 5, 6, { patience: 1, monitor: 'val_loss', restoreBestWeights: true }),
        make({ name: 'adam', learningRate: 0.001, beta1: 0.8, beta2: 0.99, epsilon: 1e-5 }, 6, 3),
      ],
    ];
    for (const group of groups) {
      const together = await packed(group);
      for (const [i, trial] of group.entries()) expectSameBits(together[i] as Trained, await alone(trial));
    }
  });

  it('fails a diverging trial alone and stops a cancelled one; the others finish as they would alone', async () => {
    await initBackend(backend);
    const base = (learningRate: number, seed: number): Trial => ({
      model: regression,
      compile: { optimizer: sgd(learningRate), loss: 'mse', metrics: [] },
      seed,
      data: rows(64, 8, seed),
      options: { epochs: 4, batchSize: 16 },
    });
    const diverging = base(1e6, 1);
    const cancel = new AbortController();
    const cancelled: Trial = { ...base(0.01, 2), options: { ...base(0.01, 2).options, signal: cancel.signal, onEpochEnd: (report) => void (report.epoch === 2 && cancel.abort()) } };
    const steady = base(0.01, 3);
    const together = await packed([diverging, cancelled, steady]);

    expect(together[0]?.error?.code).toBe('NON_FINITE_LOSS');
    expectSameBits(together[0] as Trained, await alone(diverging));
    expect(together[1]?.result?.cancelled).toBe(true);
    expect(together[1]?.result?.history).toHaveLength(2);
    expectSameBits(together[2] as Trained, await alone(steady));
  });

  it('refuses what it cannot reproduce, naming the layer or setting', async () => {
    await initBackend(backend);
    const compile: CompileSpec = { optimizer: sgd(0.01), loss: 'mse', metrics: [] };
    const random = mulberry32(1);
    const dropout = Network.build({ inputShape: [8], layers: [{ type: 'dense', units: 4 }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 1 }] }, compile, random);
    const penalized = Network.build({ inputShape: [8], layers: [{ type: 'dense', units: 1, kernelRegularizer: { l2: 0.01 } }] }, compile, random);
    const rmsprop = Network.build(regression, { ...compile, optimizer: { name: 'rmsprop' } }, random);
    const plain = Network.build(regression, compile, random);
    const wider = Network.build({ inputShape: [8], layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 1 }] }, compile, random);
    try {
      expect(dropout.packRefusal()).toMatch(/Dropout layer/);
      expect(penalized.packRefusal()).toMatch(/kernelRegularizer/);
      expect(rmsprop.packRefusal()).toMatch(/rmsprop optimizer trains alone/);
      expect(plain.packRefusal()).toBeUndefined();
      const data = rows(20, 8, 1);
      const options = { epochs: 1, random: mulberry32(2) };
      await expect(Network.fitPacked([{ network: plain, data, options }, { network: dropout, data, options }])).rejects.toThrow(/trial 2 cannot be packed: a Dropout layer/);
      await expect(Network.fitPacked([{ network: plain, data, options }, { network: wider, data, options }])).rejects.toThrow(/trial 2 cannot join the pack: 2 layers against 3/);
      await expect(Network.fitPacked([{ network: plain, data, options }, { network: plain, data: rows(21, 8, 1), options }])).rejects.toThrow(/21 training rows against 20/);
    } finally {
      for (const network of [dropout, penalized, rmsprop, plain, wider]) network.dispose();
    }
  });
});

describe('Network.fitPacked on wasm', () => {
  it('gives a trial the same bits in any pack: alone as a pack of one, and among other trials', async () => {
    await initBackend('wasm');
    const trials: Trial[] = [0.1, 0.05, 0.02, 0.01].map((learningRate, i) => ({
      model: regression,
      compile: { optimizer: sgd(learningRate), loss: 'mse', metrics: ['mae'] },
      seed: 30 + i,
      data: rows(150, 8, 300 + i),
      options: { epochs: 3, batchSize: 32, validation: rows(40, 8, 400 + i) },
    }));
    const together = await packed(trials);
    for (const [i, trial] of trials.entries()) {
      const [ofOne] = await packed([trial]);
      expectSameBits(ofOne as Trained, together[i] as Trained);
    }
  });

  it('momentum, Nesterov and Adam, early stopping, a cancelled and a diverging trial: each trial has its bits as a pack of one', async () => {
    await initBackend('wasm');
    const make = (optimizer: OptimizerSpec, seed: number, extra: Partial<Trial['options']> = {}): Trial => ({
      model: regression,
      compile: { optimizer, loss: 'mse', metrics: ['mae'] },
      seed,
      data: rows(120, 8, seed),
      options: { epochs: 4, batchSize: 16, validation: rows(30, 8, seed + 50), ...extra },
    });
    const cancel = new AbortController();
    const groups: Trial[][] = [
      [make(sgd(0.05, { momentum: 0.9 }), 1), make(sgd(0.02, { momentum: 0.5 }), 2, { epochs: 2 }), make(sgd(1e6, { momentum: 0.5 }), 3)],
      [make(sgd(0.05, { momentum: 0.9, nesterov: true }), 4), make(sgd(0.1, { momentum: 0.8, nesterov: true }), 5)],
      [
        make({ name: 'adam', learningRate: 0.05 }, 6, { epochs: 6, earlyStopping: { patience: 1, monitor: 'val_loss', restoreBestWeights: true } }),
        make({ name: 'adam', learningRate: 0.001, beta1: 0.8, beta2: 0.99, epsilon: 1e-5 }, 7, { signal: cancel.signal, onEpochEnd: (report) => void (report.epoch === 2 && cancel.abort()) }),
        make({ name: 'adam', learningRate: 0.01 }, 8),
      ],
    ];
    for (const group of groups) {
      const together = await packed(group);
      for (const [i, trial] of group.entries()) {
        if (trial.options.signal) {
          expect(together[i]?.result?.cancelled).toBe(true);
          continue;
        }
        const [ofOne] = await packed([trial]);
        expectSameBits(together[i] as Trained, ofOne as Trained);
      }
    }
    expect((await packed([make(sgd(1e6, { momentum: 0.5 }), 3)]))[0]?.error?.code).toBe('NON_FINITE_LOSS');
  });
});
