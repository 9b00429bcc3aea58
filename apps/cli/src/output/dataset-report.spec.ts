import type { DatasetVersionDetail } from '@trainyard/contract';
import { describe, expect, it } from 'vitest';
import { columnSummary, datasetsTable, describeUpload, describeVersion, previewTable } from './dataset-report.js';

const version: DatasetVersionDetail = {
  name: 'apartments',
  version: 2,
  sha256: 'ab'.repeat(32),
  size: 1536,
  filename: 'apartments.csv',
  format: 'csv',
  rows: 1200,
  columns: 3,
  createdAt: '2026-12-04T10:00:00.000Z',
  runs: 1,
  profile: {
    format: 'csv',
    delimiter: ',',
    rows: 1200,
    columns: [
      { name: 'area', type: 'number', missing: 12, distinct: 300, distinctCapped: false, min: 18, max: 240.5, mean: 71.234567, std: 30.5 },
      { name: 'district', type: 'category', missing: 0, distinct: 5, distinctCapped: false, top: [{ value: 'north', count: 500 }, { value: 'south', count: 400 }, { value: 'east', count: 200 }, { value: 'west', count: 90 }, { value: 'centre', count: 10 }] },
      { name: 'balcony', type: 'boolean', missing: 3, distinct: 2, distinctCapped: false, top: [{ value: 'yes', count: 700 }, { value: 'no', count: 497 }] },
    ],
    preview: [
      [52, 'north', 'yes'],
      [null, 'south', null],
    ],
  },
};

describe('dataset output', () => {
  it('an upload: the version and whether it is new, its rows, and a line per column with type, missing and statistics', () => {
    const lines = describeUpload({ created: true, version }).split('\n');
    expect(lines[0]).toBe('apartments@2 (new)');
    expect(lines[1]).toBe('1,200 rows · 3 columns · csv · 1.5 KiB · sha256 abababababab… · from apartments.csv');
    expect(lines.slice(3)).toEqual([
      'column    type      missing  summary',
      '--------  --------  -------  ------------------------------------------',
      'area      number         12  min 18 · max 240.5 · mean 71.23 · std 30.5',
      'district  category        0  north 500 · south 400 · east 200 · 2 more',
      'balcony   boolean         3  yes 700 · no 497',
    ]);
    expect(describeUpload({ created: false, version }).split('\n')[0]).toBe('apartments@2 (already there: same bytes)');
  });

  it('a text column: how many distinct values (past the count, a +) and a few of them', () => {
    expect(columnSummary({ name: 'comment', type: 'text', missing: 0, distinct: 10_000, distinctCapped: true, top: [{ value: 'a very long comment about the flat that goes on', count: 2 }, { value: 'quiet', count: 1 }] })).toBe(
      '10,000+ distinct, e.g. a very long comment… · quiet',
    );
  });

  it('a version: its head, columns and first rows, a missing cell as -', () => {
    const text = describeVersion(version, 10);
    expect(text).toMatch(/^apartments@2 {2}1,200 rows/);
    expect(text).toContain('used by 1 run');
    expect(text).toContain('First 2 rows:\narea  district  balcony\n');
    expect(text.split('\n').at(-1)).toBe('   -  south     -');
  });

  it('a wide table previews its first ten columns and says how many more there are', () => {
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const text = previewTable(names, [names.map((_, i) => i)], 1);
    expect(text.split('\n')[0]).toBe('c0  c1  c2  c3  c4  c5  c6  c7  c8  c9');
    expect(text).toMatch(/\(2 more columns not shown; --json has them all\)$/);
  });

  it('a list: name, latest version, versions, rows, columns, size, runs', () => {
    const table = datasetsTable([{ name: 'apartments', createdAt: version.createdAt, versions: 2, runs: 3, latest: version }]);
    expect(table.split('\n')[2]).toMatch(/^apartments\s+apartments@2\s+2\s+1,200\s+3\s+1\.5 KiB\s+3\s+2026-12-04T10:00:00\.000Z$/);
  });
});
