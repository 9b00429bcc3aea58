import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../definition/definition-error.js';
import { expandSweep } from './expand-sweep.js';
import { isSweepInput } from './sweep.schema.js';

const base = {
  name: 'sum',
  seed: 10,
  dataset: { name: 'sum' },
  model: { layers: [{ type: 'dense', units: 1 }] },
  optimizer: { name: 'sgd', learningRate: 0.01 },
  loss: 'mse',
  epochs: 3,
};

function issuesOf(input: unknown): Record<string, string> {
  try {
    expandSweep(input, 0);
  } catch (error) {
    if (error instanceof DefinitionError) return Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
    throw error;
  }
  throw new Error('expected the sweep to be rejected');
}

describe('expandSweep', () => {
  it('takes every grid combination times the repeats, seeds base, base + 1, ...', () => {
    const { trials } = expandSweep(
      { name: 'lr', base, grid: { 'optimizer.learningRate': [0.01, 0.1], 'model.layers[0].units': [1] }, repeats: 2 },
      0,
    );
    expect(trials).toHaveLength(4);
    expect(trials.map((t) => [t.definition.optimizer.learningRate, t.definition.seed])).toEqual([
      [0.01, 10],
      [0.01, 11],
      [0.1, 10],
      [0.1, 11],
    ]);
    expect(trials[3]?.definition.name).toBe('lr optimizer.learningRate=0.1 model.layers[0].units=1 seed=11');
    expect(new Set(trials.map((t) => t.key)).size).toBe(4);
  });

  it('draws random trials from the sweep seed, the same on every expansion', () => {
    const sweep = { name: 'rnd', base, random: { params: { 'optimizer.learningRate': { logUniform: [0.001, 0.1] } }, trials: 5, seed: 3 } };
    const first = expandSweep(sweep, 0).trials.map((t) => t.definition.optimizer.learningRate);
    const second = expandSweep(sweep, 0).trials.map((t) => t.definition.optimizer.learningRate);
    expect(first).toHaveLength(5);
    expect(second).toEqual(first);
    for (const lr of first) expect(lr).toBeGreaterThanOrEqual(0.001);
    for (const lr of first) expect(lr).toBeLessThanOrEqual(0.1);
  });

  it('uses the given seed when the base has none', () => {
    const { seed: _seed, ...unseeded } = base;
    const { trials, baseSeed } = expandSweep({ name: 'rep', base: unseeded, repeats: 3 }, 77);
    expect(baseSeed).toBe(77);
    expect(trials.map((t) => t.definition.seed)).toEqual([77, 78, 79]);
  });

  it('rejects the whole sweep when one trial is invalid, naming the field and the trial', () => {
    const issues = issuesOf({ name: 'bad', base, grid: { 'optimizer.learningRate': [0.01, -1] } });
    expect(issues['base.optimizer.learningRate (trial optimizer.learningRate=-1)']).toBe('must be > 0');
  });

  it('rejects bad sweep fields and oversized sweeps', () => {
    expect(issuesOf({ name: 'x', base, grid: { 'not a path!': [1] } })['grid.not a path!']).toMatch(/must be a field path/);
    expect(issuesOf({ name: 'x', base })).toHaveProperty('grid');
    const big = issuesOf({ name: 'x', base, grid: { a: Array.from({ length: 100 }, (_, i) => i), b: Array.from({ length: 11 }, (_, i) => i) } });
    expect(big.grid).toMatch(/makes 1100 runs; at most 1000/);
  });

  it('tells sweeps from definitions', () => {
    expect(isSweepInput({ name: 'x', base })).toBe(true);
    expect(isSweepInput(base)).toBe(false);
  });
});

describe('the sweep examples', () => {
  it.each(['sweep-california-lr.json', 'sweep-sum-small.json'])('%s expands into 6 valid trials', async (file) => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL(`../../../../examples/${file}`, import.meta.url), 'utf8');
    const { trials } = expandSweep(JSON.parse(text), 0);
    expect(trials).toHaveLength(6);
  });
});
