import { describe, expect, it } from 'vitest';
import { factsOf } from './dataset-facts.js';
import { layerShapes } from './layer-shapes.js';
import { parseDefinition, safeParseDefinition } from './parse-definition.js';

/** The Keras examples' MNIST convnet (with dense 128, as the classic version). */
const MNIST_LAYERS = [
  { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
  { type: 'maxPooling2d' },
  { type: 'conv2d', filters: 64, kernelSize: [3, 3], activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 128, activation: 'relu' },
  { type: 'dropout', rate: 0.5 },
  { type: 'dense', units: 10, activation: 'softmax' },
];

const mnist = {
  name: 'mnist-cnn',
  dataset: { name: 'mnist' },
  preprocessing: { features: 'pixels' },
  split: { validation: 0.1 },
  model: { layers: MNIST_LAYERS },
  optimizer: 'adam',
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
  epochs: 6,
  batchSize: 128,
};

function issuesOf(input: Record<string, unknown>): Record<string, string> {
  const result = safeParseDefinition(input);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
}

const withLayers = (layers: unknown[], dataset: unknown = { name: 'mnist' }) => ({ ...mnist, dataset, model: { layers } });

describe('image layers in a definition', () => {
  it('parse with Keras defaults filled in', () => {
    const def = parseDefinition(
      withLayers([
        { type: 'randomFlip' },
        { type: 'randomTranslation', heightFactor: 0.1, widthFactor: 0.1 },
        { type: 'conv2d', filters: 8, kernelSize: [3, 5] },
        { type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' },
        { type: 'randomRotation', factor: 0.1 },
        { type: 'randomZoom', heightFactor: 0.2 },
        { type: 'batchNormalization' },
        { type: 'globalAveragePooling2d' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ]),
    );
    expect(def.model.layers.slice(4, 6)).toEqual([
      { type: 'randomRotation', factor: 0.1 },
      { type: 'randomZoom', heightFactor: 0.2 },
    ]);
    expect(def.model.layers.slice(0, 4)).toEqual([
      { type: 'randomFlip', mode: 'horizontal_and_vertical' },
      { type: 'randomTranslation', heightFactor: 0.1, widthFactor: 0.1 },
      { type: 'conv2d', filters: 8, kernelSize: [3, 5], strides: 1, padding: 'valid', activation: 'linear', useBias: true },
      { type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' },
    ]);
    expect(parseDefinition(mnist).model.layers[1]).toEqual({ type: 'maxPooling2d', poolSize: 2, padding: 'valid' });
  });

  it('refuse out-of-range options, naming the field and what is allowed', () => {
    const issues = issuesOf(
      withLayers([
        { type: 'conv2d', filters: 2000, kernelSize: [3], strides: 0, padding: 'full' },
        { type: 'reshape', targetShape: [1, 2, 3, 4] },
        { type: 'randomFlip', mode: 'diagonal' },
        { type: 'randomTranslation', heightFactor: 1.5, widthFactor: 0.1, fillMode: 'reflect' },
        { type: 'randomRotation', factor: -0.1, interpolation: 'bilinear' },
        { type: 'randomZoom', heightFactor: 0.2, widthFactor: 0.95, fillMode: 'wrap' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ]),
    );
    expect(issues).toEqual({
      'model.layers[0].filters': 'must be <= 1024',
      'model.layers[0].kernelSize': 'must have at least 2 items',
      'model.layers[0].strides': 'must be >= 1',
      'model.layers[0].padding': 'must be one of "valid", "same"',
      'model.layers[1].targetShape': 'must have at most 3 items',
      'model.layers[2].mode': 'must be one of "horizontal", "vertical", "horizontal_and_vertical"',
      'model.layers[3].heightFactor': 'must be <= 1',
      'model.layers[3].fillMode': 'must be one of "constant"',
      'model.layers[4].factor': 'must be >= 0',
      'model.layers[4].interpolation': 'unknown field',
      'model.layers[5].widthFactor': 'must be <= 0.9',
      'model.layers[5].fillMode': 'must be one of "constant"',
    });
  });

  it('accept the MNIST convnet and compute its shapes as Keras does', () => {
    const def = parseDefinition(mnist);
    const shapes = layerShapes(def.model.layers, [28, 28, 1]);
    expect(shapes.ok && shapes.layers.map(({ shape, params }) => [shape, params])).toEqual([
      [[26, 26, 32], 320],
      [[13, 13, 32], 0],
      [[11, 11, 64], 18_496],
      [[5, 5, 64], 0],
      [[1600], 0],
      [[128], 204_928],
      [[128], 0],
      [[10], 1_290],
    ]);
  });

  it('refuse an image layer on flat features, saying how to get images', () => {
    const onDigits = issuesOf(withLayers(MNIST_LAYERS, { name: 'digits' }));
    expect(onDigits['model.layers[0]']).toBe(
      "conv2d needs image input (height, width, channels); digits gives 64 features: set dataset.as to 'images', or put a reshape layer first",
    );
    expect(issuesOf(withLayers(MNIST_LAYERS, { name: 'mnist', as: 'features' }))['model.layers[0]']).toMatch(/mnist gives 784 features: set dataset.as to 'images'/);
    const afterDense = issuesOf(withLayers([{ type: 'flatten' }, { type: 'maxPooling2d' }, { type: 'dense', units: 10, activation: 'softmax' }]));
    expect(afterDense['model.layers[1]']).toBe(
      'maxPooling2d needs image input (height, width, channels); layer 0 (flatten) gives (784): put a reshape layer before it',
    );
    const iris = { ...withLayers([{ type: 'conv2d', filters: 2, kernelSize: 1 }, { type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }], { name: 'iris' }) };
    expect(issuesOf(iris)['model.layers[0]']).toMatch(/iris gives 4 features: put a reshape layer first$/);
    // A reshape makes images of features.
    expect(() =>
      parseDefinition(withLayers([{ type: 'reshape', targetShape: [8, 8, 1] }, { type: 'conv2d', filters: 4, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }], { name: 'digits' })),
    ).not.toThrow();
    expect(() => parseDefinition(withLayers(MNIST_LAYERS, { name: 'digits', as: 'images' }))).toThrow(/poolSize 2 does not fit/);
  });

  it('refuse a window that does not fit, a reshape that does not add up and an output that is not flat, naming the layer', () => {
    const conv = { type: 'conv2d', filters: 8, kernelSize: 3 };
    const pool = { type: 'maxPooling2d' };
    // 28 -> 26 -> 13 -> 11 -> 5 -> 3 -> 1: a third 2x2 pooling does not fit.
    const deep = [conv, pool, conv, pool, conv, pool, pool, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }];
    expect(issuesOf(withLayers(deep))).toEqual({
      'model.layers[6].poolSize': "maxPooling2d input is 1x1, poolSize 2 does not fit: use a smaller poolSize or padding 'same'",
    });
    expect(issuesOf(withLayers([{ ...conv, kernelSize: [3, 29] }, ...deep.slice(-2)]))).toEqual({
      'model.layers[0].kernelSize': "conv2d input is 28x28, kernelSize 3x29 does not fit: use a smaller kernelSize or padding 'same'",
    });
    // 'same' padding keeps 28 -> 14 -> 7 -> 4 -> 2 -> 1 -> 1.
    const same = deep.map((layer) => (layer.type === 'maxPooling2d' || layer.type === 'conv2d' ? { ...layer, padding: 'same' } : layer));
    expect(() => parseDefinition(withLayers(same))).not.toThrow();
    expect(issuesOf(withLayers([{ type: 'reshape', targetShape: [28, 14] }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }]))).toEqual({
      'model.layers[0].targetShape': '[28, 14] holds 392 values; its input (28, 28, 1) has 784',
    });
    expect(issuesOf(withLayers([conv, { type: 'dense', units: 10, activation: 'softmax' }]))).toEqual({
      'model.layers[1]': 'outputs (26, 26, 10) per sample, not one row: put a flatten or globalAveragePooling2d layer before it',
    });
    expect(issuesOf(withLayers([conv, { type: 'globalAveragePooling2d' }, { type: 'dense', units: 3, activation: 'softmax' }]))).toEqual({
      'model.layers[2].units': 'must be 10, one per class of the dataset',
    });
  });
});

describe('image datasets in a definition', () => {
  it('have the facts the checks need', () => {
    expect(factsOf({ name: 'digits' })).toEqual({ task: 'classification', features: 64, targets: 1, classes: 10, rows: 1_797, pixelMax: 16 });
    expect(factsOf({ name: 'digits', as: 'images' }).imageShape).toEqual([8, 8, 1]);
    expect(factsOf({ name: 'mnist' })).toEqual({
      task: 'classification',
      features: 784,
      targets: 1,
      classes: 10,
      rows: 70_000,
      testRows: 10_000,
      pixelMax: 255,
      imageShape: [28, 28, 1],
    });
    expect(factsOf({ name: 'fashion_mnist', sample: true, as: 'features' })).toMatchObject({ rows: 7_000, testRows: 1_000, features: 784 });
    expect(factsOf({ name: 'fashion_mnist', sample: true, as: 'features' }).imageShape).toBeUndefined();
  });

  it('parse as, sample and pixels, and refuse what they do not allow', () => {
    const def = parseDefinition({ ...mnist, dataset: { name: 'fashion_mnist', sample: true, as: 'images' } });
    expect(def.dataset).toEqual({ name: 'fashion_mnist', sample: true, as: 'images' });
    expect(def.preprocessing.features).toBe('pixels');
    // Left out, `as` stays out: a digits definition written before images keeps its meaning (and hash).
    expect(parseDefinition({ ...mnist, dataset: { name: 'digits' }, model: { layers: [{ type: 'dense', units: 10, activation: 'softmax' }] } }).dataset).toEqual({ name: 'digits' });
    expect(issuesOf({ ...mnist, dataset: { name: 'digits', as: 'pictures' } })['dataset.as']).toBe('must be one of "features", "images"');
    expect(issuesOf({ ...mnist, dataset: { name: 'mnist', sample: 'yes' } })['dataset.sample']).toBe('must be boolean, got string');
    const iris = { ...mnist, dataset: { name: 'iris' }, model: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] } };
    expect(issuesOf(iris)).toEqual({
      'preprocessing.features': '"pixels" divides by an image dataset\'s pixel maximum (digits, mnist, fashion_mnist); iris has none: use minmax or standard',
    });
    expect(issuesOf({ ...mnist, preprocessing: { target: 'pixels' } })['preprocessing.target']).toMatch(/^must be one of "none", "minmax", "standard"$/);
  });

  it('keep the official test set of mnist and fashion_mnist, the split taking validation from the training part', () => {
    expect(issuesOf({ ...mnist, split: { test: 0.1 } })).toEqual({
      'split.test': 'mnist has its own test set of 10,000 images (1,000 in the sample); leave split.test out',
    });
    expect(issuesOf({ ...mnist, dataset: { name: 'fashion_mnist', sample: true }, split: { test: 500 } })['split.test']).toMatch(/^fashion_mnist has its own test set/);
    // 6,000 training images in the sample: a validation part of 5,999 leaves one, of 6,000 none.
    const sample = { ...mnist, dataset: { name: 'mnist', sample: true } };
    expect(() => parseDefinition({ ...sample, split: { validation: 5_999 } })).not.toThrow();
    expect(issuesOf({ ...sample, split: { validation: 6_000 } })).toEqual({ split: 'split leaves no training rows: 6000 rows, 0 for test, 6000 for validation' });
    expect(issuesOf({ ...sample, split: { validation: 6_001 } })).toEqual({ 'split.validation': 'asks for 6001 rows but only 6000 are available' });
  });
});
