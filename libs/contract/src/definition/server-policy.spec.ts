import { describe, expect, it } from 'vitest';
import { parseDefinition } from './parse-definition.js';
import { checkSubmission, DEFAULT_SERVER_LIMITS, estimateTrainingMemory, runTimeLimitSeconds } from './server-policy.js';

const california = parseDefinition({
  name: 'california',
  dataset: { name: 'california_housing' },
  preprocessing: { features: 'minmax' },
  model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 12, activation: 'relu' }, { type: 'dense', units: 1 }] },
  optimizer: 'sgd',
  loss: 'mse',
  epochs: 20,
});

const pathsOf = (def: ReturnType<typeof parseDefinition>) => Object.fromEntries(checkSubmission(def, DEFAULT_SERVER_LIMITS).map((i) => [i.path, i.message]));

describe('checkSubmission', () => {
  it('accepts the notebook tasks', () => {
    expect(checkSubmission(california, DEFAULT_SERVER_LIMITS)).toEqual([]);
    expect(checkSubmission(parseDefinition({ name: 'm', dataset: { name: 'multiply' }, split: { test: 0 }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'sgd', loss: 'mse', epochs: 100 }), DEFAULT_SERVER_LIMITS)).toEqual([]);
  });

  it('counts parameters as Keras does (8-16-12-1: 361)', () => {
    expect(estimateTrainingMemory(california)?.params).toBe(361);
  });

  it('refuses a model and a batch that would take a worker down, with the estimate', () => {
    // The probe's definition: 31 dense layers of 4,096 units, adam, batchSize 65,536.
    const huge = parseDefinition({
      ...california,
      model: { layers: [...Array.from({ length: 31 }, () => ({ type: 'dense', units: 4096 })), { type: 'dense', units: 1 }] },
      optimizer: 'adam',
      batchSize: 65_536,
    });
    const issues = pathsOf(huge);
    expect(issues['model.layers']).toMatch(/the model has 503,480,321 parameters; this server allows at most 5,000,000 \(TRAINYARD_MAX_PARAMS\)/);
    expect(issues.batchSize).toMatch(/one training step needs about \d+ MiB .*activations of a batch of 65536 .*TRAINYARD_MAX_STEP_MB/);
    const wideBatch = parseDefinition({ ...california, model: { layers: [{ type: 'dense', units: 4096 }, { type: 'dense', units: 1 }] }, batchSize: 65_536 });
    expect(Object.keys(pathsOf(wideBatch))).toEqual(['batchSize']);
  });

  it('estimates convolutions and pooling from their output sizes: the MNIST convnet passes, a huge one is refused', () => {
    const mnistLayers = [
      { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu' },
      { type: 'maxPooling2d' },
      { type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
      { type: 'maxPooling2d' },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ];
    const mnist = parseDefinition({
      name: 'mnist-cnn',
      dataset: { name: 'mnist' },
      preprocessing: { features: 'pixels' },
      model: { layers: mnistLayers },
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      epochs: 6,
      batchSize: 128,
    });
    const estimate = estimateTrainingMemory(mnist);
    expect(estimate?.params).toBe(225_034);
    // Per image: 784 in, 2 x 26x26x32, 13x13x32, 2 x 11x11x64, 5x5x64, 1600, 2 x 128, 128, 2 x 10.
    const perImage = 784 + 2 * 21_632 + 5_408 + 2 * 7_744 + 1_600 + 1_600 + 256 + 128 + 20;
    expect(estimate?.activationBytes).toBe(128 * perImage * 4 * 2);
    expect(checkSubmission(mnist, DEFAULT_SERVER_LIMITS)).toEqual([]);

    expect(Object.keys(pathsOf(parseDefinition({ ...mnist, batchSize: 65_536 })))).toEqual(['batchSize']);
    const wide = parseDefinition({
      ...mnist,
      model: { layers: [{ type: 'conv2d', filters: 1024, kernelSize: 3, padding: 'same' }, { type: 'conv2d', filters: 1024, kernelSize: 3, padding: 'same' }, { type: 'globalAveragePooling2d' }, { type: 'dense', units: 10, activation: 'softmax' }] },
    });
    const issues = pathsOf(wide);
    // 10,240 + 9 x 1024 x 1024 + 1,024 + 10,250 parameters; 28 x 28 x 1024 values per image and layer, kept twice, for 128 images: gigabytes.
    expect(issues.batchSize).toMatch(/^one training step needs about \d+ MiB .*activations of a batch of 128 \d+ MiB\); this server allows 1024 MiB/);
    expect(issues['model.layers']).toMatch(/the model has 9,458,698 parameters/);
  });

  it('refuses a CSV path and a time limit above the server maximum', () => {
    const csv = parseDefinition({ ...california, dataset: { name: 'csv', path: '/etc/shadow', target: 'x' }, model: { layers: [{ type: 'dense', units: 1 }] } });
    expect(pathsOf(csv)['dataset.path']).toMatch(/cannot name a file.*trainyard dataset add/);
    const slow = parseDefinition({ ...california, timeLimitSeconds: DEFAULT_SERVER_LIMITS.maxRunSeconds + 1 });
    expect(pathsOf(slow).timeLimitSeconds).toBe(`must be <= ${DEFAULT_SERVER_LIMITS.maxRunSeconds} (this server's TRAINYARD_MAX_RUN_SECONDS)`);
  });

  it('gives a run the definition time limit, never above the server maximum', () => {
    expect(runTimeLimitSeconds({ timeLimitSeconds: 60 }, { maxRunSeconds: 3600 })).toBe(60);
    expect(runTimeLimitSeconds({ timeLimitSeconds: 7200 }, { maxRunSeconds: 3600 })).toBe(3600);
    expect(runTimeLimitSeconds({}, { maxRunSeconds: 3600 })).toBe(3600);
  });
});
