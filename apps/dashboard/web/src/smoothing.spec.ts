import { describe, expect, it } from 'vitest';
import { MAX_SMOOTHING, smoothCurve } from './smoothing.js';

describe('smoothCurve (TensorBoard-style debiased exponential moving average)', () => {
  it('with weight 0 returns the values as they are', () => {
    expect(smoothCurve([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });

  it('starts at the first value (debiased, not pulled towards 0) and then averages', () => {
    // w = 0.5: biased averages 0.5·4 = 2, 0.5·2 + 0.5·2 = 2; divided by 1 - 0.5 and 1 - 0.25.
    const [first, second] = smoothCurve([4, 2], 0.5);
    expect(first).toBe(4);
    expect(second).toBeCloseTo(2 / 0.75, 12);
  });

  it('follows the formula of TensorBoard for every point', () => {
    const values = [136, 40, 12, 3, 0.9, 0.2, 0.05, 0.01];
    const w = 0.6;
    let biased = 0;
    const expected = values.map((v, i) => {
      biased = biased * w + (1 - w) * v;
      return biased / (1 - w ** (i + 1));
    });
    const smoothed = smoothCurve(values, w);
    smoothed.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 10));
    // Smoothing lags a falling loss: every smoothed point after the first is above the raw one.
    smoothed.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(values[i + 1] ?? Infinity));
  });

  it('keeps a value that is not finite where it is, and leaves it out of the average', () => {
    const smoothed = smoothCurve([2, NaN, 2, Infinity, 4], 0.5);
    expect(smoothed[1]).toBeNaN();
    expect(smoothed[3]).toBe(Infinity);
    expect(smoothed[0]).toBe(2);
    expect(smoothed[2]).toBe(2);
    // Third finite value: biased 0.5·(0.5·(0.5·2) + 0.5·2) + 0.5·4 = 2.75, debiased by 1 - 0.125.
    expect(smoothed[4]).toBeCloseTo(2.75 / 0.875, 12);
  });

  it('returns a constant series unchanged, and an empty one empty', () => {
    expect(smoothCurve([0.1, 0.1, 0.1], 0.9)).toEqual([0.1, 0.1, 0.1]);
    expect(smoothCurve([], 0.9)).toEqual([]);
  });

  it('refuses a weight outside 0..0.99, naming the range', () => {
    expect(() => smoothCurve([1], 1)).toThrow(`smoothing weight must be a number from 0 to ${MAX_SMOOTHING}, got 1`);
    expect(() => smoothCurve([1], -0.1)).toThrow(/from 0 to 0.99/);
    expect(() => smoothCurve([1], NaN)).toThrow(/got NaN/);
  });
});
