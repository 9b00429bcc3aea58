export type Task = 'regression' | 'classification';

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
  /** Rows x features; images are flattened row-major. */
  x: number[][];
  /** Regression: rows x targets in raw units; classification: rows x [classIndex]. */
  y: number[][];
  /** [features] for tabular data, [8, 8] for digits. */
  featureShape: number[];
  /** sha256 hex of the source file bytes, or of the canonical JSON of generated/packaged rows. */
  hash: string;
}
