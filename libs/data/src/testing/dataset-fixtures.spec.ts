import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAL_HOUSING_DATA_SHA256, CANONICAL_SOURCES } from '../datasets/canonical-sources.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { datasetFixturesDir } from './dataset-fixtures.js';

const fixtures = datasetFixturesDir();

/** The `- \`file\` sha256` lines of fixtures/README.md. */
async function documentedChecksums(): Promise<Map<string, string>> {
  const readme = await readFile(join(fixtures, 'README.md'), 'utf8');
  return new Map([...readme.matchAll(/^- `([^`]+)` ([0-9a-f]{64})$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

describe('dataset fixtures', () => {
  it('live in this package, inside the repository', () => {
    expect(fixtures).toBe(fileURLToPath(new URL('../../fixtures', import.meta.url)));
  });

  it('are the files their README lists, byte for byte', async () => {
    const documented = await documentedChecksums();
    const files = (await readdir(fixtures)).filter((name) => name !== 'README.md' && !name.startsWith('.')).sort();
    expect(files).toEqual(['cal_housing.data', 'optdigits.tes']);
    expect([...documented.keys()].sort()).toEqual(files);
    for (const name of files) {
      expect(sha256Hex(new Uint8Array(await readFile(join(fixtures, name)))), name).toBe(documented.get(name));
    }
  });

  it('are the bytes the loaders trust as the canonical downloads', async () => {
    const documented = await documentedChecksums();
    expect(documented.get('cal_housing.data')).toBe(CAL_HOUSING_DATA_SHA256);
    expect(documented.get('optdigits.tes')).toBe(CANONICAL_SOURCES.digits.sha256);
  });
});
