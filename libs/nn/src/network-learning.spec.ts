import { beforeAll, describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';
import { initBackend } from './init-backend.js';
import { Network } from './network.js';
import { regressionMetrics } from './regression-metrics.js';
import { mulberry32 } from './testing/mulberry32.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function argMax(row: number[]): number {
  return row.reduce((best, v, i) => (v > (row[best] ?? -Infinity) ? i : best), 0);
}

describe('Network learns', () => {
  it('a single linear unit finds y = 3x', async () => {
    const random = mulberry32(1);
    const x = Array.from({ length: 64 }, (_, i) => [i / 32 - 1]);
    const y = x.map(([v]) => [3 * (v ?? 0)]);
    const network = Network.build(
      { inputShape: [1], layers: [{ type: 'dense', units: 1 }] },
      { optimizer: { name: 'sgd', learningRate: 0.1 }, loss: 'mse', metrics: ['mae'] },
      random,
    );
    try {
      await network.fit({ x, y }, { epochs: 60, batchSize: 16, random });
      const [dense] = network.weights();
      expect(dense?.layer).toBe('dense');
      expect(dense?.kernel?.[0]?.[0]).toBeCloseTo(3, 2);
      expect(dense?.bias?.[0]).toBeCloseTo(0, 2);
      expect(regressionMetrics(y, network.predict(x)).r2).toBeGreaterThan(0.999);
    } finally {
      network.dispose();
    }
  });

  it('a softmax net separates three blobs', async () => {
    const random = mulberry32(2);
    const centers = [
      [0, 0],
      [3, 3],
      [-3, 3],
    ];
    const x: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 150; i++) {
      const label = i % 3;
      const [cx, cy] = centers[label] ?? [0, 0];
      x.push([(cx ?? 0) + (random() - 0.5) * 2, (cy ?? 0) + (random() - 0.5) * 2]);
      labels.push(label);
    }
    const network = Network.build(
      { inputShape: [2], layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
      { optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      random,
    );
    try {
      const y = labels.map((l) => [l]);
      const result = await network.fit({ x, y }, { epochs: 20, batchSize: 16, random });
      expect(result.history.at(-1)?.metrics['accuracy']).toBeGreaterThan(0.9);
      expect(network.evaluate(x, y)['accuracy']).toBeGreaterThan(0.9);
      const predicted = network.predict(x).map(argMax);
      expect(classificationMetrics(labels, predicted, 3).accuracy).toBeGreaterThan(0.9);
    } finally {
      network.dispose();
    }
  });

  it('a sigmoid unit with binary cross-entropy separates two classes', async () => {
    const random = mulberry32(3);
    const x = Array.from({ length: 80 }, () => [random() * 4 - 2]);
    const y = x.map(([v]) => [(v ?? 0) > 0 ? 1 : 0]);
    const network = Network.build(
      { inputShape: [1], layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }] },
      { optimizer: { name: 'rmsprop', learningRate: 0.05 }, loss: 'binary_crossentropy', metrics: ['accuracy'] },
      random,
    );
    try {
      await network.fit({ x, y }, { epochs: 30, batchSize: 8, random });
      expect(network.evaluate(x, y)['accuracy']).toBeGreaterThan(0.95);
    } finally {
      network.dispose();
    }
  });
});
