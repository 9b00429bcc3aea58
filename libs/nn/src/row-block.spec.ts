import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { RowBlock } from './row-block.js';

describe('RowBlock', () => {
  // Two trials of 3 rows of 2 features: value = 100 * trial + 10 * row + feature.
  const trials = [0, 1].map((a) => tf.tensor2d([0, 1, 2].map((r) => [0, 1].map((f) => 100 * a + 10 * r + f))));
  const block = RowBlock.of(trials);
  const batches = [Int32Array.from([2, 0]), Int32Array.from([1, 2])];
  const read = (t: tf.Tensor): { shape: number[]; values: number[] } => {
    const values = Array.from(t.dataSync());
    const shape = t.shape;
    t.dispose();
    return { shape, values };
  };

  it('copies every trial its own rows, in the layout asked for, the same values a gather takes', () => {
    expect(read(block.batch(batches))).toEqual({ shape: [2, 2, 2], values: [20, 21, 0, 1, 110, 111, 120, 121] });
    expect(read(block.batch(batches, ['row', 'trial', 'feature']))).toEqual({ shape: [2, 2, 2], values: [20, 21, 110, 111, 0, 1, 120, 121] });
    expect(read(block.batch(batches, ['row', 'feature', 'trial']))).toEqual({ shape: [2, 2, 2], values: [20, 110, 21, 111, 0, 120, 1, 121] });
    expect(read(block.batch(batches, ['feature', 'row', 'trial']))).toEqual({ shape: [2, 2, 2], values: [20, 110, 0, 120, 21, 111, 1, 121] });
    expect(read(block.pick([1]).batch([Int32Array.from([1, 2])]))).toEqual({ shape: [1, 2, 2], values: [110, 111, 120, 121] });
    const gathered = tf.gather(trials[1] as tf.Tensor, tf.tensor1d([1, 2], 'int32'));
    expect(read(RowBlock.of([trials[1] as tf.Tensor]).rows(Int32Array.from([1, 2])))).toEqual(read(gathered));
  });

  it('keeps the shape of image rows when their values come last, and refuses them elsewhere', () => {
    const images = RowBlock.of([tf.zeros([4, 3, 3, 1])]);
    expect(read(images.rows(Int32Array.from([3, 1]))).shape).toEqual([2, 3, 3, 1]);
    expect(() => images.batch([Int32Array.from([0])], ['feature', 'row', 'trial'])).toThrow(/keep their values last/);
    expect(() => RowBlock.of([tf.zeros([2, 2], 'int32')])).toThrow(/float32/);
  });
});
