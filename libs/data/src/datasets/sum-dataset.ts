import { DatasetError } from '../errors/dataset-error.js';
import { Rng } from '../random/rng.js';
import type { NumericDataset } from './dataset.js';
import { rowsHash } from './rows-hash.js';

export const SUM_DEFAULT_ROWS = 50;

/** The notebook's second task: learn a + b from random pairs of digits 1..9. */
export function sumDataset(n: number | undefined, seed: number): NumericDataset {
  const rows = n ?? SUM_DEFAULT_ROWS;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new DatasetError('INVALID_SPEC', `dataset.n must be a whole number of rows >= 1, got ${String(n)}`);
  }
  // Its own stream, so the rows stay the same whatever else the run draws from the seed.
  const rng = Rng.derive(seed, 'data');
  const x: number[][] = [];
  for (let i = 0; i < rows; i++) x.push([rng.int(1, 9), rng.int(1, 9)]);
  const y = x.map(([a = 0, b = 0]) => [a + b]);
  return {
    name: 'sum',
    task: 'regression',
    description: `${rows} pairs of random integers 1..9 (seed ${seed}) and their sum.`,
    featureNames: ['a', 'b'],
    targetNames: ['sum'],
    x,
    y,
    featureShape: [2],
    hash: rowsHash(x, y),
  };
}
