import { describe, expect, it } from 'vitest';
import { regressionMetrics } from './regression-metrics.js';

describe('regressionMetrics', () => {
  it('matches hand-computed values for one output', () => {
    // errors 0.5, 0, -1, 1.5 -> mae 0.75, mse 0.875; mean(y) = 2.5, SS_tot = 5, SS_res = 3.5
    const m = regressionMetrics([[1], [2], [3], [4]], [[0.5], [2], [4], [2.5]]);
    expect(m.mae).toBeCloseTo(0.75, 12);
    expect(m.mse).toBeCloseTo(0.875, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.875), 12);
    expect(m.r2).toBeCloseTo(1 - 3.5 / 5, 12);
  });

  it('averages over outputs like scikit-learn uniform_average', () => {
    // column 0 exact (r2 1, rmse 0); column 1 constant target predicted wrongly (r2 0 by force_finite), errors 1 and 3
    const m = regressionMetrics(
      [
        [1, 5],
        [2, 5],
      ],
      [
        [1, 4],
        [2, 8],
      ],
    );
    expect(m.mae).toBeCloseTo((0 + 2) / 2, 12);
    expect(m.mse).toBeCloseTo((0 + 5) / 2, 12);
    expect(m.rmse).toBeCloseTo((0 + Math.sqrt(5)) / 2, 12);
    expect(m.r2).toBeCloseTo(0.5, 12);
  });

  it('rejects mismatched shapes', () => {
    expect(() => regressionMetrics([[1]], [[1], [2]])).toThrow(/SHAPE|rows/);
    expect(() => regressionMetrics([[1, 2]], [[1]])).toThrow(/row 0/);
  });
});
