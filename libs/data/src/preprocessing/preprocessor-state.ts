import type { Task } from '../datasets/dataset.js';
import { DatasetError } from '../errors/dataset-error.js';
import type { ScalerState } from './scaler.js';

export interface PreprocessorState {
  version: 1;
  task: Task;
  featureNames: string[];
  targetNames: string[];
  classNames?: string[];
  features: ScalerState;
  target: ScalerState;
}

function fail(field: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
  throw new DatasetError('INVALID_SPEC', `preprocessor.${field}: expected ${expected}, got ${shown}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    fail(field, 'a non-empty array of strings', value);
  }
  return value as string[];
}

function numberList(value: unknown, field: string, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(field, `an array of ${length} finite numbers`, value);
  }
  return value as number[];
}

function scalerState(value: unknown, field: string, width: number): ScalerState {
  if (!isRecord(value)) fail(field, 'a scaler state object', value);
  switch (value['kind']) {
    case 'none':
      return { kind: 'none' };
    case 'minmax':
      return {
        kind: 'minmax',
        min: numberList(value['min'], `${field}.min`, width),
        max: numberList(value['max'], `${field}.max`, width),
      };
    case 'standard':
      return {
        kind: 'standard',
        mean: numberList(value['mean'], `${field}.mean`, width),
        std: numberList(value['std'], `${field}.std`, width),
      };
    default:
      return fail(`${field}.kind`, "'none', 'minmax' or 'standard'", value['kind']);
  }
}

/** Checks saved preprocessor JSON field by field; the error names the first bad field. */
export function parsePreprocessorState(json: unknown): PreprocessorState {
  if (!isRecord(json)) fail('(root)', 'an object', json);
  if (json['version'] !== 1) fail('version', '1', json['version']);
  const task = json['task'];
  if (task !== 'regression' && task !== 'classification') fail('task', "'regression' or 'classification'", task);
  const featureNames = stringList(json['featureNames'], 'featureNames');
  const targetNames = stringList(json['targetNames'], 'targetNames');
  const state: PreprocessorState = {
    version: 1,
    task,
    featureNames,
    targetNames,
    features: scalerState(json['features'], 'features', featureNames.length),
    target: scalerState(json['target'], 'target', targetNames.length),
  };
  if (task === 'classification') {
    if (targetNames.length !== 1) fail('targetNames', 'exactly one label column for classification', targetNames);
    state.classNames = stringList(json['classNames'], 'classNames');
    if (state.target.kind !== 'none') fail('target.kind', "'none' for classification", state.target.kind);
  } else if (json['classNames'] !== undefined) {
    fail('classNames', 'no class names for regression', json['classNames']);
  }
  return state;
}
