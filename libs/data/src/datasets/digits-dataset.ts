import { join } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { CANONICAL_SOURCES } from './canonical-sources.js';
import { ensureCachedFile } from './cached-file.js';
import type { NumericDataset } from './dataset.js';
import type { ImageUse } from './dataset-spec.js';
import { imageUse } from './image-dataset.js';
import type { DownloadContext } from './download-context.js';
import { parseNumericTable } from './numeric-table.js';

const SIDE = 8;
const PIXELS = SIDE * SIDE;
/** A pixel counts the set bits of a 4x4 block of the 32x32 bitmap. */
const PIXEL_MAX = 16;

/** The cached file path of the digits inside a data home. */
export function digitsPath(dataHome: string): string {
  return join(dataHome, 'digits', 'optdigits.tes');
}

/**
 * UCI optical digits, test part = scikit-learn's load_digits: 8x8 counts 0..16 of a 32x32
 * bitmap; 64 features (default), or 8x8x1 images with `as: 'images'`.
 */
export async function digitsDataset(context: DownloadContext, use?: ImageUse): Promise<NumericDataset> {
  const as = imageUse(use, 'features');
  const source = context.source ?? CANONICAL_SOURCES.digits;
  const path = digitsPath(context.dataHome);
  const bytes = await ensureCachedFile({
    dataset: 'digits',
    path,
    source,
    // A plain file: the source checksum is the cached file's checksum.
    expectedSha256: source.sha256,
    extract: (downloaded) => downloaded,
    fetch: context.fetch,
    onProgress: context.onProgress,
  });
  const rows = parseNumericTable(new TextDecoder().decode(bytes), PIXELS + 1, path);
  const x = rows.map((row) => row.slice(0, PIXELS));
  const y = rows.map((row, i) => {
    const label = row[PIXELS] ?? -1;
    if (!Number.isInteger(label) || label < 0 || label > 9) {
      throw new DatasetError('PARSE_ERROR', `${path} row ${i + 1}: label ${label} is not a digit 0..9`);
    }
    return [label];
  });
  const featureNames: string[] = [];
  for (let r = 0; r < SIDE; r++) for (let c = 0; c < SIDE; c++) featureNames.push(`pixel_${r}_${c}`);
  return {
    name: 'digits',
    task: 'classification',
    description: 'UCI optical recognition of handwritten digits (scikit-learn load_digits): 1,797 8x8 images, pixels 0..16.',
    featureNames,
    targetNames: ['digit'],
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    x,
    y,
    featureShape: as === 'images' ? [SIDE, SIDE, 1] : [PIXELS],
    imageShape: [SIDE, SIDE, 1],
    pixelMax: PIXEL_MAX,
    hash: sha256Hex(bytes),
  };
}
