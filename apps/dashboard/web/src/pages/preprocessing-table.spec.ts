import { describe, expect, it } from 'vitest';
import { preprocessingRows } from './preprocessing-table.js';

describe('the preprocessing table', () => {
  it('says per column how missing cells are filled, how it is encoded and scaled; the scaler counts number columns only', () => {
    const rows = preprocessingRows({
      version: 2,
      task: 'regression',
      featureNames: ['color', 'x', 'z'],
      targetNames: ['y'],
      features: { kind: 'minmax', min: [0, 10], max: [4, 20] },
      target: { kind: 'standard', mean: [5], std: [2] },
      columns: [
        { name: 'color', type: 'category', impute: 'missing_category', categories: ['(missing)', 'blue', 'red'] },
        { name: 'x', type: 'number', impute: 'median', fillValue: 2.5 },
        { name: 'z', type: 'number', impute: 'drop', fillValue: 0 },
      ],
    });
    expect(rows).toEqual([
      { name: 'color', role: 'category', missing: 'its own category (missing)', encoding: 'one-hot 3: (missing), blue, red; unseen -> all zeros' },
      { name: 'x', role: 'number', missing: 'median 2.5', encoding: 'minmax [0, 4]' },
      { name: 'z', role: 'number', missing: 'rows missing it dropped', encoding: 'minmax [10, 20]' },
      { name: 'y', role: 'target', missing: '—', encoding: 'standard (mean 5, std 2)' },
    ]);
  });

  it("shows an image's pixels as one row, with their scaling", () => {
    const featureNames = Array.from({ length: 784 }, (_, i) => `pixel_${Math.floor(i / 28)}_${i % 28}`);
    const rows = preprocessingRows({ version: 1, task: 'classification', featureNames, targetNames: ['digit'], classNames: ['0', '1'], features: { kind: 'pixels', max: 255 }, target: { kind: 'none' } });
    expect(rows[0]).toEqual({ name: '784 features (pixel_0_0 … pixel_27_27)', role: 'number', missing: '—', encoding: 'pixels / 255' });
    expect(rows).toHaveLength(2);
  });

  it('lists the classes of a classification target', () => {
    const rows = preprocessingRows({ version: 1, task: 'classification', featureNames: ['a'], targetNames: ['species'], classNames: ['setosa', 'virginica'], features: { kind: 'none' }, target: { kind: 'none' } });
    expect(rows).toEqual([
      { name: 'a', role: 'number', missing: '—', encoding: 'not scaled' },
      { name: 'species', role: 'target', missing: '—', encoding: '2 classes: setosa, virginica' },
    ]);
  });
});
