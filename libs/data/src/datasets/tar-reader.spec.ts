import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir.js';
import { extractTarMember } from './tar-reader.js';

describe('extractTarMember', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('trainyard-tar-');
    await mkdir(join(dir, 'folder'));
    await writeFile(join(dir, 'folder', 'small.txt'), 'hello\n');
    await writeFile(join(dir, 'folder', 'exact.bin'), Buffer.alloc(1024, 7));
    const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
    await mkdir(deep, { recursive: true });
    await writeFile(join(deep, 'long-name.txt'), 'long path');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function archive(format: string): Uint8Array {
    // '-f -' writes the archive to stdout, so no file has to be read back.
    return new Uint8Array(execFileSync('tar', ['--format', format, '-cf', '-', '-C', dir, 'folder', 'd'.repeat(60)]));
  }

  it.each(['ustar', 'gnu', 'pax'])('reads members of a %s archive built by the system tar', async (format) => {
    const tar = archive(format);
    expect(new TextDecoder().decode(extractTarMember(tar, 'folder/small.txt'))).toBe('hello\n');
    expect(extractTarMember(tar, './folder/exact.bin')).toEqual(new Uint8Array(await readFile(join(dir, 'folder', 'exact.bin'))));
    const longPath = `${'d'.repeat(60)}/${'e'.repeat(60)}/long-name.txt`;
    expect(new TextDecoder().decode(extractTarMember(tar, longPath))).toBe('long path');
  });

  it('names the missing member and lists what is there', () => {
    expect(() => extractTarMember(archive('ustar'), 'nope.txt')).toThrow(/no member nope\.txt \(members: folder\//);
  });
});
