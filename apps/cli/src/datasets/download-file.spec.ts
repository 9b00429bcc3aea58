import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { downloadVerified } from './download-file.js';

const body = (text: string): ReadableStream<Uint8Array> => new Response(text).body ?? new ReadableStream();
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('downloadVerified', () => {
  it('writes the exact bytes when their sha256 matches', async () => {
    const dir = await makeTempDir('cli-get-');
    const text = 'a,b\n1,"x, y"\n'.repeat(10_000);
    expect(await downloadVerified(body(text), join(dir, 'out.csv'), sha(text))).toEqual({ size: text.length, sha256: sha(text) });
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['out.csv']);
  });

  it('writes nothing (and leaves no partial file) when the bytes are not the version', async () => {
    const dir = await makeTempDir('cli-get-');
    await expect(downloadVerified(body('a,b\n1,2\n'), join(dir, 'out.csv'), sha('other'))).rejects.toThrow(/not the version's .*nothing was written/);
    expect(await readdir(dir)).toEqual([]);
  });
});
