import { afterEach, describe, expect, it } from 'vitest';
import { DefinitionError } from '../definition/definition-error.js';
import { checkSubmission, DEFAULT_SERVER_LIMITS } from '../definition/server-policy.js';
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

function issuesOf(input: unknown, check?: Parameters<typeof expandSweep>[2]): Record<string, string> {
  try {
    expandSweep(input, 0, check);
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
    const big = issuesOf({ name: 'x', base, grid: { epochs: Array.from({ length: 100 }, (_, i) => i + 1), batchSize: Array.from({ length: 11 }, (_, i) => i + 1) } });
    expect(big.grid).toMatch(/makes 1100 runs; at most 1000/);
  });

  it('tells sweeps from definitions', () => {
    expect(isSweepInput({ name: 'x', base })).toBe(true);
    expect(isSweepInput(base)).toBe(false);
  });
});

describe('expandSweep field paths', () => {
  afterEach(() => {
    // Should a regression pollute the prototype, leave the other tests a clean one.
    for (const key of ['polluted', 'x']) delete (Object.prototype as Record<string, unknown>)[key];
  });

  // As the API receives it: JSON.parse makes `__proto__` an own key, not the prototype.
  const body = (extra: string) => JSON.parse(`{"name":"pp","base":${JSON.stringify(base)},${extra}}`) as unknown;

  it.each([
    ['grid', '"grid":{"__proto__.polluted":[1,2]}', 'grid.__proto__.polluted', '__proto__'],
    ['grid', '"grid":{"__proto__":[1,2]}', 'grid.__proto__', '__proto__'],
    ['grid', '"grid":{"__proto__.x":[1]}', 'grid.__proto__.x', '__proto__'],
    ['grid', '"grid":{"constructor.prototype.polluted":[1]}', 'grid.constructor.prototype.polluted', 'constructor'],
    ['grid', '"grid":{"optimizer.__proto__.polluted":[1]}', 'grid.optimizer.__proto__.polluted', '__proto__'],
    ['grid', '"grid":{"prototype":[1]}', 'grid.prototype', 'prototype'],
    ['random', '"random":{"trials":2,"params":{"__proto__.polluted":{"choice":[1,2]}}}', 'random.params.__proto__.polluted', '__proto__'],
    ['random', '"random":{"trials":2,"params":{"__proto__":{"choice":[1]}}}', 'random.params.__proto__', '__proto__'],
    ['random', '"random":{"trials":2,"params":{"constructor.prototype.polluted":{"int":[1,2]}}}', 'random.params.constructor.prototype.polluted', 'constructor'],
    ['random', '"random":{"trials":2,"params":{"model.layers[0].prototype":{"int":[1,2]}}}', 'random.params.model.layers[0].prototype', 'prototype'],
  ])('refuses a %s path through %s', (_kind, extra, path, key) => {
    const issues = issuesOf(body(extra as string));
    expect(issues[path as string]).toContain(`"${key as string}" is never a field`);
    expect(issues[path as string]).toMatch(/is not a field of a definition/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses paths the definition does not have, naming the field and showing real ones', () => {
    const issues = issuesOf({ name: 'x', base, grid: { 'optimizer.lr': [0.1], 'foo.bar': [1], 'model.layers.units': [2] }, random: { trials: 2, params: { batchSzie: { int: [1, 8] } } } });
    expect(issues['grid.optimizer.lr']).toMatch(/^is not a field of a definition: optimizer has no field "lr" \(fields look like optimizer\.learningRate, model\.layers\[0\]\.units/);
    expect(issues['grid.foo.bar']).toMatch(/a definition has no field "foo"/);
    expect(issues['grid.model.layers.units']).toMatch(/model\.layers is a list/);
    expect(issues['random.params.batchSzie']).toMatch(/a definition has no field "batchSzie"/);
  });

  it('still sets deep paths, creating what the base lacks', () => {
    const { trials } = expandSweep(
      {
        name: 'deep',
        base: { ...base, optimizer: { name: 'adam' } },
        grid: { 'optimizer.beta1': [0.8], 'earlyStopping.patience': [2], 'dataset.n': [50], 'split.test': [0.3], 'model.layers[0].units': [4], batchSize: [8] },
        random: { trials: 1, params: { 'model.layers[1].units': { choice: [1] }, 'model.layers[1].type': { choice: ['dense'] } } },
      },
      0,
    );
    expect(trials).toHaveLength(1);
    const definition = trials[0]?.definition;
    expect(definition?.optimizer).toMatchObject({ name: 'adam', beta1: 0.8 });
    expect(definition?.earlyStopping?.patience).toBe(2);
    expect(definition?.dataset).toEqual({ name: 'sum', n: 50 });
    expect(definition?.split.test).toBe(0.3);
    expect(definition?.batchSize).toBe(8);
    expect(definition?.model.layers.map((layer) => (layer.type === 'dense' ? layer.units : layer.type))).toEqual([4, 1]);
  });
});

describe('expandSweep size', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('refuses a 7 x 10 grid from its counts, before building the ten million combinations', () => {
    const grid = Object.fromEntries(
      ['epochs', 'batchSize', 'seed', 'dataset.n', 'earlyStopping.patience', 'model.layers[0].units', 'model.layers[1].units'].map((path) => [path, values(10)]),
    );
    expect(issuesOf({ name: 'big', base, grid })).toEqual({ grid: 'makes 10000000 runs; at most 1000 per submission' });
  });

  it('refuses a grid whose product no computer could build, without overflowing the count', () => {
    const grid = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`predict[0][${i}]`, values(1000)]));
    expect(issuesOf({ name: 'huge', base, grid }).grid).toMatch(/^makes more than \d+ runs; at most 1000 per submission$/);
  });

  it('counts random trials and repeats too', () => {
    const random = { trials: 1000, params: { 'optimizer.learningRate': { uniform: [0.001, 0.1] } } };
    expect(issuesOf({ name: 'r', base, random, repeats: 2 })).toEqual({ 'random.trials': 'makes 2000 runs; at most 1000 per submission' });
    expect(issuesOf({ name: 'g', base, grid: { epochs: values(20) }, random: { ...random, trials: 10 }, repeats: 6 }).grid).toBe(
      'makes 1200 runs; at most 1000 per submission',
    );
  });
});

describe('expandSweep text and extra checks', () => {
  it('refuses NUL and unpaired surrogates in the sweep name and description', () => {
    expect(issuesOf({ name: 'a\u0000b', base, repeats: 2 }).name).toMatch(/without NUL characters or unpaired surrogates/);
    expect(issuesOf({ name: 'ok', description: 'x\uD800', base, repeats: 2 }).description).toMatch(/unpaired surrogates/);
  });

  it("rejects the whole sweep when a trial fails the extra check, prefixing base. and naming the trial", () => {
    const limits = { ...DEFAULT_SERVER_LIMITS, maxParams: 100 };
    const twoLayers = { ...base, model: { layers: [{ type: 'dense', units: 1 }, { type: 'dense', units: 1 }] } };
    const issues = issuesOf({ name: 'wide', base: twoLayers, grid: { 'model.layers[0].units': [1, 200] } }, (definition) => checkSubmission(definition, limits));
    expect(Object.keys(issues)).toEqual(['base.model.layers (trial model.layers[0].units=200)']);
    expect(Object.values(issues)[0]).toMatch(/at most 100 \(TRAINYARD_MAX_PARAMS\)/);
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
