import type { DatasetSpec, Task } from '@trainyard/data';

/** What the checks need to know of a dataset before (or after) it is loaded. */
export interface DatasetFacts {
  task: Task;
  /** Feature columns; unknown for a CSV file until it is read. */
  features?: number;
  /** Regression target columns. */
  targets: number;
  /** Number of classes; unknown for a CSV file until it is read. */
  classes?: number;
  /** Number of rows; unknown for a CSV file until it is read. */
  rows?: number;
}

/** The built-in datasets' shapes, so that a definition is checked before anything is queued. */
const BUILT_IN: Record<'multiply' | 'sum' | 'california_housing' | 'iris' | 'digits', DatasetFacts> = {
  multiply: { task: 'regression', features: 1, targets: 1, rows: 7 },
  // `n` rows; SUM_DEFAULT_ROWS (50) when the definition gives none.
  sum: { task: 'regression', features: 2, targets: 1, rows: 50 },
  california_housing: { task: 'regression', features: 8, targets: 1, rows: 20_640 },
  iris: { task: 'classification', features: 4, targets: 1, classes: 3, rows: 150 },
  digits: { task: 'classification', features: 64, targets: 1, classes: 10, rows: 1_797 },
};

/** What is known of a dataset from its spec alone; a table's columns are known once it is read (or from its registered profile). */
export function factsOf(spec: DatasetSpec): DatasetFacts {
  if (!('target' in spec)) {
    if (spec.name === 'sum' && 'n' in spec && spec.n !== undefined) return { ...BUILT_IN.sum, rows: spec.n };
    return BUILT_IN[spec.name];
  }
  const targets = Array.isArray(spec.target) ? spec.target.length : 1;
  return {
    task: spec.task ?? 'regression',
    targets,
    ...(spec.features ? { features: spec.features.length } : {}),
  };
}
