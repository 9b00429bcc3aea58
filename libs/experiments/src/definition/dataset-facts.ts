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
}

/** The built-in datasets' shapes, so that a definition is checked before anything is queued. */
const BUILT_IN: Record<Exclude<DatasetSpec['name'], 'csv'>, DatasetFacts> = {
  multiply: { task: 'regression', features: 1, targets: 1 },
  sum: { task: 'regression', features: 2, targets: 1 },
  california_housing: { task: 'regression', features: 8, targets: 1 },
  iris: { task: 'classification', features: 4, targets: 1, classes: 3 },
  digits: { task: 'classification', features: 64, targets: 1, classes: 10 },
};

export function factsOf(spec: DatasetSpec): DatasetFacts {
  if (spec.name !== 'csv') return BUILT_IN[spec.name];
  const targets = Array.isArray(spec.target) ? spec.target.length : 1;
  return {
    task: spec.task ?? 'regression',
    targets,
    ...(spec.features ? { features: spec.features.length } : {}),
  };
}
