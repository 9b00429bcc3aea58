import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../hash/sha256-hex.js';
import { readIdxOfShape } from '../images/idx-reader.js';
import type { ByteArrayNd } from '../images/npy-reader.js';
import { CANONICAL_SOURCES } from './canonical-sources.js';
import { ensureCachedFile } from './cached-file.js';
import type { NumericDataset } from './dataset.js';
import type { ImageUse } from './dataset-spec.js';
import type { DownloadContext } from './download-context.js';
import { imageDataset, imageUse } from './image-dataset.js';
import { imageSampleDir, SAMPLE_ROWS } from './image-samples.js';

/** Keras' four files, in the order fashion_mnist.load_data() reads them. */
export const FASHION_MNIST_FILES = {
  trainLabels: 'train-labels-idx1-ubyte.gz',
  trainImages: 'train-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
} as const;
type FileKey = keyof typeof FASHION_MNIST_FILES;
type Rows = { train: number; test: number };

const FULL_ROWS: Rows = { train: 60_000, test: 10_000 };
const SIDE = 28;

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** The cached path of one of Keras' Fashion-MNIST files inside a data home. */
export function fashionMnistPath(dataHome: string, file: string): string {
  return join(dataHome, 'fashion_mnist', file);
}

/** A gzip'd IDX file of its exact shape: labels [n], images [n, 28, 28] (Keras publishes no checksum for them). */
function readIdxFile(bytes: Uint8Array, key: FileKey, rows: Rows, what: string): ByteArrayNd {
  const n = key.startsWith('train') ? rows.train : rows.test;
  return readIdxOfShape(bytes, key.endsWith('Images') ? [n, SIDE, SIDE] : [n], what);
}

async function sampleFile(key: FileKey): Promise<{ bytes: Uint8Array; path: string }> {
  const path = join(imageSampleDir('fashion_mnist'), FASHION_MNIST_FILES[key]);
  return { bytes: new Uint8Array(await readFile(path)), path };
}

async function fullFile(key: FileKey, context: DownloadContext): Promise<{ bytes: Uint8Array; path: string }> {
  const file = FASHION_MNIST_FILES[key];
  const folder = (context.source ?? CANONICAL_SOURCES.fashion_mnist).url;
  const path = fashionMnistPath(context.dataHome, file);
  const bytes = await ensureCachedFile({
    dataset: 'fashion_mnist',
    path,
    source: { url: `${folder}${file}` },
    expectedSha256: undefined,
    // Checked before it is cached, so a damaged download is never kept.
    extract: (downloaded) => {
      readIdxFile(downloaded, key, FULL_ROWS, `${folder}${file}`);
      return downloaded;
    },
    fetch: context.fetch,
    onProgress: context.onProgress,
    placeHint: `Keras' ${file}, from ${CANONICAL_SOURCES.fashion_mnist.url}${file}`,
  });
  return { bytes, path };
}

/**
 * Fashion-MNIST (Zalando) as keras.datasets.fashion_mnist.load_data() gives it: four gzip'd
 * IDX files, downloaded once; or the 6,000 + 1,000 image sample in this package, in the same
 * format. The hash is the sha256 of the lines `<sha256>  <file>` of the four files, in Keras' order.
 */
export async function fashionMnistDataset(spec: { as?: ImageUse; sample?: boolean }, context: DownloadContext): Promise<NumericDataset> {
  const as = imageUse(spec.as, 'images');
  const rows = spec.sample ? SAMPLE_ROWS : FULL_ROWS;
  const keys = Object.keys(FASHION_MNIST_FILES) as FileKey[];
  const arrays = new Map<FileKey, ByteArrayNd>();
  const lines: string[] = [];
  for (const key of keys) {
    const { bytes, path } = spec.sample ? await sampleFile(key) : await fullFile(key, context);
    arrays.set(key, readIdxFile(bytes, key, rows, path));
    lines.push(`${sha256Hex(bytes)}  ${FASHION_MNIST_FILES[key]}\n`);
  }
  const get = (key: FileKey): ByteArrayNd => arrays.get(key) as ByteArrayNd;
  return imageDataset(
    {
      name: 'fashion_mnist',
      description: spec.sample
        ? 'Fashion-MNIST (Zalando) article images, the sample that ships with trainyard: 6,000 training and 1,000 test 28x28 images, pixels 0..255.'
        : 'Fashion-MNIST (Zalando) article images as Keras loads them: 60,000 training and 10,000 test 28x28 images, pixels 0..255.',
      classNames: FASHION_MNIST_CLASSES,
      pixelMax: 255,
      hash: sha256Hex(lines.join('')),
      source: spec.sample ? imageSampleDir('fashion_mnist') : fashionMnistPath(context.dataHome, ''),
    },
    {
      train: { images: get('trainImages'), labels: get('trainLabels') },
      test: { images: get('testImages'), labels: get('testLabels') },
    },
    rows,
    as,
  );
}
