import { describe, expect, it } from 'vitest';
import { parseDefinition } from './parse-definition.js';
import { checkSubmission, DEFAULT_SERVER_LIMITS, estimateTrainingMemory, runTimeLimitSeconds } from './server-policy.js';

const california = parseDefinition({
  name: 'california',
  dataset: { name: 'california_housing' },
  preprocessing: { features: 'minmax' },
  model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 12, activation: 'relu' }, { type: 'dense', units: 1 }] },
  optimizer: 'sgd',
  loss: 'mse',
  epochs: 20,
});

const pathsOf = (def: ReturnType<typeof parseDefinition>) => Object.fromEntries(checkSubmission(def, DEFAULT_SERVER_LIMITS).map((i) => [i.path, i.message]));

describe('checkSubmission', () => {
  it('accepts the notebook tasks', () => {
    expect(checkSubmission(california, DEFAULT_SERVER_LIMITS)).toEqual([]);
    expect(checkSubmission(parseDefinition({ name: 'm', dataset: { name: 'multiply' }, split: { test: 0 }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'sgd', loss: 'mse', epochs: 100 }), DEFAULT_SERVER_LIMITS)).toEqual([]);
  });

  it('counts parameters as Keras does (8-16-12-1: 361)', () => {
    expect(estimateTrainingMemory(california)?.params).toBe(361);
  });

  it('refuses a model and a batch that would take a worker down, with the estimate', () => {
    // The probe's definition: 31 dense layers of 4,096 units, adam, batchSize 65,536.
    const huge = parseDefinition({
      ...california,
      model: { layers: [...Array.from({ length: 31 }, () => ({ type: 'dense', units: 4096 })), { type: 'dense', units: 1 }] },
      optimizer: 'adam',
      batchSize: 65_536,
    });
    const issues = pathsOf(huge);
    expect(issues['model.layers']).toMatch(/the model has 503,480,321 parameters; this server allows at most 5,000,000 \(TRAINYARD_MAX_PARAMS\)/);
    expect(issues.batchSize).toMatch(/one training step needs about \d+ MiB .*activations of a batch of 65536 .*TRAINYARD_MAX_STEP_MB/);
    const wideBatch = parseDefinition({ ...california, model: { layers: [{ type: 'dense', units: 4096 }, { type: 'dense', units: 1 }] }, batchSize: 65_536 });
    expect(Object.keys(pathsOf(wideBatch))).toEqual(['batchSize']);
  });

  it('refuses a CSV path and a time limit above the server maximum', () => {
    const csv = parseDefinition({ ...california, dataset: { name: 'csv', path: '/etc/shadow', target: 'x' }, model: { layers: [{ type: 'dense', units: 1 }] } });
    expect(pathsOf(csv)['dataset.path']).toMatch(/cannot name a file.*trainyard dataset add/);
    const slow = parseDefinition({ ...california, timeLimitSeconds: DEFAULT_SERVER_LIMITS.maxRunSeconds + 1 });
    expect(pathsOf(slow).timeLimitSeconds).toBe(`must be <= ${DEFAULT_SERVER_LIMITS.maxRunSeconds} (this server's TRAINYARD_MAX_RUN_SECONDS)`);
  });

  it('gives a run the definition time limit, never above the server maximum', () => {
    expect(runTimeLimitSeconds({ timeLimitSeconds: 60 }, { maxRunSeconds: 3600 })).toBe(60);
    expect(runTimeLimitSeconds({ timeLimitSeconds: 7200 }, { maxRunSeconds: 3600 })).toBe(3600);
    expect(runTimeLimitSeconds({}, { maxRunSeconds: 3600 })).toBe(3600);
  });
});
