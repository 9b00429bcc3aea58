import type { DatasetSpec, RegisteredDatasetSpec, Task } from '@trainyard/data';
import { isBuiltInDatasetName } from '../datasets/dataset-ref.js';

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
  /** One sample as an image [height, width, channels], when the dataset gives images (not flat features). */
  imageShape?: [number, number, number];
  /** Image datasets: the largest raw pixel value (`preprocessing.features: 'pixels'` divides by it). */
  pixelMax?: number;
  /** Rows of the dataset's own test part (mnist: 10,000), the last of `rows`; the split's validation applies to the others. */
  testRows?: number;
}

/** The built-in datasets' shapes, so that a definition is checked before anything is queued. */
const BUILT_IN: Record<'multiply' | 'sum' | 'california_housing' | 'iris' | 'digits', DatasetFacts> = {
  multiply: { task: 'regression', features: 1, targets: 1, rows: 7 },
  // `n` rows; SUM_DEFAULT_ROWS (50) when the definition gives none.
  sum: { task: 'regression', features: 2, targets: 1, rows: 50 },
  california_housing: { task: 'regression', features: 8, targets: 1, rows: 20_640 },
  iris: { task: 'classification', features: 4, targets: 1, classes: 3, rows: 150 },
  digits: { task: 'classification', features: 64, targets: 1, classes: 10, rows: 1_797, pixelMax: 16 },
};

/** mnist and fashion_mnist: Keras' load_data() files, or the sample that ships with trainyard. */
const MNIST_LIKE: DatasetFacts = { task: 'classification', features: 784, targets: 1, classes: 10, rows: 70_000, testRows: 10_000, pixelMax: 255 };
const MNIST_SAMPLE = { rows: 7_000, testRows: 1_000 };

type TableOrFolderSpec = RegisteredDatasetSpec | Extract<DatasetSpec, { name: 'csv' }>;

/** A table (registered or a CSV file) or a registered folder of images: not one of the datasets trainyard brings. */
function isTableOrFolder(spec: DatasetSpec): spec is TableOrFolderSpec {
  return spec.name === 'csv' || !isBuiltInDatasetName(spec.name);
}

/** What is known of a dataset from its spec alone; a table's columns are known once it is read (or from its registered profile). */
export function factsOf(spec: DatasetSpec): DatasetFacts {
  if (isTableOrFolder(spec)) {
    // A folder of images: a classifier over its folders; the profile tells the rest.
    if ('image' in spec && spec.image) return { task: 'classification', targets: 1, imageShape: [spec.image.height, spec.image.width, spec.image.channels], pixelMax: 255 };
    const target = 'target' in spec ? spec.target : undefined;
    return {
      task: spec.task ?? 'regression',
      targets: Array.isArray(target) ? target.length : 1,
      ...(spec.features ? { features: spec.features.length } : {}),
    };
  }
  if (spec.name === 'sum' && 'n' in spec && spec.n !== undefined) return { ...BUILT_IN.sum, rows: spec.n };
  if (spec.name === 'digits') return spec.as === 'images' ? { ...BUILT_IN.digits, imageShape: [8, 8, 1] } : BUILT_IN.digits;
  if (spec.name === 'mnist' || spec.name === 'fashion_mnist') {
    return {
      ...MNIST_LIKE,
      ...(spec.sample ? MNIST_SAMPLE : {}),
      ...(spec.as === 'features' ? {} : { imageShape: [28, 28, 1] }),
    };
  }
  return BUILT_IN[spec.name];
}
