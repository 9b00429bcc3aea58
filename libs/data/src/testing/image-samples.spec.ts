import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageSampleDir } from '../datasets/image-samples.js';
import { sha256Hex } from '../hash/sha256-hex.js';

const assets = fileURLToPath(new URL('../../assets', import.meta.url));

/** The `- \`file\` sha256` lines of assets/README.md. */
async function documentedChecksums(): Promise<Map<string, string>> {
  const readme = await readFile(join(assets, 'README.md'), 'utf8');
  return new Map([...readme.matchAll(/^- `([^`]+)` ([0-9a-f]{64})$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('image samples', () => {
  it('are where the loaders look, inside this package', () => {
    expect(imageSampleDir('mnist')).toBe(join(assets, 'mnist-sample'));
    expect(imageSampleDir('fashion_mnist')).toBe(join(assets, 'fashion-mnist-sample'));
  });

  it('are the files their README lists, byte for byte, under about 4 MB in all', async () => {
    const documented = await documentedChecksums();
    const files = (await Promise.all(['mnist-sample', 'fashion-mnist-sample'].map(async (dir) => (await readdir(join(assets, dir))).map((f) => `${dir}/${f}`)))).flat().sort();
    expect([...documented.keys()].sort()).toEqual(files);
    let total = 0;
    for (const name of files) {
      const bytes = new Uint8Array(await readFile(join(assets, name)));
      total += bytes.length;
      expect(sha256Hex(bytes), name).toBe(documented.get(name));
    }
    expect(total).toBeLessThan(4.5e6);
  });
});
