import { describe, expect, it } from 'vitest';
import type { Cell } from '../tables/table-types.js';
import { describePreprocessor } from './describe-preprocessor.js';
import { Preprocessor } from './preprocessor.js';

/** Model input rows (float32 views) as plain arrays, to compare with literals. */
const plain = (rows: readonly ArrayLike<number>[]): number[][] => rows.map((row) => Array.from(row));

const table = {
  task: 'regression' as const,
  featureNames: ['rooms', 'district', 'balcony'],
  featureTypes: ['number' as const, 'category' as const, 'boolean' as const],
  targetNames: ['price'],
};
const x: Cell[][] = [
  [1, 'north', 'yes'],
  [3, 'south', 'no'],
  [null, null, 'true'],
  [10, 'north', null],
];
const y = [[100], [200], [300], [400]];

describe('Preprocessor on tables (version 2)', () => {
  it('imputes numbers with the median, one-hot encodes categories and booleans with missing as its own category', () => {
    const pre = Preprocessor.fit({ features: 'none', target: 'none' }, { x, y }, table);
    expect(pre.state.version).toBe(2);
    expect(pre.outputWidth).toBe(1 + 3 + 3);
    expect(plain(pre.transformX(x))).toEqual([
      [1, /* (missing), north, south */ 0, 1, 0, /* (missing), false, true */ 0, 0, 1],
      [3, 0, 0, 1, 0, 1, 0],
      [3, 1, 0, 0, 0, 0, 1],
      [10, 0, 1, 0, 1, 0, 0],
    ]);
  });

  it('scales number columns only, with parameters of the training rows after imputation', () => {
    const pre = Preprocessor.fit({ features: 'minmax', target: 'standard' }, { x, y }, table);
    expect(pre.state.features).toEqual({ kind: 'minmax', min: [1], max: [10] });
    expect(plain(pre.transformX([[19, 'south', 'no']]))).toEqual([[2, 0, 0, 1, 0, 1, 0]]);
  });

  it('takes raw predict rows: numbers as text, empty cells, and an unseen category as all zeros', () => {
    const pre = Preprocessor.fit({ features: 'none', target: 'none' }, { x, y }, table);
    expect(plain(pre.transformX([['4.5', 'east', 'YES']]))).toEqual([[4.5, 0, 0, 0, 0, 0, 1]]);
    expect(plain(pre.transformX([['', '', '']]))).toEqual([[3, 1, 0, 0, 1, 0, 0]]);
    expect(() => pre.transformX([['four', 'north', 'no']])).toThrow(/feature row 0, column 'rooms': 'four' is not a number/);
  });

  it('follows the column options: mean, constant, most_frequent, drop', () => {
    const columns = {
      rooms: { impute: 'mean' as const },
      district: { impute: 'constant' as const, fillValue: 'south' },
      balcony: { impute: 'most_frequent' as const },
    };
    const pre = Preprocessor.fit({ features: 'none', target: 'none', columns }, { x, y }, table);
    expect(plain(pre.transformX([[null, null, null]]))).toEqual([[Math.fround(14 / 3), 0, 1, 0, 1]]);
    const constant = Preprocessor.fit({ features: 'none', target: 'none', columns: { rooms: { impute: 'constant', fillValue: -1 } } }, { x, y }, table);
    expect(constant.transformX([[null, 'north', 'no']])[0]?.[0]).toBe(-1);
    const dropped = Preprocessor.fit({ features: 'none', target: 'none', columns: { rooms: { impute: 'drop' } } }, { x: x.slice(0, 2), y: y.slice(0, 2) }, table);
    expect(() => dropped.transformX([[null, 'north', 'no']])).toThrow(/dropped in training/);
    expect(() =>
      Preprocessor.fit({ features: 'none', target: 'none', columns: { district: { impute: 'median' } } }, { x, y }, table),
    ).toThrow(/preprocessing\.columns\.district\.impute/);
    expect(() =>
      Preprocessor.fit({ features: 'none', target: 'none', columns: { rooms: { impute: 'constant', fillValue: 'many' } } }, { x, y }, table),
    ).toThrow(/preprocessing\.columns\.rooms\.fillValue/);
  });

  it('round-trips through JSON, and version 1 states still load and take numbers given as text', () => {
    const pre = Preprocessor.fit({ features: 'standard', target: 'minmax' }, { x, y }, table);
    const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    expect(restored.transformX(x)).toEqual(pre.transformX(x));
    const v1 = Preprocessor.fromJSON({
      version: 1,
      task: 'regression',
      featureNames: ['a'],
      targetNames: ['y'],
      features: { kind: 'minmax', min: [0], max: [10] },
      target: { kind: 'none' },
    });
    expect(plain(v1.transformX([[5], ['2.5']]))).toEqual([[0.5], [0.25]]);
    expect(() => v1.transformX([[null]])).toThrow(/missing/);
    expect(() => Preprocessor.fromJSON({ ...pre.toJSON(), columns: [] })).toThrow(/preprocessor\.columns/);
  });

  it('describes itself one line per column', () => {
    const pre = Preprocessor.fit({ features: 'minmax', target: 'none' }, { x, y }, table);
    expect(describePreprocessor(pre.state)).toEqual([
      'rooms: number, missing -> median 3, minmax [1, 10]',
      'district: category, one-hot 3 ((missing), north, south), missing -> (missing), unseen -> all zeros',
      'balcony: boolean, one-hot 3 ((missing), false, true), missing -> (missing), unseen -> all zeros',
      'price: target, not scaled',
    ]);
  });
});
