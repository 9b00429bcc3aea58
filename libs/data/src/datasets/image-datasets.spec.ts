import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
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
