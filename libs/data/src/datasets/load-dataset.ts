import { DatasetError } from '../errors/dataset-error.js';
import { californiaHousingDataset } from './california-housing-dataset.js';
import { csvDataset } from './csv-dataset.js';
import type { Dataset } from './dataset.js';
import { DATASET_NAMES, type DatasetSpec, type LoadDatasetOptions } from './dataset-spec.js';
import { digitsDataset } from './digits-dataset.js';
import { irisDataset } from './iris-dataset.js';
import { multiplyDataset } from './multiply-dataset.js';
import { sumDataset } from './sum-dataset.js';

/**
 * Loads a dataset by spec. Downloadable datasets come from `options.dataHome` when cached
 * there, else from their (checksum-verified) source, and are cached for next time.
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset> {
  const download = (name: 'california_housing' | 'digits') => ({
    dataHome: options.dataHome,
    // Wrapped so fetch is never called with a foreign `this` (browsers' fetch throws on that).
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    source: options.sources?.[name],
    onProgress: options.onProgress,
  });
  // Specs often come from JSON files, so the name is checked at run time as well.
  switch (spec.name) {
    case 'multiply':
      return multiplyDataset();
    case 'sum':
      return sumDataset(spec.n, options.seed);
    case 'california_housing':
      return californiaHousingDataset(download('california_housing'));
    case 'iris':
      return irisDataset();
    case 'digits':
      return digitsDataset(download('digits'));
    case 'csv':
      return csvDataset(spec);
    default: {
      const name: unknown = (spec as { name?: unknown }).name;
      throw new DatasetError('INVALID_SPEC', `unknown dataset '${String(name)}'; known: ${DATASET_NAMES.join(', ')}`);
    }
  }
}
