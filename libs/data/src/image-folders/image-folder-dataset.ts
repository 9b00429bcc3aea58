import { sha256Hex } from '../hash/sha256-hex.js';
import type { NumericDataset } from '../datasets/dataset.js';
import type { ImageSize } from './image-folder-types.js';
import { imageFolderRows, readImageFolder } from './image-folder.js';

/** 8-bit pictures: every channel 0..255. */
const PIXEL_MAX = 255;

/**
 * A registered folder of images as a classification dataset: classes are the sorted folder
 * names, every image decoded and resized to `size` (area averaging, gray or RGB), rows in the
 * layout's order (class, then path), so the same archive and size give the same rows.
 * Synchronous: it runs in a training thread, off the worker's event loop.
 */
export function imageFolderDataset(bytes: Uint8Array, options: { name: string; label: string; size: ImageSize }): NumericDataset {
  const layout = readImageFolder(bytes);
  const { height, width, channels } = options.size;
  const { x, y } = imageFolderRows(layout, options.size);
  const featureNames: string[] = [];
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) for (let k = 0; k < channels; k++) featureNames.push(channels === 1 ? `pixel_${r}_${c}` : `pixel_${r}_${c}_${'rgb'[k]}`);
  return {
    name: options.name,
    task: 'classification',
    description: `${options.label}: ${layout.files.length} images in ${layout.classes.length} class folders, resized to ${height}x${width} ${channels === 1 ? 'grayscale' : 'RGB'}.`,
    featureNames,
    targetNames: ['class'],
    classNames: layout.classes,
    x,
    y,
    featureShape: [height, width, channels],
    imageShape: [height, width, channels],
    pixelMax: PIXEL_MAX,
    hash: sha256Hex(bytes),
  };
}
