export { Rng } from './random/rng.js';
export { sha256Hex } from './hash/sha256-hex.js';
export { DatasetError, type DatasetErrorCode } from './errors/dataset-error.js';

export type { Dataset, Task } from './datasets/dataset.js';
export { DATASET_NAMES, type DatasetSpec, type LoadDatasetOptions } from './datasets/dataset-spec.js';
export { CANONICAL_SOURCES, type DatasetSource } from './datasets/canonical-sources.js';
export { loadDataset } from './datasets/load-dataset.js';
export { parseCsv, type CsvRecord } from './datasets/csv-parser.js';

export { splitIndices, splitSizes, type SplitIndices, type SplitSpec } from './splits/split-indices.js';
export { takeRows } from './splits/take-rows.js';

export { fitScaler, scalerFromState, type Scaler, type ScalerKind, type ScalerState } from './preprocessing/scaler.js';
export { Preprocessor, type PreprocessorSpec } from './preprocessing/preprocessor.js';
export type { PreprocessorState } from './preprocessing/preprocessor-state.js';
export { oneHot } from './preprocessing/one-hot.js';
