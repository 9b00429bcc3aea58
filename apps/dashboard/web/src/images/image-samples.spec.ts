import { describe, expect, it } from 'vitest';
import { confusionPairs, imageSamples } from './image-samples.js';

const sample = (truth: string, predicted: string, value = 0) => ({ input: [value, value], truth, predicted });

describe('image samples', () => {
  const samples = [sample('1', '1', 1), sample('7', '1', 2), sample('3', '3', 3), sample('7', '1', 4), sample('8', '9', 5)];

  it('puts the misclassified first, each group in stored order', () => {
    expect(imageSamples(samples).map((s) => s.index)).toEqual([1, 3, 4, 0, 2]);
  });

  it("keeps only a cell's images when given one", () => {
    expect(imageSamples(samples, { truth: '7', predicted: '1' }).map((s) => s.row[0])).toEqual([2, 4]);
  });

  it('counts the mistakes by pair, most frequent first, leaving regression samples out', () => {
    expect(confusionPairs([...samples, { input: [0], truth: [1], predicted: [2] }])).toEqual([
      { truth: '7', predicted: '1', count: 2 },
      { truth: '8', predicted: '9', count: 1 },
    ]);
  });
});
