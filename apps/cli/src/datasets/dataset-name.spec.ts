import { DATASET_NAME_PATTERN } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { datasetNameFromPath, datasetNameProblem } from './dataset-name.js';

describe('datasetNameFromPath', () => {
  it.each([
    ['data/apartments.csv', 'apartments'],
    ['/home/me/Housing.CSV', 'housing'],
    ['2024 Sales (final).csv', 'data-2024-sales-final'],
    ['Café Prices.tsv', 'cafe-prices'],
    ['my.data.v2.csv', 'my.data.v2'],
    ['photos/Flowers.zip', 'flowers'],
    ['flowers.tar.gz', 'flowers'],
    ['flowers.TGZ', 'flowers'],
    ['.hidden.csv', 'hidden'],
    ['___.csv', 'data'],
    ['iris.csv', 'iris-data'],
    ['csv.csv', 'csv-data'],
    ['no-extension', 'no-extension'],
  ])('%s -> %s', (path, name) => {
    expect(datasetNameFromPath(path)).toBe(name);
    expect(datasetNameProblem(name)).toBeUndefined();
  });

  it('keeps a long file name within the 64 characters a dataset name may have', () => {
    const name = datasetNameFromPath(`${'a'.repeat(63)}-${'b'.repeat(40)}.csv`);
    expect(name).toBe('a'.repeat(63));
    expect(DATASET_NAME_PATTERN.test(datasetNameFromPath(`${'x'.repeat(70)}.csv`))).toBe(true);
  });
});

describe('datasetNameProblem', () => {
  it('names the rule a name breaks, and a built-in name', () => {
    expect(datasetNameProblem('Housing')).toMatch(/"Housing" must be 1 to 64 lowercase letters/);
    expect(datasetNameProblem('1st')).toMatch(/starting with a letter/);
    expect(datasetNameProblem('digits')).toMatch(/built-in dataset/);
    expect(datasetNameProblem('housing')).toBeUndefined();
  });
});
