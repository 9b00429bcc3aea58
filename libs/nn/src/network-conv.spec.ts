import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec } from './compile-spec.js';
import { initBackend } from './init-backend.js';
import { inferenceRows } from './evaluate-tensors.js';
import type { ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';

// wasm: the backend trainyard trains convnets on where the native one cannot install, and the
// one whose missing kernel gradient wasm-conv-backprop-filter.ts supplies.
beforeAll(async () => {
  await initBackend('wasm');
});

/**
 * 8x8 images of one bar, horizontal (class 0) or vertical (class 1), 3 to 8 pixels long at a
 * seeded place, on faint noise: flat rows of 64 values, as the pipeline hands them over.
 */
function bars(n: number, seed: number): { x: number[][]; y: number[][] } {
  const random = mulberry32(seed);
  const pick = (k: number): number => Math.floor(random() * k);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let s = 0; s < n; s++) {
    const vertical = s % 2;
    const image = Array.from({ length: 64 }, () => random() * 0.2);
    const length = 3 + pick(6);
    const across = pick(8);
    const start = pick(9 - length);
    for (let k = start; k < start + length; k++) image[vertical ? k * 8 + across : across * 8 + k] = 1;
    x.push(image);
    y.push([vertical]);
  }
  return { x, y };
}

const compile: CompileSpec = { optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };

