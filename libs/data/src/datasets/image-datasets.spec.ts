import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { writeIdx } from '../images/image-writers.js';
import type { ByteArrayNd } from '../images/npy-reader.js';
import { makeTempDir, seedDataHome } from '../testing/index.js';
import { loadDataset } from './load-dataset.js';

/** A fetch that fails like a machine without network access. */
const offline: typeof fetch = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }));

async function errorOf(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

function perClass(labels: number[][]): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const [label] of labels) counts[label ?? 0] = (counts[label ?? 0] ?? 0) + 1;
  return counts;
}

describe('image datasets', () => {
  it.each(['mnist', 'fashion_mnist'] as const)('%s sample: 6,000 training then 1,000 test 28x28x1 images, 600 and 100 per class', async (name) => {
    const data = await loadDataset({ name, sample: true }, { dataHome: await makeTempDir('images-'), seed: 1, fetch: offline });
    expect(data.x).toHaveLength(7_000);
    expect(data.testRows).toBe(1_000);
    expect(data.featureShape).toEqual([28, 28, 1]);
    expect(data.pixelMax).toBe(255);
    expect(data.featureNames).toHaveLength(784);
    expect(data.featureNames.slice(0, 2)).toEqual(['pixel_0_0', 'pixel_0_1']);
    expect(data.classNames).toHaveLength(10);
    expect(data.x.every((row) => row.length === 784 && Array.from(row).every((v) => Number.isInteger(v) && v >= 0 && v <= 255))).toBe(true);
    expect(perClass(data.y.slice(0, 6_000))).toEqual(new Array(10).fill(600));
    expect(perClass(data.y.slice(6_000))).toEqual(new Array(10).fill(100));
    expect(data.x.some((row) => Array.from(row).includes(255))).toBe(true);
    // The file's bytes, not arrays of numbers: one byte per pixel, rows as views.
    expect(data.x.every((row) => row instanceof Uint8Array)).toBe(true);
    expect(data.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads an image dataset as flat features on request, and digits as 8x8x1 images', async () => {
    const dataHome = await seedDataHome(await makeTempDir('images-'));
    const flat = await loadDataset({ name: 'mnist', sample: true, as: 'features' }, { dataHome, seed: 1 });
    expect(flat.featureShape).toEqual([784]);
    const digits = await loadDataset({ name: 'digits', as: 'images' }, { dataHome, seed: 1 });
    expect(digits.featureShape).toEqual([8, 8, 1]);
    expect(digits.pixelMax).toBe(16);
    const plain = await loadDataset({ name: 'digits' }, { dataHome, seed: 1 });
    expect(plain.featureShape).toEqual([64]);
    expect(plain.hash).toBe(digits.hash);
    expect(plain.testRows).toBeUndefined();
    await expect(loadDataset({ name: 'digits', as: 'pictures' } as never, { dataHome, seed: 1 })).rejects.toThrow(/dataset\.as must be 'images' or 'features', got "pictures"/);
  });

  it('offline, without the full file, says which file to place where (not worth a retry)', async () => {
    const dataHome = await makeTempDir('images-');
    const mnist = await errorOf(loadDataset({ name: 'mnist' }, { dataHome, seed: 1, fetch: offline }));
    expect(mnist.code).toBe('DOWNLOAD_FAILED');
    expect(mnist.transient).toBe(false);
    expect(mnist.message).toContain('https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz');
    expect(mnist.message).toContain(`place the file in the cache folder by hand: ${dataHome}/mnist/mnist.npz (Keras' mnist.npz`);
    const fashion = await errorOf(loadDataset({ name: 'fashion_mnist', as: 'features' }, { dataHome, seed: 1, fetch: offline }));
    expect(fashion.code).toBe('DOWNLOAD_FAILED');
    expect(fashion.message).toContain(`${dataHome}/fashion_mnist/train-labels-idx1-ubyte.gz (Keras' train-labels-idx1-ubyte.gz`);
  });

  it("mnist: LeCun's four IDX files in the data home are read instead of mnist.npz, gzip'd or not, with no download", async () => {
    // Full-size arrays (the loader checks the exact shapes): blank images but a marked first pixel, labels 0..9 in turn.
    const part = (n: number): [ByteArrayNd, ByteArrayNd] => {
      const images = new Uint8Array(n * 784);
      for (let i = 0; i < n; i++) images[i * 784] = i % 256;
      return [{ shape: [n, 28, 28], data: images }, { shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) }];
    };
    const arrays = [...part(60_000), ...part(10_000)];
    const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
    const place = async (dataHome: string, gzip: (i: number) => boolean, skip?: number): Promise<void> => {
      await mkdir(join(dataHome, 'mnist'), { recursive: true });
      for (const [i, array] of arrays.entries()) {
        if (i !== skip) await writeFile(join(dataHome, 'mnist', `${names[i]}${gzip(i) ? '.gz' : ''}`), writeIdx(array, { gzip: gzip(i) }));
      }
    };
    const mixed = await makeTempDir('images-');
    await place(mixed, (i) => i % 2 === 0);
    const data = await loadDataset({ name: 'mnist' }, { dataHome: mixed, seed: 1, fetch: offline });
    expect(data.x).toHaveLength(70_000);
    expect(data.testRows).toBe(10_000);
    expect(data.featureShape).toEqual([28, 28, 1]);
    expect([data.x[61]?.[0], data.y[61], data.x[60_001]?.[0], data.y[60_001]]).toEqual([61, [1], 1, [1]]);
    const gzipped = await makeTempDir('images-');
    await place(gzipped, () => true);
    expect((await loadDataset({ name: 'mnist' }, { dataHome: gzipped, seed: 1, fetch: offline })).hash).toBe(data.hash);

    const some = await makeTempDir('images-');
    await place(some, () => false, 3);
    const missing = await errorOf(loadDataset({ name: 'mnist' }, { dataHome: some, seed: 1, fetch: offline }));
    expect(missing.message).toBe(`${some}/mnist holds some of LeCun's MNIST files but not t10k-labels-idx1-ubyte (each may be gzip'd, ending .gz)`);
    await writeFile(join(some, 'mnist', 't10k-labels-idx1-ubyte'), writeIdx({ shape: [9_999], data: new Uint8Array(9_999) }));
    const shape = await errorOf(loadDataset({ name: 'mnist' }, { dataHome: some, seed: 1, fetch: offline }));
    expect(shape.message).toBe(`${some}/mnist/t10k-labels-idx1-ubyte holds an array of shape [9999], expected [10000]`);
  });

  it('does not cache a download that is not the file Keras reads', async () => {
    const dataHome = await makeTempDir('images-');
    const served: typeof fetch = () => Promise.resolve(new Response(new Uint8Array([0x1f, 0x8b, 1, 2])));
    const error = await errorOf(loadDataset({ name: 'fashion_mnist' }, { dataHome, seed: 1, fetch: served }));
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toMatch(/train-labels-idx1-ubyte\.gz: archive is not valid gzip/);
    const wrong = await errorOf(loadDataset({ name: 'mnist' }, { dataHome, seed: 1, fetch: served }));
    expect(wrong.code).toBe('CHECKSUM_MISMATCH');
  });
});
