import { DatasetError } from '../errors/dataset-error.js';
import { quoteCell, quoteName } from '../datasets/quote-data.js';
import type { FeatureType } from '../datasets/dataset.js';
import { isMissingText, parseBooleanText, parseNumberText } from '../tables/cells.js';
import { MISSING_CATEGORY, type Cell, type ColumnOptions } from '../tables/table-types.js';

/*
 * One feature column's fitted preprocessing (scikit-learn's SimpleImputer + OneHotEncoder with
 * handle_unknown='ignore'), as plain JSON saved with the model:
 * - number: a missing cell gets `fillValue` (the training part's median by default; mean,
 *   most frequent or a constant on request); the scaling of number columns comes after;
 * - category, boolean: one-hot over the categories of the training part, sorted; a missing cell
 *   is the category "(missing)" unless imputed; a category the training part never had
 *   (at predict time) encodes as all zeros.
 * `drop`: rows missing that column were left out before the split; a row to predict must have it.
 */
export interface NumberColumnState {
  name: string;
  type: 'number';
  impute: 'mean' | 'median' | 'most_frequent' | 'constant' | 'drop';
  /** What a missing cell becomes (unused for `drop`). */
  fillValue: number;
}

export interface CategoryColumnState {
  name: string;
  type: 'category' | 'boolean';
  /** `missing_category`: a missing cell is the category "(missing)". */
  impute: 'missing_category' | 'most_frequent' | 'constant' | 'drop';
  /** most_frequent / constant: what a missing cell becomes. */
  fillValue?: string;
  /** Learned on the training part, sorted by code point; one output per category. */
  categories: string[];
}

export type ColumnState = NumberColumnState | CategoryColumnState;

function specError(column: string, field: string, message: string): DatasetError {
  return new DatasetError('INVALID_SPEC', `preprocessing.columns.${column}.${field}: ${message}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The most frequent value; ties go to the smallest (scikit-learn's rule). */
function mostFrequent<T extends number | string>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount || (n === bestCount && best !== undefined && v < best)) [best, bestCount] = [v, n];
  return best;
}

/** A cell as a number column reads it: a number, or undefined when missing. */
export function numberCell(cell: Cell | undefined, where: string): number | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new DatasetError('INVALID_SPEC', `${where}: ${String(cell)} is not a finite number`);
    return cell;
  }
  if (isMissingText(cell)) return undefined;
  const value = parseNumberText(cell);
  if (value === undefined) throw new DatasetError('INVALID_SPEC', `${where}: ${quoteCell(cell)} is not a number`);
  return value;
}

/** A cell as a category or boolean column reads it: its text (booleans as 'true'/'false'), or undefined when missing. */
export function categoryCell(cell: Cell | undefined, type: 'category' | 'boolean'): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  const text = typeof cell === 'number' ? String(cell) : cell.trim();
  if (isMissingText(text)) return undefined;
  return type === 'boolean' ? (parseBooleanText(text) ?? text) : text;
}

function fitNumber(name: string, values: (Cell | undefined)[], options: ColumnOptions): NumberColumnState {
  const present = values.flatMap((cell, row) => {
    const value = numberCell(cell, `training row ${row}, column ${quoteName(name)}`);
    return value === undefined ? [] : [value];
  });
  const impute = options.impute ?? 'median';
  switch (impute) {
    case 'mean':
      return { name, type: 'number', impute, fillValue: present.length ? present.reduce((a, b) => a + b, 0) / present.length : 0 };
    case 'median':
    case 'drop':
      return { name, type: 'number', impute, fillValue: median(present) };
    case 'most_frequent':
      return { name, type: 'number', impute, fillValue: mostFrequent(present) ?? 0 };
    case 'constant': {
      const fill = typeof options.fillValue === 'string' ? parseNumberText(options.fillValue) : options.fillValue;
      if (fill === undefined) throw specError(name, 'fillValue', 'impute "constant" needs a number fillValue for a number column');
      return { name, type: 'number', impute, fillValue: fill };
    }
  }
}

function fitCategory(name: string, type: 'category' | 'boolean', values: (Cell | undefined)[], options: ColumnOptions): CategoryColumnState {
  const texts = values.map((cell) => categoryCell(cell, type));
  const impute = options.impute;
  let fillValue: string | undefined;
  if (impute === 'mean' || impute === 'median') {
    throw specError(name, 'impute', `"${impute}" needs a number column; a ${type} column takes most_frequent, constant or drop`);
  } else if (impute === 'constant') {
    if (options.fillValue === undefined) throw specError(name, 'fillValue', 'impute "constant" needs a fillValue');
    fillValue = categoryCell(options.fillValue, type);
    if (fillValue === undefined) throw specError(name, 'fillValue', 'must not be a missing value');
  } else if (impute === 'most_frequent') {
    fillValue = mostFrequent(texts.filter((t): t is string => t !== undefined)) ?? MISSING_CATEGORY;
  }
  const seen = new Set(texts.map((t) => t ?? fillValue ?? MISSING_CATEGORY));
  const categories = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const state: CategoryColumnState = { name, type, impute: impute ?? 'missing_category', categories };
  if (fillValue !== undefined) state.fillValue = fillValue;
  return state;
}

/** Fits one column on the training part's cells. */
export function fitColumn(name: string, type: FeatureType, values: (Cell | undefined)[], options: ColumnOptions = {}): ColumnState {
  return type === 'number' ? fitNumber(name, values, options) : fitCategory(name, type, values, options);
}

/** Outputs a column gives: 1 for a number, one per category. */
export function columnWidth(state: ColumnState): number {
  return state.type === 'number' ? 1 : state.categories.length;
}

function missingDropped(state: ColumnState, where: string): DatasetError {
  return new DatasetError(
    'INVALID_SPEC',
    `${where}: the cell is missing, and rows missing ${quoteName(state.name)} were dropped in training (impute "drop"); give a value`,
  );
}

/** A number column's cell, imputed (before scaling). */
export function imputeNumber(state: NumberColumnState, cell: Cell | undefined, where: string): number {
  const value = numberCell(cell, where);
  if (value !== undefined) return value;
  if (state.impute === 'drop') throw missingDropped(state, where);
  return state.fillValue;
}

/** A category column's cell as one-hot values; an unseen category gives all zeros. */
export function encodeCategory(state: CategoryColumnState, cell: Cell | undefined, where: string): number[] {
  let text = categoryCell(cell, state.type);
  if (text === undefined) {
    if (state.impute === 'drop') throw missingDropped(state, where);
    text = state.fillValue ?? MISSING_CATEGORY;
  }
  return state.categories.map((category) => (category === text ? 1 : 0));
}
