import { DatasetError } from '../errors/dataset-error.js';
import { californiaHousingDataset } from './california-housing-dataset.js';
import { csvDataset, type CsvDatasetSpec } from './csv-dataset.js';
import type { Dataset, NumericDataset } from './dataset.js';
import { isRegisteredSpec, type BuiltInDatasetSpec, type DatasetSpec, type LoadDatasetOptions } from './dataset-spec.js';
import type { DownloadableDataset } from './canonical-sources.js';
import { digitsDataset } from './digits-dataset.js';
import { fashionMnistDataset } from './fashion-mnist-dataset.js';
import { mnistDataset } from './mnist-dataset.js';
import { irisDataset } from './iris-dataset.js';
import { multiplyDataset } from './multiply-dataset.js';
import { registeredDataset } from './registered-dataset.js';
import { sumDataset } from './sum-dataset.js';

/**
 * Loads a dataset by spec. Downloadable datasets come from `options.dataHome` when cached
 * there, else from their (checksum-verified) source, and are cached for next time. A `csv`
 * dataset reads its file; a registered one (any other name) gets its bytes from
 * `options.openRegistered`.
 */
export async function loadDataset(spec: BuiltInDatasetSpec, options: LoadDatasetOptions): Promise<NumericDataset>;
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset>;
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions): Promise<Dataset> {
  const download = (name: DownloadableDataset) => ({
    dataHome: options.dataHome,
    // Wrapped so fetch is never called with a foreign `this` (browsers' fetch throws on that).
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    source: options.sources?.[name],
    onProgress: options.onProgress,
  });
  // Specs often come from JSON files, so the name is checked at run time as well.
  const name: unknown = (spec as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '') throw new DatasetError('INVALID_SPEC', `a dataset needs a name, got ${String(name)}`);
  if (isRegisteredSpec(spec)) return registeredDataset(spec, options.openRegistered, options.columns);
  switch (spec.name) {
    case 'multiply':
      return multiplyDataset();
    case 'sum':
      return sumDataset('n' in spec ? spec.n : undefined, options.seed);
    case 'california_housing':
      return californiaHousingDataset(download('california_housing'));
    case 'iris':
      return irisDataset();
    case 'digits':
      return digitsDataset(download('digits'), 'as' in spec ? spec.as : undefined);
    case 'mnist':
      return mnistDataset(spec, download('mnist'));
    case 'fashion_mnist':
      return fashionMnistDataset(spec, download('fashion_mnist'));
    default:
      return csvDataset(spec as CsvDatasetSpec, options.columns);
  }
}

/**
 * What decides a load's result, as a string: two loads with the same key give the same
 * dataset, so the runs of a pack can share one. The spec and the columns, and the seed only
 * for the dataset drawn from it (`sum`); every other dataset is the same whatever the seed.
 */
export function datasetLoadKey(spec: DatasetSpec, options: Pick<LoadDatasetOptions, 'seed' | 'columns'>): string {
  const seeded = (spec as { name?: unknown }).name === 'sum';
  return JSON.stringify([spec, options.columns ?? null, seeded ? options.seed : null]);
}
