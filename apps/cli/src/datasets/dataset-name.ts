import { basename, extname } from 'node:path';
import { DATASET_NAME_PATTERN, DATASET_NAME_RULE, isBuiltInDatasetName } from '@trainyard/contract';

const MAX_NAME = 64;

/**
 * The dataset name `submit` gives a local file: its base name without the extension,
 * lowercased, every run of other characters made one `-`, starting with a letter
 * (`2024 Sales.CSV` -> `data-2024-sales`, `flowers.tar.gz` -> `flowers`); a built-in dataset's name gets `-data`
 * (`iris.csv` -> `iris-data`), since a registered dataset cannot take one.
 */
export function datasetNameFromPath(path: string): string {
  // Accents dropped rather than turned into separators: `Café Prices.csv` -> `cafe-prices`.
  const file = basename(path).replace(/\.(tar\.gz|tgz)$/i, '');
  const stem = basename(file, extname(file)).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let name = stem
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  if (!/^[a-z]/.test(name)) name = name === '' ? 'data' : `data-${name}`;
  if (isBuiltInDatasetName(name)) name = `${name}-data`;
  return name.slice(0, MAX_NAME).replace(/[-_.]+$/, '');
}

/** Why `name` cannot name a registered dataset, or undefined when it can. */
export function datasetNameProblem(name: string): string | undefined {
  if (!DATASET_NAME_PATTERN.test(name)) return `dataset name "${name}" ${DATASET_NAME_RULE}`;
  if (isBuiltInDatasetName(name)) return `"${name}" is the name of a built-in dataset: choose another name`;
  return undefined;
}
