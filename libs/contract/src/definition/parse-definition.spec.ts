import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DefinitionError } from './definition-error.js';
import { parseDefinition, parseDefinitionJson, safeParseDefinition } from './parse-definition.js';

const examplesDir = new URL('../../../../examples/', import.meta.url);

const base = {
  name: 'california',
  dataset: { name: 'california_housing' },
  preprocessing: { features: 'minmax' },
  model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 1 }] },
  optimizer: 'sgd',
  loss: 'mse',
  metrics: ['mae'],
  epochs: 20,
};

function issuesOf(input: unknown): Record<string, string> {
  const result = safeParseDefinition(input);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
}

describe('parseDefinition', () => {
  it('accepts every example shipped in examples/', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json') && !f.startsWith('sweep') && f !== 'package.json');
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      expect(() => parseDefinitionJson(readFileSync(new URL(file, examplesDir), 'utf8')), file).not.toThrow();
    }
  });

  it('fills Keras defaults: batch size 32, a 0.2 test part, optimizer parameters', () => {
    const def = parseDefinition(base);
    expect(def.batchSize).toBe(32);
    expect(def.split).toEqual({ test: 0.2, validation: 0, stratify: false });
    expect(def.optimizer).toEqual({ name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
    expect(def.model.layers[1]).toMatchObject({ type: 'dense', units: 1, activation: 'linear', useBias: true });
  });

  it('accepts Keras long names for losses and metrics', () => {
    const def = parseDefinition({ ...base, loss: 'mean_squared_error', metrics: ['mean_absolute_error'] });
    expect(def.loss).toBe('mse');
    expect(def.metrics).toEqual(['mae']);
  });

  it('names the field path and what is allowed for each problem', () => {
    const issues = issuesOf({
      ...base,
      loss: 'mse2',
      epochs: 0,
      extra: true,
      model: { layers: [{ type: 'dense', units: 16, activation: 'rellu' }, { type: 'conv9' }] },
      optimizer: { name: 'adam', learningRate: -1 },
    });
    expect(issues.loss).toMatch(/must be one of .*"mse".*"sparse_categorical_crossentropy"/);
    expect(issues.epochs).toBe('must be >= 1');
    expect(issues.extra).toBe('unknown field');
    expect(issues['model.layers[0].activation']).toMatch(/must be one of .*"relu"/);
    expect(issues['model.layers[1].type']).toMatch(/must be one of "dense", "dropout", "batchNormalization", "flatten"/);
    expect(issues['optimizer.learningRate']).toBe('must be > 0');
  });

  it('reports a missing required field as required', () => {
    const { epochs: _epochs, ...withoutEpochs } = base;
    expect(issuesOf(withoutEpochs).epochs).toBe('is required (number)');
  });

  it('caps sizes so that a typo cannot occupy a worker for a day', () => {
    const issues = issuesOf({ ...base, epochs: 1_000_000, batchSize: 10_000_000 });
    expect(issues.epochs).toBe('must be <= 10000');
    expect(issues.batchSize).toBe('must be <= 65536');
  });

  it('checks the output layer against the dataset', () => {
    const wrongUnits = { ...base, model: { layers: [{ type: 'dense', units: 3 }] } };
    expect(issuesOf(wrongUnits)['model.layers[0].units']).toBe('must be 1, one per target column');

    const iris = {
      ...base,
      dataset: { name: 'iris' },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      model: { layers: [{ type: 'dense', units: 4, activation: 'relu' }] },
    };
    const irisIssues = issuesOf(iris);
    expect(irisIssues['model.layers[0].units']).toBe('must be 3, one per class of the dataset');
    expect(irisIssues['model.layers[0].activation']).toMatch(/must be "softmax"/);
  });

  it('rejects a loss or metric that does not fit the task', () => {
    const issues = issuesOf({ ...base, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    expect(issues.loss).toMatch(/does not fit a regression dataset; use mse, mae or huber/);
    expect(issues['metrics[0]']).toMatch(/accuracy needs a classification dataset/);
  });

  it('checks predict rows against the feature count', () => {
    expect(issuesOf({ ...base, predict: [[1, 2, 3]] })['predict[0]']).toBe('must have 8 values (one per feature), got 3');
  });

  it('requires a validation part to monitor a validation metric', () => {
    const issues = issuesOf({ ...base, earlyStopping: { monitor: 'val_loss', patience: 2 } });
    expect(issues['earlyStopping.monitor']).toMatch(/needs a validation part/);
  });

  it('throws a DefinitionError for invalid JSON text', () => {
    expect(() => parseDefinitionJson('{"name": ')).toThrow(DefinitionError);
    try {
      parseDefinitionJson('{"name": ');
    } catch (error) {
      expect((error as DefinitionError).code).toBe('INVALID_JSON');
    }
  });

  it('refuses a split that leaves a built-in dataset no training rows, before anything is queued', () => {
    const multiply = { ...base, dataset: { name: 'multiply' }, model: { layers: [{ type: 'dense', units: 1 }] }, metrics: [] };
    expect(issuesOf({ ...multiply, split: { test: 100 } })['split.test']).toBe('asks for 100 rows but only 7 are available');
    expect(issuesOf({ ...multiply, split: { test: 0.5, validation: 0.99 } }).split).toMatch(/leaves no training rows: 7 rows, 4 for test, 3 for validation/);
    expect(issuesOf({ ...base, dataset: { name: 'sum', n: 5 }, model: { layers: [{ type: 'dense', units: 1 }] }, split: { test: 5 } }).split).toMatch(/no training rows: 5 rows/);
    expect(safeParseDefinition({ ...multiply, split: { test: 6 } }).ok).toBe(true);
  });

  it('refuses NUL characters and unpaired surrogates in text fields', () => {
    expect(issuesOf({ ...base, name: 'a\u0000b' }).name).toBe('must be text without NUL characters or unpaired surrogates');
    expect(issuesOf({ ...base, description: 'x\ud800' }).description).toBe('must be text without NUL characters or unpaired surrogates');
    expect(safeParseDefinition({ ...base, name: 'emoji 😀 ok' }).ok).toBe(true);
  });
});
