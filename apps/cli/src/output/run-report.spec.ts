import type { PreprocessorState } from '@trainyard/data/preprocessor-state';
import { describe, expect, it } from 'vitest';
import { denseActivations, describeStart, describeWeights, rawEquations } from './run-report.js';

// a, b in 1..9, min-max scaled: a_s = (a - 1) / 8; y = 2a - b = 16 a_s - 8 b_s + 1.
const sum: PreprocessorState = {
  version: 1,
  task: 'regression',
  featureNames: ['a', 'b'],
  targetNames: ['y'],
  features: { kind: 'minmax', min: [1, 1], max: [9, 9] },
  target: { kind: 'none' },
};

function topology(...layers: { class_name: string; activation?: string }[]): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: { name: 'm', layers: layers.map(({ class_name, activation }) => ({ class_name, config: { activation, units: 1 } })) },
  };
}

describe('denseActivations', () => {
  it('reads the activations of a Sequential topology', () => {
    expect(denseActivations(topology({ class_name: 'Dense', activation: 'relu' }, { class_name: 'Dense', activation: 'linear' }))).toEqual(['relu', 'linear']);
  });

  it('gives nothing when a layer is not dense or the topology is unreadable', () => {
    expect(denseActivations(topology({ class_name: 'Dense', activation: 'linear' }, { class_name: 'Dropout' }))).toBeUndefined();
    expect(denseActivations({})).toBeUndefined();
  });
});

describe('describeWeights', () => {
  it('labels the weights with the scaling and adds the equation on the raw inputs', () => {
    const lines = describeWeights([{ layer: 'dense_Dense1', kernel: [[16], [-8]], bias: [1] }], sum, ['linear']);
    expect(lines).toEqual([
      'Weights after training (on min-max scaled inputs):',
      '  dense_Dense1: kernel [[16],[-8]]  bias [1]',
      'Same model on the raw inputs (scaling undone):',
      '  y = 2 × a - 1 × b + 0',
    ]);
  });

  it('multiplies out a chain of linear layers', () => {
    // 2-2-1 network: h = [a_s, b_s] [[2, 0], [0, 4]] + [0, 0]; y = h [[8], [-2]] + [1]: y = 16 a_s - 8 b_s + 1.
    const lines = describeWeights(
      [
        { layer: 'dense_Dense1', kernel: [[2, 0], [0, 4]], bias: [0, 0] },
        { layer: 'dense_Dense2', kernel: [[8], [-2]], bias: [1] },
      ],
      sum,
      ['linear', 'linear'],
    );
    expect(lines.slice(-2)).toEqual(['Same model on the raw inputs (the linear layers multiplied out, scaling undone):', '  y = 2 × a - 1 × b + 0']);
  });

  it('shows only the labelled weights when an activation is not linear', () => {
    const lines = describeWeights([{ layer: 'dense_Dense1', kernel: [[16], [-8]], bias: [1] }], sum, ['relu']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Weights after training (on min-max scaled inputs):');
  });

  it('says when the weights are on the raw inputs already', () => {
    const state: PreprocessorState = { ...sum, featureNames: ['x'], features: { kind: 'none' } };
    const lines = describeWeights([{ layer: 'dense_Dense1', kernel: [[3]], bias: [0] }], state, ['linear']);
    expect(lines[0]).toBe('Weights after training (on the raw inputs):');
    expect(lines.slice(-2)).toEqual(['As an equation:', '  y = 3 × x + 0']);
  });
});

describe('rawEquations', () => {
  it('writes one signed equation per target', () => {
    expect(rawEquations({ kernel: [[-1.5, 2], [0.25, -3]], bias: [-0.5, 4] }, ['a', 'b'], ['y', 'z'])).toEqual([
      'y = -1.5 × a + 0.25 × b - 0.5',
      'z = 2 × a - 3 × b + 4',
    ]);
  });
});

describe('describeStart', () => {
  const start = (imageShape?: [number, number, number]) =>
    describeStart('m', {
      type: 'start',
      seed: 1,
      backend: { name: 'cpu', versions: {}, unavailable: [] },
      dataset: { name: 'mnist', task: 'classification', hash: 'a'.repeat(64), rows: 7_000, featureNames: [], targetNames: ['digit'], classNames: ['0', '1'], ...(imageShape ? { imageShape, pixelMax: 255 } : {}) },
      split: { train: 5_400, validation: 600, test: 1_000 },
      summary: { layers: [], totalParams: 0, trainableParams: 0, nonTrainableParams: 0 },
    });

  it('names an image dataset by its images and their shape, a table by rows and features', () => {
    expect(start([28, 28, 1])).toContain('Dataset mnist: 7,000 images of 28x28x1 -> 2 classes');
    expect(start()).toContain('Dataset mnist: 7,000 rows, 0 features -> 2 classes');
  });
});
