import type { Task } from '../datasets/dataset.js';
import { DatasetError } from '../errors/dataset-error.js';
import type { CategoryColumnState, ColumnState, NumberColumnState } from './column-state.js';
import type { ScalerState } from './scaler.js';

/** Version 1: every feature a number, scaled (built-in datasets; models saved before tables). */
export interface PreprocessorStateV1 {
  version: 1;
  task: Task;
  featureNames: string[];
  targetNames: string[];
  classNames?: string[];
  features: ScalerState;
  target: ScalerState;
}

/**
 * Version 2: a table's features, one fitted column state per feature (imputation, one-hot
 * categories); `features` scales the number columns only, in their order among the features.
 */
export interface PreprocessorStateV2 {
  version: 2;
  task: Task;
  featureNames: string[];
  targetNames: string[];
  classNames?: string[];
  columns: ColumnState[];
  features: ScalerState;
  target: ScalerState;
}

export type PreprocessorState = PreprocessorStateV1 | PreprocessorStateV2;

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
    case 'pixels': {
      const max = value['max'];
      if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0) fail(`${field}.max`, 'a positive number (the largest pixel value)', max);
      return { kind: 'pixels', max: max as number };
    }
    default:
      return fail(`${field}.kind`, "'none', 'minmax', 'standard' or 'pixels'", value['kind']);
  }
}

const NUMBER_IMPUTES = ['mean', 'median', 'most_frequent', 'constant', 'drop'] as const;
const CATEGORY_IMPUTES = ['missing_category', 'most_frequent', 'constant', 'drop'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(field, allowed.map((a) => `'${a}'`).join(', '), value);
  return value as T;
}

function columnState(value: unknown, field: string, name: string): ColumnState {
  if (!isRecord(value)) fail(field, 'a column state object', value);
  if (value['name'] !== name) fail(`${field}.name`, JSON.stringify(name), value['name']);
  const type = value['type'];
  if (type === 'number') {
    const fill = value['fillValue'];
    if (typeof fill !== 'number' || !Number.isFinite(fill)) fail(`${field}.fillValue`, 'a finite number', fill);
    const state: NumberColumnState = { name, type, impute: oneOf(value['impute'], NUMBER_IMPUTES, `${field}.impute`), fillValue: fill };
    return state;
  }
  if (type !== 'category' && type !== 'boolean') fail(`${field}.type`, "'number', 'category' or 'boolean'", type);
  const state: CategoryColumnState = {
    name,
    type,
    impute: oneOf(value['impute'], CATEGORY_IMPUTES, `${field}.impute`),
    categories: stringList(value['categories'], `${field}.categories`),
  };
  const fill = value['fillValue'];
  if (fill !== undefined) {
    if (typeof fill !== 'string') fail(`${field}.fillValue`, 'a string', fill);
    state.fillValue = fill;
  }
  return state;
}

/** Checks saved preprocessor JSON field by field (version 1 or 2); the error names the first bad field. */
export function parsePreprocessorState(json: unknown): PreprocessorState {
  if (!isRecord(json)) fail('(root)', 'an object', json);
  const version = json['version'];
  if (version !== 1 && version !== 2) fail('version', '1 or 2', version);
  const task = json['task'];
  if (task !== 'regression' && task !== 'classification') fail('task', "'regression' or 'classification'", task);
  const featureNames = stringList(json['featureNames'], 'featureNames');
  const targetNames = stringList(json['targetNames'], 'targetNames');
  const target = scalerState(json['target'], 'target', targetNames.length);
  let state: PreprocessorState;
  if (version === 1) {
    state = { version, task, featureNames, targetNames, features: scalerState(json['features'], 'features', featureNames.length), target };
  } else {
    const raw = json['columns'];
    if (!Array.isArray(raw) || raw.length !== featureNames.length) fail('columns', `an array of ${featureNames.length} column states`, raw);
    const columns = raw.map((value: unknown, i) => columnState(value, `columns[${i}]`, featureNames[i] ?? ''));
    const numbers = columns.filter((c) => c.type === 'number').length;
    state = { version, task, featureNames, targetNames, columns, features: scalerState(json['features'], 'features', numbers), target };
  }
  if (task === 'classification') {
    if (targetNames.length !== 1) fail('targetNames', 'exactly one label column for classification', targetNames);
    state.classNames = stringList(json['classNames'], 'classNames');
    if (state.target.kind !== 'none') fail('target.kind', "'none' for classification", state.target.kind);
  } else if (json['classNames'] !== undefined) {
    fail('classNames', 'no class names for regression', json['classNames']);
  }
  return state;
}
