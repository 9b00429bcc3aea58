import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { describePreprocessor } from './describe-preprocessor.js';
import { Preprocessor } from './preprocessor.js';

/** Model input rows (float32 views) as plain arrays, to compare with literals. */
const plain = (rows: readonly ArrayLike<number>[]): number[][] => rows.map((row) => Array.from(row));

const regression = { task: 'regression' as const, featureNames: ['a', 'b'], targetNames: ['y'] };
const classification = {
  task: 'classification' as const,
  featureNames: ['a', 'b'],
  targetNames: ['label'],
  classNames: ['cat', 'dog'],
};
const train = {
  x: [
    [0, 10],
    [10, 30],
  ],
  y: [[100], [300]],
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DatasetError ? error.code : 'not a DatasetError';
  }
  return undefined;
}

describe('Preprocessor', () => {
  it('fits on the rows it is given only, so test rows outside them scale beyond [0, 1]', () => {
    const pre = Preprocessor.fit({ features: 'minmax', target: 'standard' }, train, regression);
    expect(pre.state.features).toEqual({ kind: 'minmax', min: [0, 10], max: [10, 30] });
    expect(plain(pre.transformX([[20, 20]]))).toEqual([[2, 0.5]]);
    expect(pre.transformY([[100], [300]])).toEqual([[-1], [1]]);
    expect(pre.inverseY([[0], [2]])).toEqual([[200], [400]]);
  });

  it('round-trips through JSON with identical results', () => {
    const pre = Preprocessor.fit({ features: 'standard', target: 'minmax' }, train, regression);
    const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    expect(restored.state).toEqual(pre.state);
    expect(restored.transformX([[3, 7]])).toEqual(pre.transformX([[3, 7]]));
    expect(restored.inverseY([[0.25]])).toEqual(pre.inverseY([[0.25]]));
  });

  it('keeps class indices for classification and refuses target scaling there', () => {
    const pre = Preprocessor.fit({ features: 'none', target: 'none' }, { x: train.x, y: [[0], [1]] }, classification);
    expect(pre.state.classNames).toEqual(['cat', 'dog']);
    expect(pre.transformY([[1], [0]])).toEqual([[1], [0]]);
    expect(() => pre.transformY([[2]])).toThrow(/not a class index below 2/);
    expect(codeOf(() => Preprocessor.fit({ features: 'none', target: 'minmax' }, train, classification))).toBe(
      'INVALID_SPEC',
    );
  });

  it("'pixels' divides by the dataset's pixel maximum, fits nothing, and round-trips", () => {
    const image = { ...classification, pixelMax: 16 };
    const pre = Preprocessor.fit({ features: 'pixels', target: 'none' }, { x: train.x, y: [[0], [1]] }, image);
    expect(pre.state.features).toEqual({ kind: 'pixels', max: 16 });
    expect(plain(pre.transformX([[8, 16]]))).toEqual([[0.5, 1]]);
    // The model's inputs: float32, every row a view into one array, 4 bytes a value.
    const [first, second] = pre.transformX([new Uint8Array([8, 16]), new Uint8Array([4, 2])]);
    expect(first).toBeInstanceOf(Float32Array);
    expect(second?.buffer).toBe(first?.buffer);
    expect(first?.buffer.byteLength).toBe(4 * 4);
    expect(Array.from(second ?? [])).toEqual([0.25, 0.125]);
    const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    expect(plain(restored.transformX([[4, 0]]))).toEqual([[0.25, 0]]);
    expect(describePreprocessor(restored.state)[0]).toBe('2 pixels (a, b): number, pixels / 16');
    expect(() => Preprocessor.fit({ features: 'pixels', target: 'none' }, train, regression)).toThrow(/preprocessing\.features: 'pixels' needs an image dataset/);
    expect(() => Preprocessor.fit({ features: 'none', target: 'pixels' }, train, regression)).toThrow(/preprocessing\.target cannot be 'pixels'/);
    expect(() => Preprocessor.fromJSON({ ...pre.toJSON(), features: { kind: 'pixels', max: 0 } })).toThrow(/preprocessor\.features\.max: expected a positive number/);
  });

  it('names the row whose width is wrong', () => {
    const pre = Preprocessor.fit({ features: 'minmax', target: 'none' }, train, regression);
    expect(() => pre.transformX([[1, 2], [1, 2, 3]])).toThrow(/feature row 1 has 3 values, expected 2 \(a, b\)/);
  });

  it('fromJSON names the bad field', () => {
    const good = Preprocessor.fit({ features: 'minmax', target: 'standard' }, train, regression).toJSON();
    const cases: [unknown, RegExp][] = [
      [null, /preprocessor\.\(root\)/],
      [{ ...good, version: 3 }, /preprocessor\.version/],
      [{ ...good, version: 2 }, /preprocessor\.columns/],
      [{ ...good, task: 'ranking' }, /preprocessor\.task/],
      [{ ...good, featureNames: ['a', 3] }, /preprocessor\.featureNames/],
      [{ ...good, features: { kind: 'minmax', min: [0], max: [1, 2] } }, /preprocessor\.features\.min: expected an array of 2/],
      [{ ...good, features: { kind: 'robust' } }, /preprocessor\.features\.kind/],
      [{ ...good, target: { kind: 'standard', mean: [1], std: ['x'] } }, /preprocessor\.target\.std/],
      [{ ...good, task: 'classification', classNames: ['a'] }, /preprocessor\.target\.kind/],
      [{ ...good, task: 'classification', target: { kind: 'none' } }, /preprocessor\.classNames/],
    ];
    for (const [json, message] of cases) {
      expect(() => Preprocessor.fromJSON(json)).toThrow(message);
      expect(codeOf(() => Preprocessor.fromJSON(json))).toBe('INVALID_SPEC');
    }
  });
});
