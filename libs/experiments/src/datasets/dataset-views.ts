import type { DatasetVersionDetail, DatasetVersionView } from '@trainyard/contract';
import type { DatasetVersionRow, DatasetVersionWithProfile } from '../store/dataset.repository.js';

/** A version as the API shows it; `runs`: runs of the experiments that pinned it. */
export function toVersionView(row: DatasetVersionRow, runs: number): DatasetVersionView {
  return {
    name: row.name,
    version: row.version,
    sha256: row.sha256,
    size: row.size,
    filename: row.filename,
    format: row.format,
    rows: row.rows,
    columns: row.columnCount,
    createdAt: row.createdAt.toISOString(),
    runs,
  };
}

export function toVersionDetail(row: DatasetVersionWithProfile, runs: number): DatasetVersionDetail {
  return { ...toVersionView(row, runs), profile: row.profile };
}

export function datasetLabel(name: string, version: number): string {
  return `${name}@${version}`;
}
