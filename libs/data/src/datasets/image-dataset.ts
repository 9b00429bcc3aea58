import { DatasetError } from '../errors/dataset-error.js';
import type { ByteArrayNd } from '../images/npy-reader.js';
import type { NumericDataset } from './dataset.js';
import type { ImageUse } from './dataset-spec.js';
import { rowViews } from './row-views.js';

/** One part of an image dataset as Keras' load_data returns it: images [n, h, w] and labels [n], uint8. */
export interface ImagePart {
  images: ByteArrayNd;
  labels: ByteArrayNd;
}

export interface ImageDatasetInfo {
  name: string;
  description: string;
  classNames: string[];
  /** Largest possible raw pixel value (255 for 8-bit images). */
  pixelMax: number;
  hash: string;
  /** Where the arrays came from, for errors. */
  source: string;
}

/** A spec's `as`, checked at run time too (specs come from JSON). */
export function imageUse(value: unknown, fallback: ImageUse): ImageUse {
  if (value === undefined) return fallback;
  if (value === 'images' || value === 'features') return value;
  throw new DatasetError('INVALID_SPEC', `dataset.as must be 'images' or 'features', got ${JSON.stringify(value)}`);
}

/** The [n, h, w] images and [n] labels of a part, checked against each other and the expected count. */
function checkPart(part: ImagePart, what: string, info: ImageDatasetInfo, rows: number): [height: number, width: number] {
  const [n, height, width, ...rest] = part.images.shape;
  if (n === undefined || height === undefined || width === undefined || rest.length > 0) {
    throw new DatasetError('PARSE_ERROR', `${info.source}: ${what} images have shape [${part.images.shape.join(', ')}], expected [n, height, width]`);
  }
  if (part.labels.shape.length !== 1 || part.labels.shape[0] !== n) {
    throw new DatasetError('PARSE_ERROR', `${info.source}: ${n} ${what} images but labels of shape [${part.labels.shape.join(', ')}]`);
  }
  if (n !== rows) throw new DatasetError('PARSE_ERROR', `${info.source}: ${n} ${what} images, expected ${rows}`);
  part.labels.data.forEach((label, i) => {
    if (label >= info.classNames.length) {
      throw new DatasetError('PARSE_ERROR', `${info.source}: ${what} label ${i} is ${label}, not a class 0..${info.classNames.length - 1}`);
    }
  });
  return [height, width];
}

/**
 * Training then test images as one dataset whose last `testRows` rows are the official test
 * part. Each row is the image flattened row-major; `as` decides the shape the model sees.
 */
export function imageDataset(
  info: ImageDatasetInfo,
  parts: { train: ImagePart; test: ImagePart },
  expected: { train: number; test: number },
  as: ImageUse,
): NumericDataset {
  const [height, width] = checkPart(parts.train, 'training', info, expected.train);
  const [testHeight, testWidth] = checkPart(parts.test, 'test', info, expected.test);
  if (testHeight !== height || testWidth !== width) {
    throw new DatasetError('PARSE_ERROR', `${info.source}: test images are ${testHeight}x${testWidth}, training images ${height}x${width}`);
  }
  const pixels = height * width;
  // Rows are views into the parts' own bytes: full MNIST is 55 MB as bytes, 440 MB as arrays of numbers.
  const x = [...rowViews(parts.train.images.data, pixels), ...rowViews(parts.test.images.data, pixels)];
  const y = [...parts.train.labels.data, ...parts.test.labels.data].map((label) => [label]);
  const featureNames: string[] = [];
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) featureNames.push(`pixel_${r}_${c}`);
  return {
    name: info.name,
    task: 'classification',
    description: info.description,
    featureNames,
    targetNames: ['label'],
    classNames: info.classNames,
    x,
    y,
    featureShape: as === 'images' ? [height, width, 1] : [pixels],
    imageShape: [height, width, 1],
    pixelMax: info.pixelMax,
    testRows: expected.test,
    hash: info.hash,
  };
}
