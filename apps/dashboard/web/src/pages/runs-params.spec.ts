import { describe, expect, it } from 'vitest';
import { shortParamNames } from '@trainyard/contract';
import { compactName, shortReason } from './runs-params.js';

describe('the runs table parameter names', () => {
  it('names a parameter by the end of its path, and by the whole path where two end alike', () => {
    const names = shortParamNames(['optimizer.learningRate', 'model.layers[0].units', 'model.layers[1].units', 'batchSize']);
    expect(Object.fromEntries(names)).toEqual({
      'optimizer.learningRate': 'learningRate',
      'model.layers[0].units': 'model.layers[0].units',
      'model.layers[1].units': 'model.layers[1].units',
      batchSize: 'batchSize',
    });
  });
});

describe("a sweep trial's name", () => {
  it('names its parameters by their short names', () => {
    const short = shortParamNames(['optimizer.learningRate', 'model.layers[0].units']);
    const params = { 'optimizer.learningRate': 0.01, 'model.layers[0].units': 8 };
    expect(compactName('cal-lr optimizer.learningRate=0.01 model.layers[0].units=8 seed=2', params, short)).toBe('cal-lr learningRate=0.01 units=8 seed=2');
    expect(compactName('notebook-1-multiply', null, short)).toBe('notebook-1-multiply');
  });
});

describe("a failed run's reason", () => {
  it('is its message on one line, cut with an ellipsis', () => {
    expect(shortReason('epoch 2: training loss is NaN\n  (learning rate too high?)')).toBe('epoch 2: training loss is NaN (learning rate too high?)');
    const long = shortReason('x'.repeat(300));
    expect(long).toHaveLength(80);
    expect(long.endsWith('x…')).toBe(true);
  });
});
