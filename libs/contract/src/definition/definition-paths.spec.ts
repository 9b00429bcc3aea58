import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definitionPathProblem, parseFieldPath } from './definition-paths.js';

describe('definitionPathProblem', () => {
  it.each([
    'optimizer.learningRate',
    'optimizer.beta1', // adam only: a union accepts a key any option has
    'optimizer.initialAccumulatorValue',
    'optimizer',
    'model.layers[0].units',
    'model.layers[31].rate',
    'model.layers[2]',
    'batchSize',
    'seed',
    'epochs',
    'dataset.n',
    'dataset.name',
    'split.test',
    'preprocessing.features',
    'earlyStopping.patience',
    'metrics[0]',
    'predict[0][1]',
  ])('accepts %s, a field of the definition schema', (path) => {
    expect(definitionPathProblem(path)).toBeUndefined();
  });

  it.each([
    ['__proto__', '"__proto__" is never a field'],
    ['__proto__.polluted', '"__proto__" is never a field'],
    ['constructor.prototype.polluted', '"constructor" is never a field'],
    ['optimizer.constructor', '"constructor" is never a field'],
    ['model.layers[0].prototype', '"prototype" is never a field'],
    ['foo', 'a definition has no field "foo"'],
    ['optimizer.lr', 'optimizer has no field "lr"'],
    ['model.layers.units', 'model.layers is a list: name an item, such as model.layers[0]'],
    ['model[0]', 'model is an object, not a list'],
    ['model.layers[32].units', 'model.layers has at most 32 items'],
    ['batchSize.value', 'batchSize is a single value (number), it has no fields'],
    ['split.test.x', 'split.test is a single value (number), it has no fields'],
    ['predict[0][100000000000]', 'predict[0] has at most 1000 items'],
  ])('refuses %s: %s', (path, why) => {
    const problem = definitionPathProblem(path);
    expect(problem).toContain(why);
    expect(problem).toMatch(/^is not a field of a definition: .*optimizer\.learningRate, model\.layers\[0\]\.units/);
  });

  it('refuses what is not a path at all', () => {
    expect(definitionPathProblem('not a path!')).toMatch(/must be a field path/);
    expect(definitionPathProblem('a..b')).toMatch(/must be a field path/);
  });

  it('never walks a forbidden key, even where a schema declares it', () => {
    const schema = z.object({ constructor: z.object({ prototype: z.number() }), ok: z.record(z.string(), z.number()) });
    expect(definitionPathProblem('constructor.prototype', schema)).toContain('"constructor" is never a field');
    expect(definitionPathProblem('ok.anything', schema)).toBeUndefined();
    expect(definitionPathProblem('ok.__proto__', schema)).toContain('"__proto__" is never a field');
  });
});

describe('parseFieldPath', () => {
  it('splits names and indices', () => {
    expect(parseFieldPath('model.layers[10].units')).toEqual(['model', 'layers', 10, 'units']);
    expect(parseFieldPath('predict[0][3]')).toEqual(['predict', 0, 3]);
    expect(parseFieldPath('x[')).toBeUndefined();
  });
});
