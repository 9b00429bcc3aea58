import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputTensor } from './data-tensors.js';
import { initBackend } from './init-backend.js';
import { TrainingError } from './training-error.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Rows as views into one Float32Array, as the preprocessing makes them. */
function views(rows: number[][]): Float32Array[] {
  const width = rows[0]?.length ?? 0;
  const values = Float32Array.from(rows.flat());
  return rows.map((_, i) => values.subarray(i * width, (i + 1) * width));
}

describe('inputTensor', () => {
  const rows = [
    [0.1, 2, -3],
    [4, 5.5, 1e-7],
  ];

  it('takes arrays, float32 views of one array, or bytes, with the same values', () => {
    const expected = Array.from(Float32Array.from(rows.flat()));
    for (const x of [rows, views(rows)]) {
      const t = inputTensor(x, [3]);
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.dataSync())).toEqual(expected);
      t.dispose();
    }
    const bytes = new Uint8Array([0, 255, 7, 1, 2, 3]);
    const t = inputTensor([bytes.subarray(0, 3), bytes.subarray(3)], [3, 1]);
    expect(t.shape).toEqual([2, 3, 1]);
    expect(Array.from(t.dataSync())).toEqual([0, 255, 7, 1, 2, 3]);
    t.dispose();
  });

  it('makes the tensor from the array the views share, without a copy', () => {
    const x = views(rows);
    const t = inputTensor(x, [3]);
    // The cpu backend keeps the values it is given: the tensor reads the preprocessing's array.
    expect(t.dataSync().buffer).toBe(x[0]?.buffer);
    t.dispose();
    const copied = inputTensor(rows, [3]);
    expect(copied.dataSync().buffer).not.toBe(x[0]?.buffer);
    copied.dispose();
  });

  it('copies views that are not the whole of their array, or not in order', () => {
    const all = views([...rows, [9, 9, 9]]);
    for (const x of [all.slice(1), [all[1], all[0]] as Float32Array[]]) {
      const t = inputTensor(x, [3]);
      expect(Array.from(t.dataSync())).toEqual(x.flatMap((row) => Array.from(row)));
      t.dispose();
    }
  });

  it('names the row whose length is wrong, typed or not', () => {
    const short = [new Float32Array(3), new Float32Array(2)];
    expect(() => inputTensor(short, [3])).toThrow(TrainingError);
    expect(() => inputTensor(short, [3])).toThrow(/x row 1 has 2 values; the model's inputShape \[3\] needs 3/);
    expect(() => inputTensor([[1, 2, 3], 'abc' as unknown as number[]], [3])).toThrow(/x row 1 has no values/);
    expect(tf.memory().numTensors).toBe(0);
  });
});
