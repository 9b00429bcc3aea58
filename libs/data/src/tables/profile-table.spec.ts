import { describe, expect, it } from 'vitest';
import { inferColumnType } from './column-stats.js';
import { profileTable } from './profile-table.js';
import { DISTINCT_CAP, HISTOGRAM_BINS, PREVIEW_ROWS } from './table-types.js';

function source(text: string, chunk = 7): () => AsyncIterable<Uint8Array> {
  const data = new TextEncoder().encode(text);
  return async function* () {
    for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
  };
}

const evidence = { present: 10, distinct: 3, distinctCapped: false, allNumbers: false, allBooleans: false };

describe('inferColumnType', () => {
  it('follows the documented rule', () => {
    expect(inferColumnType({ ...evidence, allNumbers: true })).toBe('number');
    expect(inferColumnType({ ...evidence, allBooleans: true })).toBe('boolean');
    expect(inferColumnType(evidence)).toBe('category');
    // Small columns: any number of distinct values is a category.
    expect(inferColumnType({ ...evidence, present: 40, distinct: 40 })).toBe('category');
    // Larger ones: at most half as many distinct values as present cells...
    expect(inferColumnType({ ...evidence, present: 100, distinct: 50 })).toBe('category');
    expect(inferColumnType({ ...evidence, present: 100, distinct: 51 })).toBe('text');
    // ... and never more than 1,000.
    expect(inferColumnType({ ...evidence, present: 100_000, distinct: 1_001 })).toBe('text');
    expect(inferColumnType({ ...evidence, present: 100_000, distinct: 900, distinctCapped: true })).toBe('text');
    expect(inferColumnType({ ...evidence, present: 0, distinct: 0 })).toBe('category');
  });
});

describe('profileTable', () => {
  it('infers types over every row and counts missing cells', async () => {
    const rows = ['x,flag,color,note,empty'];
    for (let i = 0; i < 60; i++) rows.push(`${i % 10 === 0 ? 'NA' : i},${i % 2 ? 'Yes' : 'no'},${['red', 'blue', ''][i % 3]},note ${i},`);
    rows.push('7,YES,red,"last, note",');
    const profile = await profileTable(source(rows.join('\r\n')));
    expect(profile).toMatchObject({ format: 'csv', delimiter: ',', rows: 61 });
    const [x, flag, color, note, empty] = profile.columns;
    expect(x).toMatchObject({ name: 'x', type: 'number', missing: 6 });
    expect(flag).toMatchObject({ type: 'boolean', missing: 0, distinct: 3 });
    expect(color).toMatchObject({ type: 'category', missing: 20, distinct: 2, top: [{ value: 'red', count: 21 }, { value: 'blue', count: 20 }] });
    expect(note).toMatchObject({ type: 'text', distinct: 61 });
    expect(empty).toMatchObject({ type: 'category', missing: 61, distinct: 0 });
  });

  it('gives exact min, max, mean, population std and a histogram of number columns', async () => {
    const profile = await profileTable(source('v;w\n1;5\n2;5\n3;5\n4;5\n\n10;5\n'));
    expect(profile.delimiter).toBe(';');
    const [v, w] = profile.columns;
    expect(v).toMatchObject({ min: 1, max: 10, mean: 4 });
    expect(v?.std).toBeCloseTo(Math.sqrt((9 + 4 + 1 + 0 + 36) / 5), 12);
    expect(v?.histogram?.edges).toHaveLength(HISTOGRAM_BINS + 1);
    expect(v?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(v?.histogram?.counts.at(-1)).toBe(1);
    expect(v?.histogram?.counts[0]).toBe(1);
    expect(w).toMatchObject({ min: 5, max: 5, std: 0, histogram: { edges: [5, 5], counts: [5] } });
  });

  it('keeps the first rows as a preview (numbers as numbers, missing as null) and caps distinct counting', async () => {
    const rows = ['id\tname\tn'];
    for (let i = 0; i < DISTINCT_CAP + 5; i++) rows.push(`${i}\tname${i}\t${i % 3 === 0 ? '' : i}`);
    const profile = await profileTable(source(rows.join('\n'), 65_536));
    expect(profile.format).toBe('tsv');
    expect(profile.preview).toHaveLength(PREVIEW_ROWS);
    expect(profile.preview[1]).toEqual([1, 'name1', 1]);
    expect(profile.preview[0]).toEqual([0, 'name0', null]);
    expect(profile.columns[1]).toMatchObject({ type: 'text', distinct: DISTINCT_CAP, distinctCapped: true });
  });

  it('refuses an empty table and a header without rows', async () => {
    await expect(profileTable(source(''))).rejects.toMatchObject({ code: 'EMPTY' });
    await expect(profileTable(source('a,b\n'))).rejects.toMatchObject({ code: 'EMPTY' });
  });
});

describe('cells', () => {
  it('reads decimal numbers only, and the missing markers', async () => {
    const { parseNumberText, isMissingText, parseBooleanText } = await import('./cells.js');
    for (const [text, value] of [['1', 1], [' -2.5 ', -2.5], ['.5', 0.5], ['3.', 3], ['1e3', 1000], ['+4E-2', 0.04]] as const) {
      expect(parseNumberText(text), text).toBe(value);
    }
    for (const text of ['', '-', '.', 'e5', '1e', '0x10', 'Infinity', '1,5', '1_000', '12a']) expect(parseNumberText(text), text).toBeUndefined();
    for (const text of ['', ' ', 'NA', 'N/A', 'NaN', 'null', 'None', '#N/A']) expect(isMissingText(text), text).toBe(true);
    expect(isMissingText('none')).toBe(false);
    expect([parseBooleanText('Yes'), parseBooleanText('FALSE'), parseBooleanText('1')]).toEqual(['true', 'false', undefined]);
  });
});
