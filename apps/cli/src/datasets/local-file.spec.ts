import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { hashFile, localFileProblem, resolveDataPath, uploadMediaType } from './local-file.js';

describe('resolveDataPath', () => {
  it("resolves a relative path against the definition file's folder, not the current directory", () => {
    expect(resolveDataPath('/home/me/project/defs/house.json', 'data/apartments.csv')).toBe('/home/me/project/defs/data/apartments.csv');
    expect(resolveDataPath('/home/me/project/defs/house.json', '../data/a.csv')).toBe('/home/me/project/data/a.csv');
    expect(resolveDataPath('defs/house.json', 'a.csv')).toBe(join(process.cwd(), 'defs', 'a.csv'));
  });

  it('keeps an absolute path', () => {
    expect(resolveDataPath('/anywhere/def.json', '/data/a.csv')).toBe('/data/a.csv');
  });
});

describe('hashFile and localFileProblem', () => {
  it("hashes a file as a stream: the same sha256 and size as the whole file's", async () => {
    const dir = await makeTempDir('cli-hash-');
    const bytes = Buffer.alloc(300_000, 'a,b\n1,2\n');
    const path = join(dir, 'big.csv');
    await writeFile(path, bytes);
    expect(await hashFile(path)).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  });

  it('names the full path of a file that is not there, and refuses a folder; a symlink to a file is a file', async () => {
    const dir = await makeTempDir('cli-local-');
    await writeFile(join(dir, 'a.csv'), 'x\n1\n');
    await mkdir(join(dir, 'folder'));
    await symlink(join(dir, 'a.csv'), join(dir, 'link.csv'));
    expect(await localFileProblem(join(dir, 'a.csv'))).toBeUndefined();
    expect(await localFileProblem(join(dir, 'link.csv'))).toBeUndefined();
    expect(await localFileProblem(join(dir, 'gone.csv'))).toBe(`no such file: ${join(dir, 'gone.csv')}`);
    expect(await localFileProblem(join(dir, 'folder'))).toBe(`${join(dir, 'folder')} is not a file`);
  });
});

describe('uploadMediaType', () => {
  it('sends a .tsv as tab-separated, a .csv as CSV and anything else as plain text', () => {
    expect(uploadMediaType('a.TSV')).toBe('text/tab-separated-values');
    expect(uploadMediaType('a.csv')).toBe('text/csv');
    expect(uploadMediaType('a.txt')).toBe('text/plain');
  });
});
