import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import type { ColumnOptions } from '../tables/table-types.js';
import type { Dataset } from './dataset.js';
import { DATASET_NAMES, type RegisteredDatasetSpec } from './dataset-spec.js';
import { imageFolderDataset } from '../image-folders/image-folder-dataset.js';
import { isImageArchive } from '../image-folders/image-folder.js';
import { tableDataset } from './table-dataset.js';

function labelOf(spec: RegisteredDatasetSpec): string {
  return spec.version === undefined ? spec.name : `${spec.name}@${spec.version}`;
}

/** A registered table or folder of images: bytes from `open`, checked against the pinned sha256 when there is one. */
export async function registeredDataset(
  spec: RegisteredDatasetSpec,
  open: ((spec: RegisteredDatasetSpec) => Promise<Uint8Array>) | undefined,
  columns?: Record<string, ColumnOptions>,
): Promise<Dataset> {
  const label = labelOf(spec);
  if (!open) {
    throw new DatasetError(
      'INVALID_SPEC',
      `dataset '${label}' is not built in (${DATASET_NAMES.join(', ')}), and registered datasets cannot be opened here (no openRegistered)`,
    );
  }
  const bytes = await open(spec);
  if (spec.sha256 !== undefined) {
    const actual = sha256Hex(bytes);
    if (actual !== spec.sha256) {
      throw new DatasetError('CHECKSUM_MISMATCH', `dataset ${label}: the bytes' sha256 is ${actual}, the definition pins ${spec.sha256}`);
    }
  }
  if (isImageArchive(bytes)) {
    if (!spec.image) throw new DatasetError('INVALID_SPEC', `dataset ${label} is a folder of images: give dataset.image, the size to resize them to`);
    return imageFolderDataset(bytes, { name: spec.name, label, size: spec.image });
  }
  if (spec.target === undefined) throw new DatasetError('INVALID_SPEC', `dataset ${label} is a table: give dataset.target, the column to predict`);
  return tableDataset({ ...spec, target: spec.target }, { name: spec.name, label, bytes, ...(columns ? { columns } : {}) });
}
