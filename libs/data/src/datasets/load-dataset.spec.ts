import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { makeTempDir, seedDataHome } from '../testing/index.js';
import { DATASET_NAMES, type DatasetSpec, type LoadDatasetOptions } from './dataset-spec.js';
import { datasetLoadKey, loadDataset } from './load-dataset.js';

const noNetwork: typeof fetch = () => Promise.reject(new Error('the network must not be used by this test'));

describe('loadDataset from a seeded data home', () => {
  let options: LoadDatasetOptions;
  beforeAll(async () => {
    options = { dataHome: await seedDataHome(await makeTempDir('trainyard-data-home-')), seed: 42, fetch: noNetwork };
  });
  afterAll(() => rm(options.dataHome, { recursive: true, force: true }));

  it('multiply: seven points on y = 3x at x = -2..4', async () => {
    const data = await loadDataset({ name: 'multiply' }, options);
    expect(data.x).toEqual([[-2], [-1], [0], [1], [2], [3], [4]]);
    expect(data.y).toEqual([[-6], [-3], [0], [3], [6], [9], [12]]);
    expect(data.task).toBe('regression');
    expect(data.hash).toBe(sha256Hex(JSON.stringify({ x: data.x, y: data.y })));
  });

  it('sum: seeded pairs of digits 1..9 with their sum', async () => {
    const data = await loadDataset({ name: 'sum' }, options);
    expect(data.x).toHaveLength(50);
    expect(data.featureNames).toEqual(['a', 'b']);
    expect(data.targetNames).toEqual(['sum']);
    const pairs = data.x.map((row) => Array.from(row));
    expect(pairs.flat().every((v) => Number.isInteger(v) && v >= 1 && v <= 9)).toBe(true);
    expect(new Set(pairs.flat()).size).toBe(9);
    pairs.forEach(([a, b], i) => expect(data.y[i]).toEqual([(a ?? 0) + (b ?? 0)]));
    expect(await loadDataset({ name: 'sum' }, options)).toEqual(data);
    const other = await loadDataset({ name: 'sum' }, { ...options, seed: 43 });
    expect(other.x).not.toEqual(data.x);
    expect(other.hash).not.toBe(data.hash);
    expect((await loadDataset({ name: 'sum', n: 7 }, options)).x).toHaveLength(7);
    await expect(loadDataset({ name: 'sum', n: 0 }, options)).rejects.toMatchObject({ code: 'INVALID_SPEC' });
  });

  it('california_housing: scikit-learn layout and values', async () => {
    const data = await loadDataset({ name: 'california_housing' }, options);
    expect(data.x).toHaveLength(20_640);
    expect(data.featureNames).toEqual([
      'MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude',
    ]);
    expect(data.targetNames).toEqual(['MedHouseVal']);
    expect(data.featureShape).toEqual([8]);
    const expected = [8.3252, 41, 6.984127, 1.0238095, 322, 2.5555556, 37.88, -122.23];
    Array.from(data.x[0] ?? []).forEach((v, i) => expect(Math.abs(v - (expected[i] ?? Number.NaN))).toBeLessThan(1e-6));
    expect(data.y[0]?.[0]).toBeCloseTo(4.526, 10);
    const meanTarget = data.y.reduce((sum, [v]) => sum + (v ?? 0), 0) / data.y.length;
    expect(meanTarget).toBeCloseTo(2.068558, 6);
    expect(data.hash).toBe('d3d8a1a722ae78f91134862727d27a70b1415e7d512a89140406248687f4b902');
  });

  it('iris: 150 flowers, 3 species', async () => {
    const data = await loadDataset({ name: 'iris' }, options);
    expect(data.x).toHaveLength(150);
    expect(data.task).toBe('classification');
    expect(data.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(data.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(data.x[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    for (const c of [0, 1, 2]) expect(data.y.filter(([v]) => v === c)).toHaveLength(50);
  });

  it('digits: 1,797 raw 8x8 images with labels 0..9, 64 features unless read as images', async () => {
    const data = await loadDataset({ name: 'digits' }, options);
    expect(data.x).toHaveLength(1797);
    expect(data.featureShape).toEqual([64]);
    expect(data.featureNames).toHaveLength(64);
    expect(data.featureNames[0]).toBe('pixel_0_0');
    expect(data.featureNames[9]).toBe('pixel_1_1');
    expect(data.featureNames[63]).toBe('pixel_7_7');
    expect(data.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(data.y[0]).toEqual([0]);
    expect(new Set(data.y.map(([v]) => v)).size).toBe(10);
    const pixels = data.x.flatMap((row) => Array.from(row));
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(16);
    expect(data.x.every((row) => row.length === 64)).toBe(true);
    expect(data.hash).toBe('85f89a0333cbbcf5b1a42f3d4d74013ee35f5e44dbeb5f9b54f78ce5b4f94910');
  });

  it('knows every advertised name and rejects unknown ones', async () => {
    expect(DATASET_NAMES).toEqual(['multiply', 'sum', 'california_housing', 'iris', 'digits', 'mnist', 'fashion_mnist', 'csv']);
    const unknown = loadDataset({ name: 'cifar10' } as unknown as DatasetSpec, options);
    await expect(unknown).rejects.toBeInstanceOf(DatasetError);
    await expect(unknown).rejects.toMatchObject({ code: 'INVALID_SPEC', message: expect.stringMatching(/cifar10.*iris/) });
  });
});

describe('datasetLoadKey', () => {
  it('tells loads that give the same dataset: the seed counts for sum only, the columns always', () => {
    expect(datasetLoadKey({ name: 'iris' }, { seed: 1 })).toBe(datasetLoadKey({ name: 'iris' }, { seed: 2 }));
    expect(datasetLoadKey({ name: 'sum', n: 50 }, { seed: 1 })).not.toBe(datasetLoadKey({ name: 'sum', n: 50 }, { seed: 2 }));
    expect(datasetLoadKey({ name: 'sum', n: 50 }, { seed: 1 })).not.toBe(datasetLoadKey({ name: 'sum', n: 60 }, { seed: 1 }));
    const homes: DatasetSpec = { name: 'homes', version: 1, target: 'price' };
    expect(datasetLoadKey(homes, { seed: 1 })).not.toBe(datasetLoadKey(homes, { seed: 1, columns: { city: { type: 'category' } } }));
  });
});
