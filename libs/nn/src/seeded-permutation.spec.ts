import { describe, expect, it } from 'vitest';
import { seededPermutation } from './seeded-permutation.js';
import { mulberry32 } from './testing/mulberry32.js';

describe('seededPermutation', () => {
  it('is a permutation fixed by the seed', () => {
    const order = [...seededPermutation(50, mulberry32(1))];
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).toEqual([...seededPermutation(50, mulberry32(1))]);
    expect(order).not.toEqual([...seededPermutation(50, mulberry32(2))]);
    expect(order).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
