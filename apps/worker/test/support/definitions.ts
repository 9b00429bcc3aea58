import { sumDefinition } from '@trainyard/experiments/testing';

/**
 * Tiny definitions: the sum task (a 2-3-1 linear network) trains in a fraction of a second;
 * the slow one has many small batches per epoch and runs for several seconds, long enough
 * to kill, stop or cancel something in the middle of it.
 */
export function quickRun(name: string, seed: number) {
  return { ...sumDefinition(name, 60), seed, batchSize: 16 };
}

export const SLOW_EPOCHS = 24;

export function slowRun(name: string, seed = 11) {
  return { ...quickRun(name, seed), dataset: { name: 'sum', n: 2_000 }, epochs: SLOW_EPOCHS, batchSize: 4 };
}

export const PACK_EPOCHS = 10;

/**
 * slowRun for the runs of a pack, with fewer epochs: a pack trains several runs at once, and a
 * pack whose worker died trains all of them again (at 40 epochs, minutes of a loaded CI).
 * Ten still leave seconds to kill, stop or cancel after epoch 2 or 3.
 */
export function slowPackRun(name: string, seed = 11) {
  return { ...slowRun(name, seed), epochs: PACK_EPOCHS };
}

/** About a second of training: a sweep of these keeps two workers busy for a while. */
export function mediumRun(name: string, seed = 5) {
  return { ...quickRun(name, seed), dataset: { name: 'sum', n: 1_000 }, epochs: 10, batchSize: 4 };
}

/** Sums over 1,000,000 rows: their JavaScript arrays need more than 256 MiB of a thread's heap (measured). */
export function bigDataRun(name: string) {
  return { ...quickRun(name, 3), dataset: { name: 'sum', n: 1_000_000 }, epochs: 1, batchSize: 1024 };
}

/** Minutes of training unless something stops it. */
export function endlessRun(name: string, seed = 13) {
  return { ...slowRun(name, seed), epochs: 10_000 };
}

/** Unscaled inputs and a learning rate of 10: the loss is infinite in the first epoch (NON_FINITE_LOSS). */
export function divergingRun(name: string) {
  return { ...quickRun(name, 1), preprocessing: { features: 'none' }, optimizer: { name: 'sgd', learningRate: 10 }, epochs: 50 };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
