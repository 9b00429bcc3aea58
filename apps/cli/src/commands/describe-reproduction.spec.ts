import { describe, expect, it } from 'vitest';
import { describeReproduction } from './runs.command.js';

describe('describeReproduction', () => {
  it('says the rerun check in words, not as JSON', () => {
    expect(describeReproduction({ exact: true, epochs: 20 })).toBe('reproduced exactly: 20 epochs, every metric equal');
    expect(describeReproduction({ exact: false, maxAbsDiff: 0.00125, firstDivergentEpoch: 3, metric: 'loss' })).toBe(
      'not exact: first divergent epoch 3 (loss), largest difference 0.0013',
    );
    expect(describeReproduction({ exact: false, maxAbsDiff: 0, firstDivergentEpoch: 7, metric: null })).toMatch(/epoch 7 \(an epoch is missing\)/);
    expect(describeReproduction(null)).toBe('pending (the rerun has not finished)');
  });
});
