import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../hash/sha256-hex.js';
import type { ColumnOptions } from '../tables/table-types.js';
import { loadDataset } from './load-dataset.js';
import type { RegisteredDatasetSpec } from './dataset-spec.js';

const notes = Array.from({ length: 50 }, (_, i) => `${i},district${i % 3},${i % 2 ? 'yes' : 'no'},${i % 5 === 0 ? '' : 'red'},note number ${i},${i * 2}`);
const content = ['size,district,balcony,color,note,price', ...notes].join('\n');
const bytes = new TextEncoder().encode(content);

function load(spec: Partial<RegisteredDatasetSpec>, columns?: Record<string, ColumnOptions>, data = bytes) {
  return loadDataset(
    { name: 'flats', target: 'price', ...spec },
    { dataHome: '', seed: 1, openRegistered: async () => data, ...(columns ? { columns } : {}) },
  );
}

describe('table datasets', () => {
  it('keeps raw cells with each feature column type; missing cells are null', async () => {
    const data = await load({ features: ['size', 'district', 'balcony', 'color'], sha256: sha256Hex(bytes), version: 2 });
    expect(data.name).toBe('flats');
    expect(data.featureTypes).toEqual(['number', 'category', 'boolean', 'category']);
    expect(data.x[0]).toEqual([0, 'district0', 'false', null]);
    expect(data.x[1]).toEqual([1, 'district1', 'true', 'red']);
    expect(data.y[3]).toEqual([6]);
    expect(data.hash).toBe(sha256Hex(bytes));
    expect(data.description).toContain('flats@2');
  });

  it('refuses a text column as a feature, saying how to leave it out or make it a category', async () => {
    await expect(load({})).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(
        /feature column 'note' is free text \(50 distinct values in 50 rows\).*leave it out with dataset\.features or set preprocessing\.columns\.note\.type to "category"/,
      ),
    });
    const data = await load({}, { note: { type: 'category' } });
    expect(data.featureTypes?.[4]).toBe('category');
  });

  it('refuses a regression target that is not a number column, and a missing target naming the line', async () => {
    await expect(load({ target: 'district', features: ['size'] })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(/regression target 'district' is a category column/),
    });
    const hole = new TextEncoder().encode('a,y\n1,2\n2,\n');
    await expect(load({ target: 'y' }, undefined, hole)).rejects.toMatchObject({
      code: 'PARSE_ERROR',
      message: expect.stringMatching(/line 3, column 'y': the target is missing/),
    });
  });

  it('drops rows missing a column whose impute is drop, and names unknown columns of the options', async () => {
    const data = await load({ features: ['size', 'color'] }, { color: { impute: 'drop' } });
    expect(data.x).toHaveLength(40);
    await expect(load({ features: ['size'] }, { colour: { impute: 'drop' } })).rejects.toMatchObject({
      code: 'MISSING_COLUMN',
      message: expect.stringMatching(/'colour'.*available columns: 'size'/),
    });
  });

  it('checks the pinned sha256, and needs openRegistered', async () => {
    await expect(load({ sha256: '0'.repeat(64) })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    await expect(loadDataset({ name: 'flats', target: 'price' }, { dataHome: '', seed: 1 })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
    });
  });

  it('reads a semicolon table with a BOM, CRLF and decimal commas kept as text', async () => {
    const semicolon = new TextEncoder().encode('\uFEFFsize;kind;price\r\n10;a;1,5\r\n20;"b;c";2\r\n');
    const data = await load({ target: 'size' }, undefined, semicolon);
    expect(data.featureNames).toEqual(['kind', 'price']);
    expect(data.featureTypes).toEqual(['category', 'category']);
    expect(data.x).toEqual([
      ['a', '1,5'],
      ['b;c', '2'],
    ]);
    expect(data.y).toEqual([[10], [20]]);
  });

  it('a csv path is resolved and shown in full when missing', async () => {
    const error = loadDataset({ name: 'csv', path: 'nowhere/x.csv', target: 'y' }, { dataHome: '', seed: 1 });
    await expect(error).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`${process.cwd()}/nowhere/x.csv`) });
  });
});
