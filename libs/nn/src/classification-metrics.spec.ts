import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';

describe('classificationMetrics', () => {
  it('matches hand-computed values, 0 where scikit-learn divides by zero', () => {
    // class 0: tp 2, fp 1, fn 0; class 1: tp 1, fp 0, fn 2; class 2: never true, never predicted... except once predicted
    const m = classificationMetrics([0, 0, 1, 1, 1, 3], [0, 0, 1, 0, 2, 3], 5);
    expect(m.confusionMatrix).toEqual([
      [2, 0, 0, 0, 0],
      [1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.perClass[0]).toEqual({ precision: 2 / 3, recall: 1, f1: expect.closeTo(0.8, 12), support: 2 });
    expect(m.perClass[1]).toEqual({ precision: 1, recall: 1 / 3, f1: expect.closeTo(0.5, 12), support: 3 });
    expect(m.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass[3]).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(m.perClass[4]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 0 + 1 + 0) / 5, 12);
  });

  it('gives 0, not NaN, for no samples and rejects labels outside the classes', () => {
    expect(classificationMetrics([], [], 2)).toMatchObject({ accuracy: 0, macroF1: 0 });
    expect(() => classificationMetrics([0, 2], [0, 1], 2)).toThrow(/label 2/);
  });
});
