export { datasetFixturesDir, seedDataHome } from './dataset-fixtures.js';
export { makeTempDir } from './temp-dir.js';
