import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec } from './compile-spec.js';
import { initBackend } from './init-backend.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';
import { TrainingError } from './training-error.js';

const mse: CompileSpec = { optimizer: { name: 'sgd' }, loss: 'mse', metrics: ['mae'] };

beforeAll(async () => {
  await initBackend('cpu');
});

function paramsOf(build: () => Network): { total: number; trainable: number; nonTrainable: number; layers: number[] } {
  const network = build();
  try {
    const s = network.summary();
    return { total: s.totalParams, trainable: s.trainableParams, nonTrainable: s.nonTrainableParams, layers: s.layers.map((l) => l.params) };
  } finally {
    network.dispose();
  }
}

function invalid(fn: () => unknown): TrainingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingError);
    return error as TrainingError;
  }
  throw new Error('expected a TrainingError');
}

describe('Network.build summary', () => {
  it('counts Keras parameters', () => {
    const dense1 = paramsOf(() => Network.build({ inputShape: [1], layers: [{ type: 'dense', units: 1 }] }, mse, mulberry32(1)));
    expect(dense1.total).toBe(2);
    const small = paramsOf(() =>
      Network.build(
        { inputShape: [2], layers: [{ type: 'dense', units: 3, activation: 'relu' }, { type: 'dense', units: 1 }] },
        mse,
        mulberry32(1),
      ),
    );
    expect(small.total).toBe(13);
    const housing = paramsOf(() =>
      Network.build(
        {
          inputShape: [8],
          layers: [
            { type: 'dense', units: 16, activation: 'relu' },
            { type: 'dense', units: 12, activation: 'relu' },
            { type: 'dense', units: 1 },
          ],
        },
        mse,
        mulberry32(1),
      ),
    );
    expect(housing).toEqual({ total: 361, trainable: 361, nonTrainable: 0, layers: [144, 204, 13] });
  });

  it('gives batch normalization 4 params per unit, 2 of them non-trainable', () => {
    const bn = paramsOf(() =>
      Network.build(
        { inputShape: [4], layers: [{ type: 'dense', units: 5 }, { type: 'batchNormalization' }, { type: 'dense', units: 1 }] },
        mse,
        mulberry32(1),
      ),
    );
    expect(bn).toEqual({ total: 25 + 20 + 6, trainable: 25 + 10 + 6, nonTrainable: 10, layers: [25, 20, 6] });
  });

  it('names layers and shapes like Keras', () => {
    const network = Network.build(
      {
        inputShape: [2, 3],
        layers: [
          { type: 'flatten' },
          { type: 'dense', units: 4, activation: 'gelu' },
          { type: 'dropout', rate: 0.2 },
          { type: 'dense', units: 2, activation: 'softmax' },
        ],
      },
      { optimizer: { name: 'adam' }, loss: 'categorical_crossentropy', metrics: ['accuracy'] },
      mulberry32(1),
    );
    try {
      expect(network.summary().layers).toEqual([
        { name: 'flatten', className: 'Flatten', outputShape: [null, 6], params: 0 },
        { name: 'dense', className: 'Dense', outputShape: [null, 4], params: 28 },
        { name: 'dropout', className: 'Dropout', outputShape: [null, 4], params: 0 },
        { name: 'dense_1', className: 'Dense', outputShape: [null, 2], params: 10 },
      ]);
      expect(network.predict([[1, 2, 3, 4, 5, 6]])[0]).toHaveLength(2);
    } finally {
      network.dispose();
    }
  });

  it('starts from the same weights for the same random sequence, and different ones otherwise', () => {
    const spec = { inputShape: [3], layers: [{ type: 'dense' as const, units: 4, kernelInitializer: 'he_normal' as const }] };
    const weightsFor = (seed: number) => {
      const network = Network.build(spec, mse, mulberry32(seed));
      const weights = network.weights();
      network.dispose();
      return weights;
    };
    expect(weightsFor(7)).toEqual(weightsFor(7));
    expect(weightsFor(7)).not.toEqual(weightsFor(8));
  });
});

describe('Network.build rejects impossible specs', () => {
  it('names the layer index', () => {
    const error = invalid(() =>
      Network.build({ inputShape: [2], layers: [{ type: 'dense', units: 3 }, { type: 'dense', units: 0 }] }, mse, mulberry32(1)),
    );
    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toMatch(/^layer 1 \(dense\): units/);
    expect(invalid(() => Network.build({ inputShape: [2], layers: [{ type: 'dropout', rate: 1 }] }, mse, mulberry32(1))).message).toMatch(
      /^layer 0 \(dropout\): rate/,
    );
  });

  it('rejects a non-flat output, an empty model, a bad input shape and a loss that does not fit the output', () => {
    expect(invalid(() => Network.build({ inputShape: [2, 3], layers: [{ type: 'dense', units: 2 }] }, mse, mulberry32(1))).message).toMatch(
      /layer 0: .*not flat/,
    );
    expect(invalid(() => Network.build({ inputShape: [2], layers: [] }, mse, mulberry32(1))).code).toBe('INVALID_SPEC');
    expect(invalid(() => Network.build({ inputShape: [0], layers: [{ type: 'flatten' }] }, mse, mulberry32(1))).code).toBe('INVALID_SPEC');
    const sparse: CompileSpec = { optimizer: { name: 'sgd' }, loss: 'sparse_categorical_crossentropy', metrics: [] };
    expect(invalid(() => Network.build({ inputShape: [2], layers: [{ type: 'dense', units: 1 }] }, sparse, mulberry32(1))).message).toMatch(
      /^layer 0: sparse_categorical_crossentropy needs at least 2/,
    );
    expect(
      invalid(() => Network.build({ inputShape: [2], layers: [{ type: 'dense', units: 1 }] }, { ...mse, optimizer: { name: 'adam', learningRate: -1 } }, mulberry32(1)))
        .message,
    ).toMatch(/learningRate/);
  });
});
