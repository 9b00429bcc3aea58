import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as data from './index.js';
import * as testing from './testing/index.js';

// Other projects build against these names; a rename must fail here, not in their builds.
describe('public entry points', () => {
  it('export the agreed runtime API', () => {
    for (const name of [
      'Rng', 'loadDataset', 'DatasetError', 'splitIndices', 'takeRows', 'fitScaler', 'scalerFromState',
      'Preprocessor', 'oneHot', 'sha256Hex', 'profileTable', 'describePreprocessor', 'DelimitedParser', 'parseCsv',
      'isRegisteredSpec', 'readTable', 'inferColumnType', 'profileUpload', 'profileImageFolder', 'imageFolderDataset', 'decodeImage',
    ] as const) {
      expect(typeof data[name], name).toBe('function');
    }
    expect(Object.keys(data.CANONICAL_SOURCES).sort()).toEqual(['california_housing', 'digits', 'fashion_mnist', 'mnist']);
    expect(data.DATASET_NAMES).toHaveLength(8);
    expect(Object.keys(testing).sort()).toEqual(['datasetFixturesDir', 'jpegBytes', 'makeTempDir', 'makeZip', 'pngBytes', 'seedDataHome']);
  });

  it('testing helpers find the dataset fixtures committed in this package', () => {
    expect(testing.datasetFixturesDir()).toBe(fileURLToPath(new URL('../fixtures', import.meta.url)));
  });
});
