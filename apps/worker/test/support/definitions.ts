import { sumDefinition } from '@trainyard/experiments/testing';

/**
 * Tiny definitions: the sum task (a 2-3-1 linear network) trains in a fraction of a second;
 * the slow one has many small batches per epoch and runs for several seconds, long enough
 * to kill, stop or cancel something in the middle of it.
 */
export function quickRun(name: string, seed: number) {
  return { ...sumDefinition(name, 60), seed, batchSize: 16 };
}

export const SLOW_EPOCHS = 40;

export function slowRun(name: string, seed = 11) {
  return { ...quickRun(name, seed), dataset: { name: 'sum', n: 2_000 }, epochs: SLOW_EPOCHS, batchSize: 4 };
}

/** About a second of training: a sweep of these keeps two workers busy for a while. */
export function mediumRun(name: string, seed = 5) {
  return { ...quickRun(name, seed), dataset: { name: 'sum', n: 1_000 }, epochs: 10, batchSize: 4 };
}

/** Passes every check at submission, fails when the worker reads the data: a run a retry cannot fix. */
export function missingCsvRun(name: string) {
  return {
    ...quickRun(name, 1),
    dataset: { name: 'csv', path: '/nonexistent/trainyard-test.csv', target: 'y', features: ['a', 'b'], task: 'regression' },
  };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
