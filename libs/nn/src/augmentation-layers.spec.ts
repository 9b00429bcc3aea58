import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomFlip, RandomRotation, RandomTranslation, RandomZoom } from './augmentation-layers.js';
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

/** An affine augmentation whose every image gets the map given (a rotation's or a zoom's), to check where pixels go. */
class FixedMap extends RandomRotation {
  constructor(private readonly map: [number, number, number, number]) {
    super({ factor: 0.5 });
  }

  protected override draw(): [number, number, number, number] {
    return this.map;
  }
}

// A 3x3 image, one channel: rows [1 2 3], [4 5 6], [7 8 9].
const SQUARE = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [3 * i + j + 1]));

describe('RandomRotation', () => {
  it('turns an image a quarter counter-clockwise for a quarter turn, as Keras does', () => {
    // cos 90 = 0, sin 90 = 1: the output pixel (x, y) reads the input at R (x, y) about the centre.
    const turned = apply(new FixedMap([0, -1, 1, 0]), [SQUARE], true)[0];
    expect(turned).toEqual([
      [[3], [6], [9]],
      [[2], [5], [8]],
      [[1], [4], [7]],
    ]);
  });

  it('turns each image by its own angle within the factor, from its seed, in training only; zeros fill the corners', () => {
    // A bright pixel 3 to the right of the centre of a 7x7 image stays 3 (give or take rounding) from it.
    const dot = Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => [i === 3 && j === 6 ? 1 : 0]));
    const layer = new RandomRotation({ factor: 0.25, seed: 9 });
    const out = apply(layer, Array.from({ length: 40 }, () => dot), true);
    const places = new Set<string>();
    for (const image of out) {
      const lit = image.flatMap((row, i) => row.flatMap((pixel, j) => (pixel[0] === 1 ? [[i, j]] : [])));
      for (const [i = 0, j = 0] of lit) {
        expect(Math.hypot(i - 3, j - 3)).toBeGreaterThan(1.9);
        expect(Math.hypot(i - 3, j - 3)).toBeLessThan(4.3);
        places.add(`${i},${j}`);
      }
    }
    expect(places.size).toBeGreaterThan(5);
    expect(apply(layer, Array.from({ length: 40 }, () => dot), true)).toEqual(out);
    layer.seed = 10;
    expect(apply(layer, Array.from({ length: 40 }, () => dot), true)).not.toEqual(out);
    expect(apply(layer, [dot], false)).toEqual([dot]);
    expect(apply(new RandomRotation({ factor: 0, seed: 9 }), [SQUARE], true)).toEqual([SQUARE]);
    // An eighth of a turn leaves the corners of a full square empty.
    const full = Array.from({ length: 7 }, () => Array.from({ length: 7 }, () => [1]));
    const eighth = apply(new FixedMap([Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2]), [full], true)[0] ?? [];
    expect(eighth[0]?.[0]).toEqual([0]);
    expect(eighth[3]?.[3]).toEqual([1]);
  });
});

describe('RandomZoom', () => {
  const ramp = [Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => [4 * i + j + 1]))];

  it('zooms in below 1 and out above 1 about the centre, zeros filling in, the aspect kept without a widthFactor', () => {
    const zoomIn = apply(new FixedMap([0.5, 0, 0, 0.5]), ramp, true)[0];
    // Scale 0.5 on 4 pixels: the output reads input columns and rows 1, 1, 2, 2.
    expect(zoomIn?.map((row) => row.map((pixel) => pixel[0]))).toEqual([
      [6, 6, 7, 7],
      [6, 6, 7, 7],
      [10, 10, 11, 11],
      [10, 10, 11, 11],
    ]);
    const zoomOut = apply(new FixedMap([2, 0, 0, 2]), ramp, true)[0];
    // Scale 2 about 1.5: columns and rows read -1.5 (outside), 0.5 -> 1, 2.5 -> 3, 4.5 (outside).
    expect(zoomOut?.map((row) => row.map((pixel) => pixel[0]))).toEqual([
      [0, 0, 0, 0],
      [0, 6, 8, 0],
      [0, 14, 16, 0],
      [0, 0, 0, 0],
    ]);
    const layer = new RandomZoom({ heightFactor: 0.5, seed: 4 });
    const images = apply(layer, Array.from({ length: 20 }, () => ramp[0] as number[][][]), true);
    // The same scale on both axes: every image is symmetric in how much it zoomed.
    for (const image of images) {
      const column = image.map((row) => row[1]?.[0]);
      const row = image[1]?.map((pixel) => pixel[0]);
      expect(column.map((v) => (v === 0 ? 0 : 1))).toEqual(row?.map((v) => (v === 0 ? 0 : 1)));
    }
    expect(new Set(images.map((image) => JSON.stringify(image))).size).toBeGreaterThan(2);
    expect(apply(layer, Array.from({ length: 20 }, () => ramp[0] as number[][][]), true)).toEqual(images);
    expect(apply(layer, ramp, false)).toEqual(ramp);
    expect(apply(new RandomZoom({ heightFactor: 0, widthFactor: 0, seed: 4 }), ramp, true)).toEqual(ramp);
  });

  it('adds up the gradient of every output pixel in the input pixel it reads, on wasm as on cpu', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend);
      const before = tf.memory().numTensors;
      const grad = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(new FixedMap([0.5, 0, 0, 0.5]).call(input, { training: true }) as tf.Tensor))(tf.ones([1, 4, 4, 1])).arraySync() as number[][][][]);
      expect(grad[0]?.map((row) => row.map((pixel) => pixel[0])), backend).toEqual([
        [0, 0, 0, 0],
        [0, 4, 4, 0],
        [0, 4, 4, 0],
        [0, 0, 0, 0],
      ]);
      expect(tf.memory().numTensors).toBe(before);
    }
    await initBackend('cpu');
  });
});
