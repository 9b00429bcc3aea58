import type { SampleRecord } from '@trainyard/contract';

/** A confusion-matrix cell: the true class and the predicted one. */
export interface ClassPair {
  truth: string;
  predicted: string;
}

/** One image of the grid: its row, labels and place among the stored samples. */
export interface Shown {
  row: number[];
  truth: string;
  predicted: string;
  index: number;
}

/** Samples of a classification run that are images: misclassified first, then in stored order; only those of `cell` when given. */
export function imageSamples(samples: readonly SampleRecord[], cell?: ClassPair): Shown[] {
  const shown: Shown[] = [];
  samples.forEach((sample, index) => {
    if (typeof sample.truth !== 'string' || typeof sample.predicted !== 'string') return;
    if (cell && (sample.truth !== cell.truth || sample.predicted !== cell.predicted)) return;
    const row = sample.input.map((value) => (typeof value === 'number' ? value : 0));
    shown.push({ row, truth: sample.truth, predicted: sample.predicted, index });
  });
  return shown.sort((a, b) => Number(a.truth === a.predicted) - Number(b.truth === b.predicted) || a.index - b.index);
}

/** The mistakes among the samples by (true, predicted) pair, most frequent first. */
export function confusionPairs(samples: readonly SampleRecord[]): (ClassPair & { count: number })[] {
  const counts = new Map<string, ClassPair & { count: number }>();
  for (const s of samples) {
    if (typeof s.truth !== 'string' || typeof s.predicted !== 'string' || s.truth === s.predicted) continue;
    const key = JSON.stringify([s.truth, s.predicted]);
    const pair = counts.get(key) ?? { truth: s.truth, predicted: s.predicted, count: 0 };
    pair.count++;
    counts.set(key, pair);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

