import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { Rng } from '../random/rng.js';
import { splitIndices } from './split-indices.js';
import { takeRows } from './take-rows.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function expectPartition(parts: { train: number[]; validation: number[]; test: number[] }, n: number): void {
  const all = [...parts.train, ...parts.validation, ...parts.test].sort((a, b) => a - b);
  expect(all).toEqual(range(n));
}

describe('splitIndices', () => {
  it('rounds the test fraction up and takes validation from the rest', () => {
    const parts = splitIndices(101, { test: 0.2, validation: 0.25 }, new Rng(1));
    expect(parts.test).toHaveLength(21); // ceil(20.2)
    expect(parts.validation).toHaveLength(20); // ceil(0.25 * 80)
    expect(parts.train).toHaveLength(60);
    expectPartition(parts, 101);
  });

  it('does not round 0.07 * 100 (7.000000000000001 in floating point) up to 8', () => {
    expect(splitIndices(100, { test: 0.07 }, new Rng(1)).test).toHaveLength(7);
  });

  it('takes integer values as row counts and 0 as none', () => {
    const parts = splitIndices(50, { test: 10, validation: 5 }, new Rng(2));
    expect([parts.train.length, parts.validation.length, parts.test.length]).toEqual([35, 5, 10]);
    const noTest = splitIndices(50, { test: 0 }, new Rng(2));
    expect([noTest.train.length, noTest.validation.length, noTest.test.length]).toEqual([50, 0, 0]);
  });

  it('shuffles with the seed: same seed same split, other seed other split', () => {
    const a = splitIndices(200, { test: 0.2, validation: 0.1 }, new Rng(7));
    expect(splitIndices(200, { test: 0.2, validation: 0.1 }, new Rng(7))).toEqual(a);
    expect(splitIndices(200, { test: 0.2, validation: 0.1 }, new Rng(8)).test).not.toEqual(a.test);
    expect(a.test).not.toEqual(range(200).slice(0, 40));
  });

  it('keeps class proportions in every part when stratified', () => {
    // 60% class 0, 30% class 1, 10% class 2, interleaved.
    const labels = range(500).map((i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));
    const parts = splitIndices(500, { test: 0.2, validation: 0.25, stratify: true }, new Rng(3), labels);
    expectPartition(parts, 500);
    expect([parts.train.length, parts.validation.length, parts.test.length]).toEqual([300, 100, 100]);
    for (const part of [parts.train, parts.validation, parts.test]) {
      const count = (c: number): number => part.filter((i) => labels[i] === c).length;
      expect([count(0), count(1), count(2)]).toEqual([0.6, 0.3, 0.1].map((p) => p * part.length));
    }
    // The parts are shuffled, not grouped by class.
    expect(parts.test.slice(0, 60).every((i) => labels[i] === 0)).toBe(false);
  });

  it('stratifies uneven classes within one row of the exact share', () => {
    const labels = [...new Array<number>(37).fill(0), ...new Array<number>(13).fill(1), ...new Array<number>(7).fill(2)];
    const parts = splitIndices(labels.length, { test: 0.3, stratify: true }, new Rng(4), labels);
    expect(parts.test).toHaveLength(18);
    for (const c of [0, 1, 2]) {
      const share = (labels.filter((l) => l === c).length * 18) / labels.length;
      expect(Math.abs(parts.test.filter((i) => labels[i] === c).length - share)).toBeLessThan(1);
    }
  });

  it('rejects specs that leave no training rows or make no sense', () => {
    const bad = (fn: () => unknown): void => {
      expect(fn).toThrow(DatasetError);
      try {
        fn();
      } catch (error) {
        expect((error as DatasetError).code).toBe('INVALID_SPEC');
      }
    };
    bad(() => splitIndices(10, { test: 10 }, new Rng(1)));
    bad(() => splitIndices(10, { test: 5, validation: 5 }, new Rng(1)));
    bad(() => splitIndices(10, { test: 0.5, validation: 0.99 }, new Rng(1)));
    bad(() => splitIndices(10, { test: 11 }, new Rng(1)));
    bad(() => splitIndices(10, { test: -0.1 }, new Rng(1)));
    bad(() => splitIndices(10, { test: 2.5 }, new Rng(1)));
    bad(() => splitIndices(10, { test: Number.NaN }, new Rng(1)));
    bad(() => splitIndices(0, { test: 0 }, new Rng(1)));
    bad(() => splitIndices(10, { test: 0.2, stratify: true }, new Rng(1)));
    bad(() => splitIndices(10, { test: 0.2, stratify: true }, new Rng(1), [0, 1]));
    expect(() => splitIndices(10, { test: 0.5, validation: 0.99 }, new Rng(1))).toThrow(/no training rows/);
  });
});

describe('takeRows', () => {
  it('picks rows in index order and rejects indices outside the rows', () => {
    expect(takeRows(['a', 'b', 'c'], [2, 0])).toEqual(['c', 'a']);
    expect(() => takeRows(['a'], [1])).toThrow(DatasetError);
  });
});
