import { describe, expect, it } from 'vitest';
import { formatColumn, formatNumber } from './format.js';

describe('formatColumn', () => {
  it('gives a column one notation: scientific for all when one value is tiny', () => {
    expect(formatColumn([3.11e-4, 0.01491, null])).toEqual(['3.110e-4', '1.491e-2', '—']);
  });

  it('gives a fixed column one number of decimals, enough for the smallest value', () => {
    expect(formatColumn([0.3110, 0.01491, 12.5])).toEqual(['0.31100', '0.01491', '12.50000']);
  });

  it('never shows a value that is not whole as a whole number', () => {
    expect(formatColumn([0.99996, 0.95])).toEqual(['0.99996', '0.95000']);
    expect(formatColumn([1, 0.95])).toEqual(['1.0000', '0.9500']);
    expect(formatColumn([0.9999999999, 0.5])).toEqual(['0.9999999999', '0.50000000']);
  });

  it('keeps whole numbers whole and shows missing values as a dash', () => {
    expect(formatColumn([3, 12, undefined, Number.NaN])).toEqual(['3', '12', '—', '—']);
    expect(formatColumn([])).toEqual([]);
  });
});

describe('formatNumber', () => {
  it('keeps the zeros of a value rounded to a whole number, so it does not read as exact', () => {
    expect(formatNumber(0.99996)).toBe('1.000');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(0.01491)).toBe('0.01491');
  });
});
