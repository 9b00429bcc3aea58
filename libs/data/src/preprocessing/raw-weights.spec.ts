import { describe, expect, it } from 'vitest';
import type { PreprocessorState } from './preprocessor-state.js';
import { composeLinearLayers, describeWeightScale, rawInputWeights } from './raw-weights.js';

const multiply: PreprocessorState = {
  version: 1,
  task: 'regression',
  featureNames: ['x'],
  targetNames: ['y'],
  features: { kind: 'none' },
  target: { kind: 'none' },
};

// a, b in 1..9: min 1, max 9, so a_s = (a - 1) / 8 and y = a + b = 8 a_s + 8 b_s + 2.
const sum: PreprocessorState = {
  version: 1,
  task: 'regression',
  featureNames: ['a', 'b'],
  targetNames: ['sum'],
  features: { kind: 'minmax', min: [1, 1], max: [9, 9] },
  target: { kind: 'none' },
};

function close(actual: number[] | undefined, expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => expect(actual?.[i]).toBeCloseTo(e, 10));
}

describe('rawInputWeights', () => {
  it('leaves the weights of an unscaled model as they are (y = 3x)', () => {
    expect(rawInputWeights(multiply, { kernel: [[3]], bias: [0] })).toEqual({ kernel: [[3]], bias: [0] });
  });

  it('maps min-max scaled weights back to raw units (y = a + b)', () => {
    const raw = rawInputWeights(sum, { kernel: [[8], [8]], bias: [2] });
    close(raw?.kernel.map((row) => row[0] ?? NaN), [1, 1]);
    close(raw?.bias, [0]);
  });

  it('undoes a scaled target too', () => {
    // y in [2, 18]: y_s = (y - 2) / 16 = 0.5 a_s + 0.5 b_s.
    const state: PreprocessorState = { ...sum, target: { kind: 'minmax', min: [2], max: [18] } };
    const raw = rawInputWeights(state, { kernel: [[0.5], [0.5]], bias: [0] });
    close(raw?.kernel.map((row) => row[0] ?? NaN), [1, 1]);
    close(raw?.bias, [0]);
  });

  it('handles standard scaling (y = 2x + 1, mean 5, std 2: y = 4 x_s + 11)', () => {
    const state: PreprocessorState = { ...multiply, features: { kind: 'standard', mean: [5], std: [2] } };
    const raw = rawInputWeights(state, { kernel: [[4]], bias: [11] });
    close(raw?.kernel[0], [2]);
    close(raw?.bias, [1]);
  });

  it('treats a missing bias as zero and a constant column as scale 1', () => {
    const state: PreprocessorState = { ...sum, features: { kind: 'minmax', min: [1, 4], max: [9, 4] } };
    const raw = rawInputWeights(state, { kernel: [[8], [5]] });
    close(raw?.kernel.map((row) => row[0] ?? NaN), [1, 5]);
    close(raw?.bias, [-1 - 20]);
  });

  it('accepts a v2 state whose columns are all numbers', () => {
    const state: PreprocessorState = {
      ...sum,
      version: 2,
      columns: [
        { name: 'a', type: 'number', impute: 'mean', fillValue: 5 },
        { name: 'b', type: 'number', impute: 'mean', fillValue: 5 },
      ],
    };
    close(rawInputWeights(state, { kernel: [[8], [8]], bias: [2] })?.bias, [0]);
  });

  it('gives nothing for one-hot columns, classification or mismatched shapes', () => {
    const table: PreprocessorState = {
      version: 2,
      task: 'regression',
      featureNames: ['a', 'colour'],
      targetNames: ['y'],
      columns: [
        { name: 'a', type: 'number', impute: 'mean', fillValue: 0 },
        { name: 'colour', type: 'category', impute: 'missing_category', categories: ['red', 'blue'] },
      ],
      features: { kind: 'none' },
      target: { kind: 'none' },
    };
    expect(rawInputWeights(table, { kernel: [[1], [2], [3]], bias: [0] })).toBeUndefined();
    const classes: PreprocessorState = { ...multiply, task: 'classification', classNames: ['a', 'b'] };
    expect(rawInputWeights(classes, { kernel: [[1, 2]], bias: [0, 0] })).toBeUndefined();
    expect(rawInputWeights(sum, { kernel: [[1]], bias: [0] })).toBeUndefined();
    expect(rawInputWeights(sum, { kernel: [[1], [1]], bias: [0, 0] })).toBeUndefined();
  });
});

describe('composeLinearLayers', () => {
  it('multiplies a chain of linear layers into one', () => {
    // 2-2-1: h = x [[1, 0], [0, 2]] + [1, -1]; y = h [[3], [1]] + [0.5].
    const one = composeLinearLayers([
      { kernel: [[1, 0], [0, 2]], bias: [1, -1] },
      { kernel: [[3], [1]], bias: [0.5] },
    ]);
    expect(one).toEqual({ kernel: [[3], [2]], bias: [2.5] });
  });

  it('rejects layers whose shapes do not chain', () => {
    expect(composeLinearLayers([{ kernel: [[1, 0]], bias: [0, 0] }, { kernel: [[1]], bias: [0] }])).toBeUndefined();
    expect(composeLinearLayers([])).toBeUndefined();
  });
});

describe('describeWeightScale', () => {
  it('names the scaling the weights apply to', () => {
    expect(describeWeightScale(multiply)).toBe('on the raw inputs');
    expect(describeWeightScale(sum)).toBe('on min-max scaled inputs');
    expect(describeWeightScale({ ...multiply, features: { kind: 'standard', mean: [0], std: [1] }, target: { kind: 'standard', mean: [0], std: [1] } })).toBe(
      'on standardized inputs, standardized target',
    );
  });
});
