export { datasetFixturesDir, seedDataHome } from './dataset-fixtures.js';
export { makeTempDir } from './temp-dir.js';
export { jpegBytes, makeZip, pngBytes, type PaintFn, type ZipEntry } from './image-archives.js';
