export { seedDataHome, sharedDatasetsDir } from './shared-datasets.js';
export { makeTempDir } from './temp-dir.js';
