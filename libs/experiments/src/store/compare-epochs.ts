import type { Reproduction } from './store-types.js';

export interface EpochMetrics {
  epoch: number;
  metrics: Record<string, number>;
}

/**
 * Compares a rerun's epochs with the original's, bit for bit: Object.is, so -0 differs from
 * 0 and NaN equals NaN (a stored NaN comes back as null on both sides and matches too).
 * Metrics are visited in name order so the reported metric does not depend on key order.
 */
export function compareEpochs(original: EpochMetrics[], rerun: EpochMetrics[]): Reproduction {
  const before = new Map(original.map((row) => [row.epoch, row.metrics]));
  const after = new Map(rerun.map((row) => [row.epoch, row.metrics]));
  const epochs = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  let maxAbsDiff = 0;
  let first: { epoch: number; metric: string | null } | null = null;
  for (const epoch of epochs) {
    const a = before.get(epoch);
    const b = after.get(epoch);
    if (!a || !b) {
      first ??= { epoch, metric: null };
      continue;
    }
    for (const metric of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const x = a[metric];
      const y = b[metric];
      if (Object.is(x, y)) continue;
      first ??= { epoch, metric };
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x - y)) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
    }
  }
  return first ? { exact: false, maxAbsDiff, firstDivergentEpoch: first.epoch, metric: first.metric } : { exact: true, epochs: epochs.length };
}
