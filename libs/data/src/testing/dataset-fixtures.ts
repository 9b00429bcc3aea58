import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calHousingPath } from '../datasets/california-housing-dataset.js';
import { digitsPath } from '../datasets/digits-dataset.js';

/** Fixture file -> where the loaders cache it inside a data home. */
const CACHE_LAYOUT: Record<string, (dataHome: string) => string> = {
  'cal_housing.data': calHousingPath,
  'optdigits.tes': digitsPath,
};

/**
 * libs/data/fixtures: the committed copies of the downloadable datasets (source, licence and
 * sha256 in its README.md). Found through this package's own name, so the answer depends
 * neither on the current directory nor on where this file is compiled to.
 */
export function datasetFixturesDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@trainyard/data/package.json')), 'fixtures');
}

/** Copies the dataset fixtures into the loaders' cache layout under `dir`, so nothing is downloaded. */
export async function seedDataHome(dir: string): Promise<string> {
  const fixtures = datasetFixturesDir();
  for (const [name, cachePath] of Object.entries(CACHE_LAYOUT)) {
    const target = cachePath(dir);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(fixtures, name), target);
  }
  return dir;
}
