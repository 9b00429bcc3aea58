import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { makeTempDir } from '../testing/index.js';
import type { ColumnOptions } from '../tables/table-types.js';
import type { DatasetSpec } from './dataset-spec.js';
import { loadDataset } from './load-dataset.js';

describe('csv datasets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('trainyard-csv-');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function csv(name: string, content: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  async function load(spec: Omit<Extract<DatasetSpec, { name: 'csv' }>, 'name'>, columns?: Record<string, ColumnOptions>) {
    return loadDataset({ name: 'csv', ...spec }, { dataHome: dir, seed: 1, ...(columns ? { columns } : {}) });
  }

  async function failure(spec: Omit<Extract<DatasetSpec, { name: 'csv' }>, 'name'>, columns?: Record<string, ColumnOptions>): Promise<DatasetError> {
    try {
      await load(spec, columns);
    } catch (error) {
      if (error instanceof DatasetError) return error;
      throw error;
    }
    throw new Error('expected a DatasetError');
  }

  it('loads a regression CSV with quoted fields and CRLF, features defaulting to the other columns', async () => {
    const content = 'size,"rooms",price\r\n"15",3,200\r\n2.5,"4",350.5\r\n';
    const path = await csv('houses.csv', content);
    const data = await load({ path, target: 'price' });
    expect(data.task).toBe('regression');
    expect(data.featureNames).toEqual(['size', 'rooms']);
    expect(data.targetNames).toEqual(['price']);
    expect(data.x).toEqual([
      [15, 3],
      [2.5, 4],
    ]);
    expect(data.y).toEqual([[200], [350.5]]);
    expect(data.featureShape).toEqual([2]);
    expect(data.hash).toBe(sha256Hex(content));
  });

  it('takes several targets and an explicit feature list', async () => {
    const path = await csv('multi.csv', 'a,b,c,t1,t2\n1,2,3,4,5\n6,7,8,9,10\n');
    const data = await load({ path, target: ['t2', 't1'], features: ['c', 'a'] });
    expect(data.x).toEqual([
      [3, 1],
      [8, 6],
    ]);
    expect(data.y).toEqual([
      [5, 4],
      [10, 9],
    ]);
  });

  it('classification: text labels sorted into classNames, y = class index', async () => {
    const path = await csv('pets.csv', 'weight,kind\n4,dog\n3,cat\n30,"horse, big"\n5,dog\n');
    const data = await load({ path, target: 'kind', task: 'classification' });
    expect(data.classNames).toEqual(['cat', 'dog', 'horse, big']);
    expect(data.y).toEqual([[1], [0], [2], [1]]);
    expect(data.targetNames).toEqual(['kind']);
  });

  it('classification: numeric labels sort in numeric order', async () => {
    const path = await csv('grades.csv', 'score,grade\n1,10\n2,9\n3,2\n');
    const data = await load({ path, target: 'grade', task: 'classification' });
    expect(data.classNames).toEqual(['2', '9', '10']);
    expect(data.y).toEqual([[2], [1], [0]]);
  });

  it('NOT_FOUND names the missing path', async () => {
    const path = join(dir, 'nope.csv');
    const error = await failure({ path, target: 'y' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(path);
  });

  it('MISSING_COLUMN names the column and lists the available ones', async () => {
    const path = await csv('cols.csv', 'a,b,y\n1,2,3\n');
    const target = await failure({ path, target: 'price' });
    expect(target.code).toBe('MISSING_COLUMN');
    expect(target.message).toMatch(/'price'.*'a', 'b', 'y'/);
    const feature = await failure({ path, target: 'y', features: ['a', 'zzz'] });
    expect(feature.code).toBe('MISSING_COLUMN');
    expect(feature.message).toMatch(/'zzz'.*'a', 'b', 'y'/);
  });

  it('quotes no more of the file than short cells and the first column names', async () => {
    // A file that is not a table (a password file, say) must not be spread through its errors.
    const secret = 'root:$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyz:19000:0:99999:7:::';
    const wide = Array.from({ length: 30 }, (_, i) => `c${i}`).join(',');
    const header = await failure({ path: await csv('shadow.csv', `${secret}
${secret}
`), target: 'x' });
    expect(header.code).toBe('MISSING_COLUMN');
    expect(header.message).not.toContain('0123456789abcdefghijklmnopqrstuvwxyz');
    const many = await failure({ path: await csv('wide.csv', `${wide}
${wide}
`), target: 'x' });
    expect(many.message).toMatch(/'c19' and 10 more$/);
    const cell = await failure({ path: await csv('cell.csv', `a,y
1,hunter2-is-my-password
`), target: 'y', task: 'regression' });
    expect(cell.message).toContain("'y' is a category column");
    const forced = await failure({ path: await csv('cell.csv', `a,y
hunter2-is-my-password,1
`), target: 'y' }, { a: { type: 'number' } });
    expect(forced.message).toContain("'hunter2-is-m…' is not a number");
    expect(cell.message).not.toContain('password');
  });

  it('PARSE_ERROR names the 1-based line, the column and the bad value', async () => {
    const path = await csv('bad.csv', 'a,b,y\n1,2,3\n4,five,6\n');
    const error = await failure({ path, target: 'y' }, { b: { type: 'number' } });
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toContain('line 3');
    expect(error.message).toContain("'b'");
    expect(error.message).toContain("'five'");
    const target = await failure({ path: await csv('hole.csv', 'a,y\n1,2\n3,\n'), target: 'y' });
    expect(target.message).toMatch(/line 3, column 'y': the target is missing/);
    const ragged = await failure({ path: await csv('ragged.csv', 'a,y\n1,2\n3\n'), target: 'y' });
    expect(ragged.message).toMatch(/line 3: expected 2 fields/);
  });

  it('EMPTY for an empty file and for a header without rows', async () => {
    expect((await failure({ path: await csv('empty.csv', ''), target: 'y' })).code).toBe('EMPTY');
    expect((await failure({ path: await csv('header.csv', 'a,y\r\n'), target: 'y' })).code).toBe('EMPTY');
  });

  it('INVALID_SPEC for two classification targets or a column used as both', async () => {
    const path = await csv('spec.csv', 'a,b,y\n1,2,3\n');
    expect((await failure({ path, target: ['a', 'y'], task: 'classification' })).code).toBe('INVALID_SPEC');
    expect((await failure({ path, target: 'y', features: ['a', 'y'] })).code).toBe('INVALID_SPEC');
  });

  it('NOT_FOUND for a folder given as the path', async () => {
    await mkdir(join(dir, 'folder.csv'));
    expect((await failure({ path: join(dir, 'folder.csv'), target: 'y' })).code).toBe('NOT_FOUND');
  });
});
