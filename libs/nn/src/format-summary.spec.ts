import { describe, expect, it } from 'vitest';
import { formatSummary } from './format-summary.js';

describe('formatSummary', () => {
  it('prints a Keras-style table', () => {
    const text = formatSummary(
      {
        layers: [
          { name: 'dense', className: 'Dense', outputShape: [null, 16], params: 144 },
          { name: 'batch_normalization', className: 'BatchNormalization', outputShape: [null, 16], params: 64 },
          { name: 'dense_1', className: 'Dense', outputShape: [null, 1], params: 1017 },
        ],
        totalParams: 1225,
        trainableParams: 1193,
        nonTrainableParams: 32,
      },
      'housing',
    );
    expect(text).toBe(
      [
        'Model: "housing"',
        '_'.repeat(69),
        ' Layer (type)                     Output Shape              Param #',
        '='.repeat(69),
        ' dense (Dense)                    (None, 16)                144',
        '_'.repeat(69),
        ' batch_normalization (BatchNormalization)  (None, 16)                64',
        '_'.repeat(69),
        ' dense_1 (Dense)                  (None, 1)                 1,017',
        '='.repeat(69),
        'Total params: 1,225',
        'Trainable params: 1,193',
        'Non-trainable params: 32',
        '_'.repeat(69),
      ].join('\n'),
    );
  });
});
