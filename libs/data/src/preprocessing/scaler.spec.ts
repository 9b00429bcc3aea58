import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { oneHot } from './one-hot.js';
import { fitScaler, scalerFromState, type ScalerState } from './scaler.js';

const rows = [
  [1, 10, 5],
  [2, 20, 5],
  [3, 60, 5],
];

function expectRowsClose(actual: number[][], expected: number[][]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[i]?.[c] ?? Number.NaN, 12)));
}

describe('fitScaler', () => {
  it('minmax maps each column to [0, 1] and a constant column to 0', () => {
    const scaler = fitScaler('minmax', rows);
    expect(scaler.state).toEqual({ kind: 'minmax', min: [1, 10, 5], max: [3, 60, 5] });
    expectRowsClose(scaler.transform(rows), [
      [0, 0, 0],
      [0.5, 0.2, 0],
      [1, 1, 0],
    ]);
    expectRowsClose(scaler.transform([[5, 35, 6]]), [[2, 0.5, 1]]);
  });

  it('standard uses the population std and maps zero std to 1', () => {
    const scaler = fitScaler('standard', rows);
    const state = scaler.state as Extract<ScalerState, { kind: 'standard' }>;
    expect(state.mean).toEqual([2, 30, 5]);
    expect(state.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(state.std[1]).toBeCloseTo(Math.sqrt(((20 ** 2 + 10 ** 2 + 30 ** 2) / 3)), 12);
    expect(state.std[2]).toBe(1);
    const scaled = scaler.transform(rows);
    expect(scaled.every((row) => row.every(Number.isFinite))).toBe(true);
    expect(scaled.map((r) => r[2])).toEqual([0, 0, 0]);
    expect(scaled[0]?.[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 12);
  });

  it.each(['none', 'minmax', 'standard'] as const)('%s: inverseTransform undoes transform', (kind) => {
    const scaler = fitScaler(kind, rows);
    expectRowsClose(scaler.inverseTransform(scaler.transform(rows)), rows);
  });

  it.each(['none', 'minmax', 'standard'] as const)('%s: state survives JSON and gives the same results', (kind) => {
    const scaler = fitScaler(kind, rows);
    const restored = scalerFromState(JSON.parse(JSON.stringify(scaler.state)) as ScalerState);
    expect(restored.state).toEqual(scaler.state);
    expect(restored.transform([[7, 8, 9]])).toEqual(scaler.transform([[7, 8, 9]]));
  });

  it('refuses zero rows, ragged rows and rows of another width', () => {
    expect(() => fitScaler('minmax', [])).toThrow(DatasetError);
    expect(() => fitScaler('standard', [[1, 2], [3]])).toThrow(/row 1 has 1 values/);
    expect(() => fitScaler('minmax', rows).transform([[1, 2]])).toThrow(/fitted on 3/);
  });
});

describe('oneHot', () => {
  it('encodes indices and rejects ones outside the classes', () => {
    expect(oneHot([2, 0], 3)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(() => oneHot([3], 3)).toThrow(/row 0: class index 3/);
    expect(() => oneHot([0.5], 3)).toThrow(DatasetError);
  });
});