/** A small convnet whose augmentations keep the class: a flipped or moved bar keeps its direction. */
const CONVNET: ModelSpec = {
  inputShape: [8, 8, 1],
  layers: [
    { type: 'randomFlip', mode: 'horizontal_and_vertical' },
    { type: 'randomTranslation', heightFactor: 0.25, widthFactor: 0.25 },
    { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d' },
    { type: 'conv2d', filters: 8, kernelSize: [1, 3], activation: 'relu' },
    { type: 'globalAveragePooling2d' },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
};

async function train(seed: number, epochs = 12): Promise<{ network: Network; accuracy: number[] }> {
  const random = mulberry32(seed);
  const network = Network.build(CONVNET, compile, random);
  const result = await network.fit(bars(200, 1), { epochs, batchSize: 16, random });
  return { network, accuracy: result.history.map((epoch) => epoch.metrics['accuracy'] ?? NaN) };
}

const argMax = (row: number[]): number => row.indexOf(Math.max(...row));

describe('a convnet', () => {
  it('learns bar directions it has not seen, with augmentation on', async () => {
    const { network } = await train(7);
    try {
      const test = bars(200, 2);
      const predicted = network.predict(test.x).map(argMax);
      const accuracy = predicted.filter((p, i) => p === test.y[i]?.[0]).length / predicted.length;
      expect(accuracy).toBeGreaterThanOrEqual(0.95);
      expect(network.evaluate(test.x, test.y)['accuracy']).toBeCloseTo(accuracy, 6);
    } finally {
      network.dispose();
    }
  });

  it('trains to bit-identical weights and metrics for the same seed, augmentation included', async () => {
    const before = tf.memory().numTensors;
    const runs = [await train(3, 3), await train(3, 3), await train(4, 3)];
    try {
      const weightsOf = (network: Network): number[][] => network.weights().flatMap((w) => [w.kernel?.flat() ?? [], w.bias ?? []]);
      const [a, b, c] = runs.map((run) => ({ accuracy: run.accuracy, weights: weightsOf(run.network), all: allWeights(run.network) }));
      expect(b).toEqual(a);
      expect(c?.all).not.toEqual(a?.all);
    } finally {
      for (const run of runs) run.network.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains to bit-identical metrics and weights for the same seed with rotation and zoom too, other ones for another seed', async () => {
    const rotating: ModelSpec = {
      ...CONVNET,
      layers: [{ type: 'randomRotation', factor: 0.05 }, { type: 'randomZoom', heightFactor: 0.2 }, ...CONVNET.layers.slice(2)],
    };
    const fit = async (seed: number): Promise<{ accuracy: number[]; weights: number[][] }> => {
      const random = mulberry32(seed);
      const network = Network.build(rotating, compile, random);
      try {
        const result = await network.fit(bars(96, 1), { epochs: 2, batchSize: 16, random });
        return { accuracy: result.history.map((epoch) => epoch.metrics['accuracy'] ?? NaN), weights: allWeights(network) };
      } finally {
        network.dispose();
      }
    };
    const [a, b, c] = [await fit(3), await fit(3), await fit(4)];
    expect(b).toEqual(a);
    expect(c?.weights).not.toEqual(a?.weights);
  });

  it('trains on rows given as float32 views exactly as on arrays, the training set never copied into wasm memory', async () => {
    const data = bars(400, 3);
    const values = Float32Array.from(data.x.flat());
    const views = data.x.map((_, i) => values.subarray(i * 64, (i + 1) * 64));
    const fit = async (x: readonly ArrayLike<number>[]): Promise<{ loss: number[]; bytes: number[]; weights: number[][] }> => {
      const random = mulberry32(5);
      const network = Network.build(CONVNET, compile, random);
      const bytes: number[] = [];
      try {
        const result = await network.fit({ x, y: data.y }, { epochs: 2, batchSize: 16, random, onEpochEnd: () => void bytes.push(tf.memory().numBytes) });
        return { loss: result.history.map((epoch) => epoch.metrics['loss'] ?? NaN), bytes, weights: allWeights(network) };
      } finally {
        network.dispose();
      }
    };
    const fromArrays = await fit(data.x);
    const fromViews = await fit(views);
    expect(fromViews.loss).toEqual(fromArrays.loss);
    expect(fromViews.weights).toEqual(fromArrays.weights);
    // Weights, optimizer state and the one-hot targets only: less than the 102,400 bytes of x.
    for (const bytes of [...fromArrays.bytes, ...fromViews.bytes]) expect(bytes).toBeLessThan(values.byteLength);
  });

  it('draws new augmentation seeds from the run\'s generator before every batch, as for dropout', async () => {
    const random = mulberry32(8);
    const network = Network.build(CONVNET, compile, random);
    try {
      const layers = (network as unknown as { model: tf.LayersModel }).model.layers.slice(0, 2) as unknown as { seed: number }[];
      const seeds = (): number[] => layers.map((layer) => layer.seed);
      const built = seeds();
      const perBatch: number[][] = [];
      await network.fit(bars(48, 1), { epochs: 1, batchSize: 16, random, onBatchEnd: () => perBatch.push(seeds()) });
      expect(perBatch).toHaveLength(3);
      expect(new Set([built, ...perBatch].flat()).size).toBe(8);
    } finally {
      network.dispose();
    }
  });

  it('predicts the same after a save and load, the saved model having no augmentation layers', async () => {
    const { network } = await train(5, 2);
    try {
      const artifacts = await network.toArtifacts();
      const topology = artifacts.modelJson.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      expect(topology.config.layers.map((layer) => layer.class_name)).toEqual([
        'Conv2D',
        'MaxPooling2D',
        'Conv2D',
        'GlobalAveragePooling2D',
        'Dropout',
        'Dense',
      ]);
      expect(topology.config.layers[0]?.config['batch_input_shape']).toEqual([null, 8, 8, 1]);
      const loaded = await Network.fromArtifacts(structuredClone(artifacts));
      try {
        const { x } = bars(20, 9);
        expect(loaded.predict(x)).toEqual(network.predict(x));
        expect(loaded.inputShape).toEqual([8, 8, 1]);
      } finally {
        loaded.dispose();
      }
    } finally {
      network.dispose();
    }
  });

  it('evaluate and predict in chunks sized to the layer outputs, with the same results', () => {
    // 28 x 28 x 256 values per row in the first layer alone: far fewer rows per pass than a dense net's 8,192.
    const wide: ModelSpec = {
      inputShape: [28, 28, 1],
      layers: [{ type: 'conv2d', filters: 256, kernelSize: 1 }, { type: 'globalAveragePooling2d' }, { type: 'dense', units: 10, activation: 'softmax' }],
    };
    const network = Network.build(wide, compile, mulberry32(1));
    const dense = Network.build({ inputShape: [4], layers: [{ type: 'dense', units: 2, activation: 'softmax' }] }, compile, mulberry32(1));
    const before = tf.memory().numTensors;
    try {
      const model = (network as unknown as { model: tf.LayersModel }).model;
      const rows = inferenceRows(model);
      expect(rows).toBe(Math.floor((16 * 2 ** 20) / (784 + 28 * 28 * 256 + 256 + 10)));
      expect(inferenceRows((dense as unknown as { model: tf.LayersModel }).model)).toBe(8192);
      const random = mulberry32(2);
      const x = Array.from({ length: rows + 7 }, () => Array.from({ length: 784 }, () => random()));
      const y = x.map((_, i) => [i % 10]);
      const all = network.predict(x);
      const tail = network.predict(x.slice(rows));
      tail.forEach((row, i) => row.forEach((v, j) => expect(all[rows + i]?.[j]).toBeCloseTo(v, 6)));
      const hits = all.filter((row, i) => row.indexOf(Math.max(...row)) === y[i]?.[0]).length;
      expect(network.evaluate(x, y)['accuracy']).toBeCloseTo(hits / x.length, 6);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      network.dispose();
      dense.dispose();
    }
  });
});

/** Every weight of the model, convolutions included, as flat arrays (Network.weights lists dense layers only). */
function allWeights(network: Network): number[][] {
  const model = (network as unknown as { model: tf.LayersModel }).model;
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}
