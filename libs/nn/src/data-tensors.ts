import * as tf from '@tensorflow/tfjs';
import type { LossName } from './compile-spec.js';
import { TrainingError } from './training-error.js';

/** Rows of numbers: arrays, or views into one typed array (the preprocessing's float32 rows). */
export type NumberRows = readonly ArrayLike<number>[];

/**
 * Flat x rows -> a float32 tensor [n, ...inputShape]. Checks every row's length, since tfjs
 * would otherwise fail later with a message that names no row. Rows that are, in order, the
 * whole of one Float32Array (as the preprocessing makes them) become the tensor's values
 * without a copy.
 */
export function inputTensor(rows: NumberRows, inputShape: number[], what = 'x'): tf.Tensor {
  return tf.tensor(inputValues(rows, inputShape, what), [rows.length, ...inputShape], 'float32');
}

/** The values inputTensor makes its tensor of: the rows' own Float32Array when they are its views in order, else a copy. */
export function inputValues(rows: NumberRows, inputShape: number[], what = 'x'): Float32Array {
  const width = inputShape.reduce((a, b) => a * b, 1);
  return wholeArray(rows, width) ?? flatten(rows, width, what, `the model's inputShape [${inputShape.join(', ')}] needs ${width}`);
}

/** The Float32Array that `rows` are consecutive views of, from its first value to its last; else undefined. */
function wholeArray(rows: NumberRows, width: number): Float32Array | undefined {
  const first = rows[0];
  if (!(first instanceof Float32Array) || first.byteOffset !== 0 || first.buffer.byteLength !== rows.length * width * 4) return undefined;
  const { buffer } = first;
  const consecutive = rows.every((row, i) => row instanceof Float32Array && row.buffer === buffer && row.byteOffset === i * width * 4 && row.length === width);
  return consecutive ? new Float32Array(buffer) : undefined;
}

/**
 * y rows -> a float32 tensor [n, units] in the form the loss works on. Sparse class indices
 * ([n, 1]) become one-hot rows once here, so the training loop never converts per batch.
 */
export function targetTensor(rows: number[][], loss: LossName, units: number, what = 'y'): tf.Tensor {
  if (loss !== 'sparse_categorical_crossentropy') {
    return tf.tensor(flatten(rows, units, what, `the model has ${units} output units`), [rows.length, units], 'float32');
  }
  const values = new Float32Array(rows.length * units);
  const classes = flatten(rows, 1, what, 'sparse_categorical_crossentropy takes one class index per row');
  classes.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= units) {
      throw new TrainingError(
        'SHAPE_MISMATCH',
        `${what} row ${i}: class index ${label} is not an integer in [0, ${units - 1}] (the model has ${units} output units)`,
      );
    }
    values[i * units + label] = 1;
  });
  return tf.tensor(values, [rows.length, units], 'float32');
}

/** Row count check shared by fit and evaluate. */
export function checkSameLength(x: NumberRows, y: number[][], what: string): void {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) {
    throw new TrainingError('SHAPE_MISMATCH', `${what}: x has ${lengthOf(x)} rows but y has ${lengthOf(y)}`);
  }
  if (x.length === 0) throw new TrainingError('SHAPE_MISMATCH', `${what}: no rows`);
}

function flatten(rows: NumberRows, width: number, what: string, expectation: string): Float32Array {
  if (!Array.isArray(rows)) throw new TrainingError('SHAPE_MISMATCH', `${what} must be a list of rows`);
  const values = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    if (!isRow(row) || row.length !== width) {
      throw new TrainingError('SHAPE_MISMATCH', `${what} row ${i} has ${lengthOf(row)} values; ${expectation}`);
    }
    values.set(row, i * width);
  });
  return values;
}

const isRow = (value: unknown): value is ArrayLike<number> => Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));

function lengthOf(value: unknown): string {
  return isRow(value) ? String(value.length) : 'no';
}
