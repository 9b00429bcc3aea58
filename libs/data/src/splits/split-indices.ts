import { DatasetError } from '../errors/dataset-error.js';
import type { Rng } from '../random/rng.js';

/**
 * How many rows go to test and validation. Each value: 0 = none; 0 < v < 1 = a fraction;
 * an integer >= 1 = a row count. `test` is a fraction of all rows, rounded up like
 * scikit-learn's train_test_split; `validation` is a fraction of what remains after the test
 * part, like Keras' validation_split. `stratify` keeps class proportions in every part.
 */
export interface SplitSpec {
  test: number;
  validation?: number;
  stratify?: boolean;
}

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

// 0.07 * 100 is 7.000000000000001 in floating point; without the slack ceil() would take 8 rows.
const ROUNDING_SLACK = 1e-9;

function partSize(field: string, value: number, available: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new DatasetError('INVALID_SPEC', `split.${field} must be 0, a fraction in (0, 1) or a row count, got ${value}`);
  }
  if (value === 0) return 0;
  if (value < 1) return Math.ceil(value * available - ROUNDING_SLACK);
  if (!Number.isInteger(value)) {
    throw new DatasetError('INVALID_SPEC', `split.${field} must be a fraction below 1 or a whole row count, got ${value}`);
  }
  if (value > available) {
    throw new DatasetError('INVALID_SPEC', `split.${field} asks for ${value} rows but only ${available} are available`);
  }
  return value;
}

/**
 * Largest-remainder apportionment of `total` rows over groups in proportion to their sizes,
 * so each class gets its share rounded as fairly as possible and the parts still add up.
 */
function apportion(total: number, sizes: number[]): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  if (all === 0) return sizes.map(() => 0);
  const quotas = sizes.map((size) => (total * size) / all);
  const counts = quotas.map((q, i) => Math.min(Math.floor(q + ROUNDING_SLACK), sizes[i] ?? 0));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = sizes
    .map((size, i) => ({ i, remainder: (quotas[i] ?? 0) - (counts[i] ?? 0), size }))
    .sort((a, b) => b.remainder - a.remainder || b.size - a.size || a.i - b.i);
  while (left > 0) {
    let given = false;
    for (const { i, size } of order) {
      if (left > 0 && (counts[i] ?? 0) < size) {
        counts[i] = (counts[i] ?? 0) + 1;
        left -= 1;
        given = true;
      }
    }
    if (!given) break;
  }
  return counts;
}

function stratifiedSplit(n: number, testSize: number, validationSize: number, rng: Rng, labels: number[]): SplitIndices {
  const groups = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const group = groups.get(label);
    if (group) group.push(index);
    else groups.set(label, [index]);
  });
  // Visit classes in label order so the result depends on the labels, not on the order they first appear.
  const classes = [...groups.keys()].sort((a, b) => a - b).map((label) => rng.shuffle(groups.get(label) ?? []));
  const testCounts = apportion(testSize, classes.map((c) => c.length));
  const validationCounts = apportion(validationSize, classes.map((c, i) => c.length - (testCounts[i] ?? 0)));
  const parts: SplitIndices = { train: [], validation: [], test: [] };
  classes.forEach((members, i) => {
    const t = testCounts[i] ?? 0;
    const v = validationCounts[i] ?? 0;
    parts.test.push(...members.slice(0, t));
    parts.validation.push(...members.slice(t, t + v));
    parts.train.push(...members.slice(t + v));
  });
  if (parts.train.length + parts.validation.length + parts.test.length !== n) {
    throw new Error('stratified split lost rows'); // guards the apportionment arithmetic
  }
  rng.shuffle(parts.train);
  rng.shuffle(parts.validation);
  rng.shuffle(parts.test);
  return parts;
}

/** How many of `n` rows each part gets; a DatasetError when the split does not fit (no training row left). */
export function splitSizes(n: number, spec: SplitSpec): { train: number; validation: number; test: number } {
  if (!Number.isInteger(n) || n < 1) throw new DatasetError('INVALID_SPEC', `cannot split ${n} rows`);
  const test = partSize('test', spec.test, n);
  const validation = partSize('validation', spec.validation ?? 0, n - test);
  const train = n - test - validation;
  if (train < 1) {
    throw new DatasetError('INVALID_SPEC', `split leaves no training rows: ${n} rows, ${test} for test, ${validation} for validation`);
  }
  return { train, validation, test };
}

/** Seeded, shuffled train/validation/test row indices for `n` rows. */
export function splitIndices(n: number, spec: SplitSpec, rng: Rng, labels?: number[]): SplitIndices {
  const { test: testSize, validation: validationSize } = splitSizes(n, spec);
  if (spec.stratify) {
    if (!labels) throw new DatasetError('INVALID_SPEC', 'split.stratify needs class labels (a classification dataset)');
    if (labels.length !== n) {
      throw new DatasetError('INVALID_SPEC', `split.stratify got ${labels.length} labels for ${n} rows`);
    }
    return stratifiedSplit(n, testSize, validationSize, rng, labels);
  }
  const order = rng.permutation(n);
  return {
    test: order.slice(0, testSize),
    validation: order.slice(testSize, testSize + validationSize),
    train: order.slice(testSize + validationSize),
  };
}
