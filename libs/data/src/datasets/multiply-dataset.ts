import type { NumericDataset } from './dataset.js';
import { rowsHash } from './rows-hash.js';

// The original notebook shows seven points on y = 3x without listing them; -2..4 is our choice,
// spanning negative, zero and positive inputs so the fitted line has to find both slope and intercept.
const XS = [-2, -1, 0, 1, 2, 3, 4];

/** The notebook's first task: learn y = 3x from seven points. */
export function multiplyDataset(): NumericDataset {
  const x = XS.map((v) => [v]);
  const y = XS.map((v) => [3 * v]);
  return {
    name: 'multiply',
    task: 'regression',
    description: 'Seven points on y = 3x at x = -2..4 (the notebook example).',
    featureNames: ['x'],
    targetNames: ['y'],
    x,
    y,
    featureShape: [1],
    hash: rowsHash(x, y),
  };
}
