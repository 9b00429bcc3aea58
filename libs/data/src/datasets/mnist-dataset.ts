import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { readIdxOfShape, unpackIdx } from '../images/idx-reader.js';
import { readNpz, type ByteArrayNd } from '../images/npy-reader.js';
import { CANONICAL_SOURCES } from './canonical-sources.js';
import { ensureCachedFile, readIfPresent } from './cached-file.js';
import type { NumericDataset } from './dataset.js';
import type { ImageUse } from './dataset-spec.js';
import type { DownloadContext } from './download-context.js';
import { imageDataset, imageUse } from './image-dataset.js';
import { imageSampleDir, SAMPLE_ROWS } from './image-samples.js';

export const MNIST_FILE = 'mnist.npz';
const FULL_ROWS = { train: 60_000, test: 10_000 };
const SIDE = 28;
/** LeCun's four files of the MNIST database, in the order of mnist.npz's arrays; each may be gzip'd (name.gz), as his page serves them. */
export const MNIST_IDX_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** The cached file path of Keras' mnist.npz inside a data home. */
export function mnistPath(dataHome: string): string {
  return join(dataHome, 'mnist', MNIST_FILE);
}

function member(arrays: Map<string, ByteArrayNd>, name: string, what: string): ByteArrayNd {
  const array = arrays.get(name);
  if (!array) throw new DatasetError('PARSE_ERROR', `${what} has no array ${name} (it has ${[...arrays.keys()].join(', ') || 'none'})`);
  return array;
}

/**
 * LeCun's four IDX files in the data home's mnist folder (the arrays Keras' mnist.npz was made
 * of), when they are there: each must have its exact shape, as MNIST's page publishes no
 * checksum. Undefined when none of them is; an error naming the missing ones when only some are.
 * The hash is the sha256 of the lines `<sha256 of the unpacked file>  <name>`, so a gzip'd
 * and an unpacked copy give the same one.
 */
async function lecunDataset(dataHome: string, as: ImageUse): Promise<NumericDataset | undefined> {
  const folder = join(dataHome, 'mnist');
  const found = await Promise.all(
    MNIST_IDX_FILES.map(async (name) => {
      for (const file of [name, `${name}.gz`]) {
        const bytes = await readIfPresent(join(folder, file));
        if (bytes) return { name, bytes, path: join(folder, file) };
      }
      return undefined;
    }),
  );
  const missing = MNIST_IDX_FILES.filter((_, i) => !found[i]);
  if (missing.length === MNIST_IDX_FILES.length) return undefined;
  if (missing.length > 0) {
    throw new DatasetError('PARSE_ERROR', `${folder} holds some of LeCun's MNIST files but not ${missing.join(', ')} (each may be gzip'd, ending .gz)`);
  }
  const lines: string[] = [];
  const [trainImages, trainLabels, testImages, testLabels] = found.map((file, i) => {
    const { name, bytes, path } = file as NonNullable<typeof file>;
    const n = name.startsWith('train') ? FULL_ROWS.train : FULL_ROWS.test;
    const unpacked = unpackIdx(bytes, path);
    lines.push(`${sha256Hex(unpacked)}  ${name}\n`);
    return readIdxOfShape(unpacked, i % 2 === 0 ? [n, SIDE, SIDE] : [n], path);
  }) as [ByteArrayNd, ByteArrayNd, ByteArrayNd, ByteArrayNd];
  return imageDataset(
    {
      name: 'mnist',
      description: "MNIST handwritten digits (LeCun, Cortes, Burges) from LeCun's four IDX files: 60,000 training and 10,000 test 28x28 images, pixels 0..255.",
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
      pixelMax: 255,
      hash: sha256Hex(lines.join('')),
      source: folder,
    },
    { train: { images: trainImages, labels: trainLabels }, test: { images: testImages, labels: testLabels } },
    FULL_ROWS,
    as,
  );
}

/**
 * MNIST handwritten digits as keras.datasets.mnist.load_data() gives them: mnist.npz
 * (x_train, y_train, x_test, y_test, uint8), downloaded once and checked by sha256, unless
 * LeCun's four IDX files are in the same folder (they are then read instead, no download);
 * or the 6,000 + 1,000 image sample in this package, in mnist.npz's format.
 */
export async function mnistDataset(spec: { as?: ImageUse; sample?: boolean }, context: DownloadContext): Promise<NumericDataset> {
  const as = imageUse(spec.as, 'images');
  if (!spec.sample) {
    const lecun = await lecunDataset(context.dataHome, as);
    if (lecun) return lecun;
  }
  let bytes: Uint8Array;
  let what: string;
  if (spec.sample) {
    what = join(imageSampleDir('mnist'), MNIST_FILE);
    bytes = new Uint8Array(await readFile(what));
  } else {
    const source = context.source ?? CANONICAL_SOURCES.mnist;
    what = mnistPath(context.dataHome);
    bytes = await ensureCachedFile({
      dataset: 'mnist',
      path: what,
      source,
      expectedSha256: source.sha256,
      extract: (downloaded) => downloaded,
      fetch: context.fetch,
      onProgress: context.onProgress,
      placeHint: `Keras' ${MNIST_FILE}, from ${CANONICAL_SOURCES.mnist.url}; or LeCun's four IDX files, ${MNIST_IDX_FILES.join(', ')}, gzip'd or not, in the same folder`,
    });
  }
  const arrays = readNpz(bytes, what);
  return imageDataset(
    {
      name: 'mnist',
      description: spec.sample
        ? 'MNIST handwritten digits (LeCun, Cortes, Burges), the sample that ships with trainyard: 6,000 training and 1,000 test 28x28 images, pixels 0..255.'
        : 'MNIST handwritten digits (LeCun, Cortes, Burges) as Keras loads them: 60,000 training and 10,000 test 28x28 images, pixels 0..255.',
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
      pixelMax: 255,
      hash: sha256Hex(bytes),
      source: what,
    },
    {
      train: { images: member(arrays, 'x_train', what), labels: member(arrays, 'y_train', what) },
      test: { images: member(arrays, 'x_test', what), labels: member(arrays, 'y_test', what) },
    },
    spec.sample ? SAMPLE_ROWS : FULL_ROWS,
    as,
  );
}
