import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { readNpz, type ByteArrayNd } from '../images/npy-reader.js';
import { CANONICAL_SOURCES } from './canonical-sources.js';
import { ensureCachedFile } from './cached-file.js';
import type { NumericDataset } from './dataset.js';
import type { ImageUse } from './dataset-spec.js';
import type { DownloadContext } from './download-context.js';
import { imageDataset, imageUse } from './image-dataset.js';
import { imageSampleDir, SAMPLE_ROWS } from './image-samples.js';

export const MNIST_FILE = 'mnist.npz';
const FULL_ROWS = { train: 60_000, test: 10_000 };

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
 * MNIST handwritten digits as keras.datasets.mnist.load_data() gives them: mnist.npz
 * (x_train, y_train, x_test, y_test, uint8), downloaded once and checked by sha256; or the
 * 6,000 + 1,000 image sample in this package, in the same format.
 */
export async function mnistDataset(spec: { as?: ImageUse; sample?: boolean }, context: DownloadContext): Promise<NumericDataset> {
  const as = imageUse(spec.as, 'images');
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
      placeHint: `Keras' ${MNIST_FILE}, from ${CANONICAL_SOURCES.mnist.url}`,
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
