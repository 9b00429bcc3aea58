import type { Cell } from '../tables/table-types.js';

export type Task = 'regression' | 'classification';

/** The type a table's feature column is used as (a text column is never a feature). */
export type FeatureType = 'number' | 'category' | 'boolean';

/** A loaded dataset: every row in memory, raw units, with what it takes to explain it later. */
export interface Dataset {
  name: string;
  task: Task;
  description: string;
  featureNames: string[];
  /** Regression: one per target column; classification: the one label column's name. */
  targetNames: string[];
  /** Classification only: label text of class index 0..k-1. */
  classNames?: string[];
  /**
   * Rows x features; images are flattened row-major. Built-in datasets hold numbers only; a
   * table holds its raw cells: numbers for number columns, texts for category and boolean
   * columns, null for a missing cell (the preprocessing imputes and encodes them). Images
   * hold their pixels as views into one byte array (`rowViews`): rows are read, never written.
   */
  x: readonly ArrayLike<Cell>[];
  /** Tables only: each feature column's type. Absent: every feature is a number (built-ins). */
  featureTypes?: FeatureType[];
  /** Regression: rows x targets in raw units; classification: rows x [classIndex]. */
  y: number[][];
  /**
   * [features] for tabular data and images used as features ([64] for digits, [784] for
   * mnist); [height, width, channels] for images used as images ([8, 8, 1], [28, 28, 1]).
   */
  featureShape: number[];
  /** Image datasets, whether used as images or as features: one image's [height, width, channels]. */
  imageShape?: [number, number, number];
  /** Image datasets: the largest possible raw pixel value (16 for digits, 255 for 8-bit images); 'pixels' scaling divides by it. */
  pixelMax?: number;
  /**
   * Datasets with an official test part (mnist, fashion_mnist, as Keras' load_data): the last
   * `testRows` rows are the test set; the split's validation applies to the rows before them.
   */
  testRows?: number;
  /** sha256 hex of the source file bytes, or of the canonical JSON of generated/packaged rows. */
  hash: string;
}

/** A dataset whose every feature is a number: the built-in ones. */
export interface NumericDataset extends Dataset {
  x: readonly ArrayLike<number>[];
  featureTypes?: undefined;
}
