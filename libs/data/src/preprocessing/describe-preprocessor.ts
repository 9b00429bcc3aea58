import { MISSING_CATEGORY } from '../tables/table-types.js';
import type { ColumnState } from './column-state.js';
import type { PreprocessorState } from './preprocessor-state.js';
import type { ScalerState } from './scaler.js';

const MAX_LISTED = 8;

function num(value: number | undefined): string {
  return value === undefined ? '?' : String(Number(value.toPrecision(6)));
}

function scaling(state: ScalerState, index: number): string {
  switch (state.kind) {
    case 'none':
      return 'not scaled';
    case 'minmax':
      return `minmax [${num(state.min[index])}, ${num(state.max[index])}]`;
    case 'standard':
      return `standard (mean ${num(state.mean[index])}, std ${num(state.std[index])})`;
    case 'pixels':
      return `pixels / ${num(state.max)}`;
  }
}

function missingRule(column: ColumnState): string {
  if (column.impute === 'drop') return 'rows missing it dropped';
  if (column.type === 'number') return `missing -> ${column.impute} ${num(column.fillValue)}`;
  if (column.impute === 'missing_category') return `missing -> ${MISSING_CATEGORY}`;
  return `missing -> ${column.impute} ${column.fillValue ?? ''}`.trimEnd();
}

/** Values in a list; one holding a comma is quoted so the list still reads. */
function listed(values: string[]): string {
  const shown = values
    .slice(0, MAX_LISTED)
    .map((value) => (value.includes(',') ? JSON.stringify(value) : value))
    .join(', ');
  return values.length > MAX_LISTED ? `${shown}, … ${values.length - MAX_LISTED} more` : shown;
}

/**
 * The fitted preprocessing in words, one line per feature column then one per target, e.g.
 * `total_bedrooms: number, missing -> median 435, minmax [1, 6445]` or
 * `ocean_proximity: category, one-hot 5 (<1H OCEAN, INLAND, ISLAND, NEAR BAY, NEAR OCEAN), unseen -> all zeros`.
 */
export function describePreprocessor(state: PreprocessorState): string[] {
  const lines: string[] = [];
  if (state.version === 1 && state.features.kind === 'pixels') {
    // One line for an image's hundreds of pixels, which all get the same scaling.
    lines.push(`${state.featureNames.length} pixels (${listed(state.featureNames)}): number, ${scaling(state.features, 0)}`);
  } else if (state.version === 1) {
    state.featureNames.forEach((name, c) => lines.push(`${name}: number, ${scaling(state.features, c)}`));
  } else {
    let n = 0;
    for (const column of state.columns) {
      if (column.type === 'number') {
        lines.push(`${column.name}: number, ${missingRule(column)}, ${scaling(state.features, n++)}`);
      } else {
        const encoding = `one-hot ${column.categories.length} (${listed(column.categories)})`;
        lines.push(`${column.name}: ${column.type}, ${encoding}, ${missingRule(column)}, unseen -> all zeros`);
      }
    }
  }
  if (state.task === 'classification') {
    lines.push(`${state.targetNames[0] ?? 'target'}: target, ${state.classNames?.length ?? 0} classes (${listed(state.classNames ?? [])})`);
  } else {
    state.targetNames.forEach((name, t) => lines.push(`${name}: target, ${scaling(state.target, t)}`));
  }
  return lines;
}
