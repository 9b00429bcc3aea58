import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileSpec } from './compile-spec.js';
import { formatSummary } from './format-summary.js';
import { initBackend } from './init-backend.js';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { Network } from './network.js';
import { mulberry32 } from './testing/mulberry32.js';
import { TrainingError } from './training-error.js';

const classify: CompileSpec = { optimizer: { name: 'adam' }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };

/** The Keras examples' MNIST convnet (keras.io/examples/vision/mnist_convnet, with dense 128 as in the classic version). */
const MNIST_CONVNET: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
    { type: 'maxPooling2d' },
    { type: 'conv2d', filters: 64, kernelSize: [3, 3], activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 128, activation: 'relu' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

beforeAll(async () => {
  await initBackend('cpu');
});

function buildError(inputShape: number[], layers: LayerSpec[]): string {
  try {
    Network.build({ inputShape, layers }, classify, mulberry32(1)).dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).code).toBe('INVALID_SPEC');
    return (error as Error).message;
  }
  throw new Error('expected a TrainingError');
}

describe('image layers', () => {
  it("give the MNIST convnet Keras' shapes and parameter counts", () => {
    const network = Network.build(MNIST_CONVNET, classify, mulberry32(1));
    try {
      const summary = network.summary();
      expect(summary.layers).toEqual([
        { name: 'conv2d', className: 'Conv2D', outputShape: [null, 26, 26, 32], params: 320 },
        { name: 'max_pooling2d', className: 'MaxPooling2D', outputShape: [null, 13, 13, 32], params: 0 },
        { name: 'conv2d_1', className: 'Conv2D', outputShape: [null, 11, 11, 64], params: 18_496 },
        { name: 'max_pooling2d_1', className: 'MaxPooling2D', outputShape: [null, 5, 5, 64], params: 0 },
        { name: 'flatten', className: 'Flatten', outputShape: [null, 1600], params: 0 },
        { name: 'dense', className: 'Dense', outputShape: [null, 128], params: 204_928 },
        { name: 'dropout', className: 'Dropout', outputShape: [null, 128], params: 0 },
        { name: 'dense_1', className: 'Dense', outputShape: [null, 10], params: 1_290 },
      ]);
      expect(summary.totalParams).toBe(225_034);
      expect(formatSummary(summary)).toContain(' conv2d_1 (Conv2D)                (None, 11, 11, 64)        18,496');
      // x rows are flat (784 values) and reshaped to the input shape.
      expect(network.predict([Array.from({ length: 784 }, (_, i) => (i % 255) / 255)])[0]).toHaveLength(10);
      // A convolution's 4-D kernel is not listed among the dense weights.
      expect(network.weights().map((w) => w.layer)).toEqual(['dense', 'dense_1']);
    } finally {
      network.dispose();
    }
  });

  it('count strides, same padding, average and global pooling, batch normalization and reshape like Keras', () => {
    const network = Network.build(
      {
        inputShape: [64],
        layers: [
          { type: 'reshape', targetShape: [8, 8, 1] },
          { type: 'conv2d', filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', useBias: false },
          { type: 'batchNormalization' },
          { type: 'averagePooling2d', poolSize: [2, 1], strides: 1 },
          { type: 'randomFlip', mode: 'horizontal' },
          { type: 'globalAveragePooling2d' },
          { type: 'dense', units: 3, activation: 'softmax' },
        ],
      },
      classify,
      mulberry32(1),
    );
    try {
      expect(network.summary().layers.map(({ className, outputShape, params }) => [className, outputShape, params])).toEqual([
        ['Reshape', [null, 8, 8, 1], 0],
        ['Conv2D', [null, 4, 4, 4], 24],
        ['BatchNormalization', [null, 4, 4, 4], 16],
        ['AveragePooling2D', [null, 3, 4, 4], 0],
        ['RandomFlip', [null, 3, 4, 4], 0],
        ['GlobalAveragePooling2D', [null, 4], 0],
        ['Dense', [null, 3], 15],
      ]);
      expect(network.summary().layers[4]?.name).toBe('random_flip');
    } finally {
      network.dispose();
    }
  });

  it('refuse what cannot be built, naming the layer and what is wrong', () => {
    const pooled = [
      { type: 'conv2d', filters: 2, kernelSize: 3 },
      { type: 'maxPooling2d' },
      { type: 'maxPooling2d' },
      { type: 'maxPooling2d', poolSize: 3 },
      { type: 'flatten' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ] satisfies LayerSpec[];
    // 10 -> conv 8 -> 4 -> 2 -> a 3x3 window does not fit.
    expect(buildError([10, 10, 1], pooled)).toBe("layer 3 (maxPooling2d): input is 2x2, poolSize 3 does not fit (use a smaller window or padding 'same')");
    expect(buildError([64], [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }])).toMatch(
      /^layer 0 \(conv2d\): needs image input \(height, width, channels\), got \(64\); put a reshape layer first$/,
    );
    expect(buildError([64], [{ type: 'reshape', targetShape: [8, 8, 2] }, { type: 'flatten' }, { type: 'dense', units: 2 }])).toBe(
      'layer 0 (reshape): targetShape [8, 8, 2] holds 128 values, the input (64) has 64',
    );
    expect(buildError([4, 4, 1], [{ type: 'conv2d', filters: 0, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }])).toMatch(/^layer 0 \(conv2d\): filters/);
    expect(buildError([4, 4, 1], [{ type: 'conv2d', filters: 2, kernelSize: [3, 5] }, { type: 'flatten' }, { type: 'dense', units: 2 }])).toMatch(
      /^layer 0 \(conv2d\): input is 4x4, kernelSize 3x5 does not fit/,
    );
    expect(buildError([4, 4, 1], [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'dense', units: 2 }])).toMatch(/not flat; .*add a flatten layer/);
    expect(buildError([4], [{ type: 'randomTranslation', heightFactor: 0.1, widthFactor: 0.1 }, { type: 'dense', units: 2 }])).toMatch(
      /^layer 0 \(randomTranslation\): needs image input/,
    );
  });

  it('leave no tensors behind', () => {
    const before = tf.memory().numTensors;
    Network.build(MNIST_CONVNET, classify, mulberry32(1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
