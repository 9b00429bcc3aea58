import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomFlip, RandomTranslation } from './augmentation-layers.js';
import { initBackend } from './init-backend.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// One 2x3 image, one channel: rows [1 2 3], [4 5 6].
const IMAGE = [
  [[1], [2], [3]],
  [[4], [5], [6]],
];
const MIRRORED = [
  [[3], [2], [1]],
  [[6], [5], [4]],
];
const UPSIDE_DOWN = [
  [[4], [5], [6]],
  [[1], [2], [3]],
];

function apply(layer: tf.layers.Layer, images: number[][][][], training: boolean): number[][][][] {
  return tf.tidy(() => (layer.call(tf.tensor4d(images), { training }) as tf.Tensor).arraySync() as number[][][][]);
}

const batch = (n: number): number[][][][] => Array.from({ length: n }, () => IMAGE);

describe('RandomFlip', () => {
  it('flips each image or not, from its seed, in training only', () => {
    const layer = new RandomFlip({ mode: 'horizontal', seed: 11 });
    const out = apply(layer, batch(32), true);
    for (const image of out) expect([IMAGE, MIRRORED]).toContainEqual(image);
    const mirrored = out.filter((image) => JSON.stringify(image) === JSON.stringify(MIRRORED)).length;
    expect(mirrored).toBeGreaterThan(4);
    expect(mirrored).toBeLessThan(28);
    expect(apply(layer, batch(32), true)).toEqual(out); // same seed, same flips
    layer.seed = 12;
    expect(apply(layer, batch(32), true)).not.toEqual(out);
    expect(apply(layer, batch(4), false)).toEqual(batch(4));
  });

  it('flips only along the axes its mode names', () => {
    const vertical = apply(new RandomFlip({ mode: 'vertical', seed: 3 }), batch(32), true);
    for (const image of vertical) expect([IMAGE, UPSIDE_DOWN]).toContainEqual(image);
    const both = apply(new RandomFlip({ seed: 3 }), batch(64), true);
    const kinds = new Set(both.map((image) => JSON.stringify(image)));
    expect(kinds.size).toBe(4); // as is, mirrored, upside down, both
  });
});

describe('RandomTranslation', () => {
  it('moves each image by whole pixels within the factor, zeros filling in', () => {
    // A single bright pixel in the middle of a 5x5 image; factor 0.2 of 5 = at most 1 pixel each way.
    const dot = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => [i === 2 && j === 2 ? 1 : 0]));
    const layer = new RandomTranslation({ heightFactor: 0.2, widthFactor: 0.2, seed: 5 });
    const out = apply(layer, Array.from({ length: 40 }, () => dot), true);
    const places = new Set<string>();
    for (const image of out) {
      const lit = image.flatMap((row, i) => row.flatMap((pixel, j) => (pixel[0] === 1 ? [[i, j]] : [])));
      expect(lit).toHaveLength(1);
      const [i = 0, j = 0] = lit[0] ?? [];
      expect(Math.abs(i - 2)).toBeLessThanOrEqual(1);
      expect(Math.abs(j - 2)).toBeLessThanOrEqual(1);
      expect(image.flat(2).reduce((a, b) => a + b, 0)).toBe(1);
      places.add(`${i},${j}`);
    }
    expect(places.size).toBe(9);
    expect(apply(layer, Array.from({ length: 40 }, () => dot), true)).toEqual(out);
    expect(apply(layer, [dot], false)).toEqual([dot]);
  });

  it('lets a gradient through to the layers before it', () => {
    const layer = new RandomTranslation({ heightFactor: 0.5, widthFactor: 0.5, seed: 2 });
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() => {
      const x = tf.ones([2, 4, 4, 1]);
      return tf.grad((input: tf.Tensor) => tf.sum(layer.call(input, { training: true }) as tf.Tensor))(x).arraySync() as number[][][][];
    });
    // Every output pixel reads at most one input pixel: gradients are 0 (moved out) or 1.
    expect(grad.flat(3).every((v) => v === 0 || v === 1)).toBe(true);
    expect(grad.flat(3)).toContain(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
