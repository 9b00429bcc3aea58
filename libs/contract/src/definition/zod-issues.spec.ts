import { describe, expect, it } from 'vitest';
import { safeParseDefinition } from './parse-definition.js';

const base = { name: 'x', model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'adam', loss: 'mse', epochs: 1 };

function issuesOf(dataset: unknown): Record<string, string> {
  const result = safeParseDefinition({ ...base, dataset });
  if (result.ok) throw new Error('expected the definition to be rejected');
  return Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
}

describe('dataset issues (a union of built-in and registered datasets)', () => {
  it('reports the branch the user meant, naming the field and what is allowed', () => {
    expect(issuesOf({ name: 'housing' })).toEqual({ 'dataset.target': 'is required: the column to predict (a folder of images takes "image": {"height", "width", "channels"} instead)' });
    // A folder of images needs no target (its classes are its folders); it is a classification dataset.
    expect(Object.keys(issuesOf({ name: 'flowers', image: { height: 64, width: 64 } })).filter((path) => path.startsWith('dataset'))).toEqual([]);
    expect(issuesOf({ name: 'flowers', image: { height: 0, width: 64, channels: 2 } })).toEqual({ 'dataset.image.height': 'must be >= 1', 'dataset.image.channels': 'must be one of 1, 3' });
    expect(issuesOf({ name: 'housing', target: 5 })).toEqual({ 'dataset.target': 'must be string or array' });
    expect(issuesOf({ name: 'housing', target: 'y', bogus: 1 })).toEqual({ 'dataset.bogus': 'unknown field' });
    expect(issuesOf({ name: 'housing@2', target: 'y', sha256: 'xyz' })).toEqual({ 'dataset.sha256': 'must be 64 lowercase hex digits' });
    expect(issuesOf({ name: 'csv', target: 'y' })).toEqual({ 'dataset.path': 'is required (string)' });
    expect(issuesOf({ name: 'csv', path: 'a.csv' })).toEqual({ 'dataset.target': 'is required (string or array)' });
    expect(issuesOf({ name: 'sum', n: 0 })).toEqual({ 'dataset.n': 'must be >= 1' });
    expect(issuesOf({ name: 'multiply', extra: 1 })).toEqual({ 'dataset.extra': 'unknown field' });
    expect(issuesOf({ name: 'iris', target: 'x' })).toEqual({ 'dataset.target': 'unknown field' });
  });

  it('a name that is neither built in nor a valid registered name lists both', () => {
    const issues = issuesOf({ name: 'Foo Bar', target: 'y' });
    expect(Object.keys(issues)).toEqual(['dataset.name']);
    expect(issues['dataset.name']).toMatch(/built-in dataset \(multiply, sum, california_housing, iris, digits, mnist, fashion_mnist, csv\) or a registered one/);
    expect(issuesOf({})['dataset.name']).toBe('is required (string)');
    expect(issuesOf('iris')).toEqual({ dataset: 'must be object' });
  });

  it('parses a registered dataset reference', () => {
    const result = safeParseDefinition({ ...base, dataset: { name: 'housing@2', target: 'price' } });
    expect(result.ok && result.definition.dataset).toMatchObject({ name: 'housing', version: 2, target: 'price', task: 'regression' });
  });
});

describe('issues a Keras user meets (issue 11, item 11)', () => {
  const issues = (definition: Record<string, unknown>): Record<string, string> => {
    const result = safeParseDefinition({ ...base, dataset: { name: 'multiply' }, ...definition });
    if (result.ok) throw new Error('expected the definition to be rejected');
    return Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
  };

  it('tells a wrong type from a missing field', () => {
    expect(issues({ epochs: 'ten' })).toEqual({ epochs: 'must be number, got string' });
    expect(issues({ epochs: undefined })).toEqual({ epochs: 'is required (number)' });
  });

  it("suggests trainyard's spelling for Keras' field names and values", () => {
    expect(issues({ batch_size: 8 })).toEqual({ batch_size: 'unknown field (did you mean "batchSize"?)' });
    expect(issues({ optimizer: { name: 'sgd', lr: 0.1 } })).toEqual({ 'optimizer.lr': 'unknown field (did you mean "learningRate"?)' });
    expect(issues({ optimizer: { name: 'Adam' } })['optimizer.name']).toMatch(/\(did you mean "adam"\?\)$/);
    expect(issues({ model: { layers: [{ type: 'Dense', units: 1 }] } })['model.layers[0].type']).toMatch(/\(did you mean "dense"\?\)$/);
    expect(issues({ model: { layers: [{ type: 'dense', units: 1, activation: 'ReLU' }] } })['model.layers[0].activation']).toMatch(/\(did you mean "relu"\?\)$/);
    // No suggestion where nothing is close.
    expect(issues({ optimizer: { name: 'lbfgs' } })['optimizer.name']).not.toContain('did you mean');
  });

  it("suggests the image layers' spellings for Keras' class and argument names", () => {
    const layerIssues = (layer: Record<string, unknown>): Record<string, string> => issues({ model: { layers: [layer, { type: 'dense', units: 1 }] } });
    const typo = (type: string) => layerIssues({ type })['model.layers[0].type'];
    expect(typo('Conv2D')).toMatch(/\(did you mean "conv2d"\?\)$/);
    expect(typo('MaxPooling2D')).toMatch(/\(did you mean "maxPooling2d"\?\)$/);
    expect(typo('MaxPool2D')).toMatch(/\(did you mean "maxPooling2d"\?\)$/);
    expect(typo('AveragePooling2D')).toMatch(/\(did you mean "averagePooling2d"\?\)$/);
    expect(typo('GlobalAveragePooling2D')).toMatch(/\(did you mean "globalAveragePooling2d"\?\)$/);
    expect(typo('Reshape')).toMatch(/\(did you mean "reshape"\?\)$/);
    expect(typo('RandomFlip')).toMatch(/\(did you mean "randomFlip"\?\)$/);
    expect(typo('Conv2D')).toMatch(/^must be one of .*"conv2d", "maxPooling2d", "averagePooling2d", "globalAveragePooling2d", "reshape", "randomFlip", "randomTranslation"/);
    expect(layerIssues({ type: 'conv2d', filters: 8, kernel_size: 3 })).toEqual({
      'model.layers[0].kernel_size': 'unknown field (did you mean "kernelSize"?)',
      'model.layers[0].kernelSize': 'is required (number or array)',
    });
    expect(layerIssues({ type: 'maxPooling2d', pool_size: 2 })['model.layers[0].pool_size']).toBe('unknown field (did you mean "poolSize"?)');
    expect(layerIssues({ type: 'reshape', target_shape: [8, 8, 1] })['model.layers[0].target_shape']).toBe('unknown field (did you mean "targetShape"?)');
    expect(issues({ optimizer: { name: 'lbfgs' } })['optimizer.name']).not.toContain('did you mean');
  });
});
