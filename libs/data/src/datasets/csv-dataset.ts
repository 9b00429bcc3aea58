import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import type { ColumnOptions } from '../tables/table-types.js';
import type { Dataset } from './dataset.js';
import { tableDataset, type TableSpec } from './table-dataset.js';

export interface CsvDatasetSpec extends TableSpec {
  path: string;
}

async function readSource(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new DatasetError('NOT_FOUND', `CSV file not found: ${path}`, { cause: error });
    }
    throw error;
  }
}

/** A table from a file on this machine (`trainyard train`); messages show the full path tried. */
export async function csvDataset(spec: CsvDatasetSpec, columns?: Record<string, ColumnOptions>): Promise<Dataset> {
  const path = resolve(spec.path);
  const bytes = await readSource(path);
  return tableDataset(spec, { name: 'csv', label: path, bytes, ...(columns ? { columns } : {}) });
}
