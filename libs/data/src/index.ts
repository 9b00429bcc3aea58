export { Rng } from './random/rng.js';
export { sha256Hex } from './hash/sha256-hex.js';
export { DatasetError, type DatasetErrorCode } from './errors/dataset-error.js';

export type { Dataset, FeatureType, NumericDataset, Task } from './datasets/dataset.js';
export {
  DATASET_NAMES,
  isRegisteredSpec,
  type BuiltInDatasetSpec,
  type DatasetSpec,
  type LoadDatasetOptions,
  type RegisteredDatasetSpec,
} from './datasets/dataset-spec.js';
export { CANONICAL_SOURCES, type DatasetSource } from './datasets/canonical-sources.js';
export { datasetLoadKey, loadDataset } from './datasets/load-dataset.js';
export { parseCsv, type CsvRecord } from './datasets/csv-parser.js';

// Tables: streaming parser, profile, cells.
export * from './tables/table-types.js';
export { DelimitedParser, detectDelimiter, parseDelimitedText, type DelimitedParserOptions, type TableRecord } from './tables/delimited-parser.js';
export { readTable, type TableBytes, type TableHead } from './tables/read-table.js';
export { profileTable } from './tables/profile-table.js';
export { inferColumnType, type TypeEvidence } from './tables/column-stats.js';
export { isMissingText, parseBooleanText, parseNumberText } from './tables/cells.js';

export { archiveFiles, archiveFormat, type ArchiveFile, type ArchiveLimits } from './image-folders/archive-files.js';
export { decodeImage, imageType, type DecodedImage } from './image-folders/decode-image.js';
export { imageFolderRows, isImageArchive, profileImageFolder, readImageFolder, type ImageFolderLayout } from './image-folders/image-folder.js';
export { imageFolderDataset } from './image-folders/image-folder-dataset.js';
export type { ArchiveFormat, ImageFolderProfile, ImageSize, ImageThumbnail } from './image-folders/image-folder-types.js';
export { profileUpload } from './image-folders/profile-upload.js';

export { splitIndices, splitSizes, type SplitIndices, type SplitSpec } from './splits/split-indices.js';
export { takeRows } from './splits/take-rows.js';

export { fitScaler, scalerFromState, type Scaler, type ScalerKind, type ScalerState } from './preprocessing/scaler.js';
export { Preprocessor, type PreprocessorSpec } from './preprocessing/preprocessor.js';
export type { PreprocessorState, PreprocessorStateV1, PreprocessorStateV2 } from './preprocessing/preprocessor-state.js';
export type { CategoryColumnState, ColumnState, NumberColumnState } from './preprocessing/column-state.js';
export { describePreprocessor } from './preprocessing/describe-preprocessor.js';
export { composeLinearLayers, describeWeightScale, rawInputWeights, type DenseParams, type RawWeights } from './preprocessing/raw-weights.js';
export { oneHot } from './preprocessing/one-hot.js';
