import type { Dataset } from '../datasets/dataset.js';
import { quoteName } from '../datasets/quote-data.js';
import { rowViews } from '../datasets/row-views.js';
import { DatasetError } from '../errors/dataset-error.js';
import type { Cell, ColumnOptions } from '../tables/table-types.js';
import { columnWidth, encodeCategory, fitColumn, imputeNumber, numberCell, type ColumnState } from './column-state.js';
import { parsePreprocessorState, type PreprocessorState } from './preprocessor-state.js';
import { fitScaler, scalerFromState, type Scaler, type ScalerKind } from './scaler.js';

/** Target scaling applies to regression only; classification targets must use 'none'. */
export interface PreprocessorSpec {
  /** Scaling of number features (one-hot outputs are never scaled). */
  features: ScalerKind;
  target: ScalerKind;
  /** Per table column: type override, imputation (scikit-learn's names). */
  columns?: Record<string, ColumnOptions>;
}

type DatasetShape = Pick<Dataset, 'task' | 'featureNames' | 'targetNames' | 'classNames' | 'featureTypes' | 'pixelMax'>;
type Rows = readonly ArrayLike<Cell>[];

function checkWidth(rows: Rows, names: string[], what: string): void {
  rows.forEach((row, i) => {
    if (row.length !== names.length) {
      throw new DatasetError('INVALID_SPEC', `${what} row ${i} has ${row.length} values, expected ${names.length} (${names.join(', ')})`);
    }
  });
}

/** Is every cell a finite number? (A plain loop: a row may be a byte array's view.) */
function isNumberRow(row: ArrayLike<Cell>): row is ArrayLike<number> {
  for (let c = 0; c < row.length; c++) {
    const cell = row[c];
    if (typeof cell !== 'number' || !Number.isFinite(cell)) return false;
  }
  return true;
}

/**
 * Every cell a number (version 1: no imputation, no categories). A row that is numbers already
 * is passed on as it is, not copied: the scalers never change their input, and an image
 * dataset's training part would otherwise exist twice for a moment.
 */
function numberRows(rows: Rows, names: string[]): ArrayLike<number>[] {
  return rows.map((row, i) => {
    if (isNumberRow(row)) return row;
    return Array.from(row, (cell, c) => {
      const where = `feature row ${i}, column ${quoteName(names[c] ?? '')}`;
      const value = numberCell(cell, where);
      if (value === undefined) throw new DatasetError('INVALID_SPEC', `${where}: a value is missing, and this model's features are all numbers with no imputation`);
      return value;
    });
  });
}

/**
 * The fitted preprocessing of one run. Fit it on the training part only, so validation and
 * test rows never leak into its parameters; save it with `toJSON` so a trained model takes
 * raw rows later. A dataset with `featureTypes` (a table) gets a version 2 state: per column
 * imputation and one-hot encoding, then scaling of the number columns; the built-in datasets
 * keep version 1 (every feature a number, scaled), as do models saved before tables existed.
 */
export class Preprocessor {
  readonly state: PreprocessorState;
  private readonly features: Scaler;
  private readonly target: Scaler;

  private constructor(state: PreprocessorState) {
    this.state = state;
    this.features = scalerFromState(state.features);
    this.target = scalerFromState(state.target);
  }

  static fit(spec: PreprocessorSpec, train: { x: Rows; y: number[][] }, dataset: DatasetShape): Preprocessor {
    if (dataset.task === 'classification' && spec.target !== 'none') {
      throw new DatasetError(
        'INVALID_SPEC',
        `preprocessing.target must be 'none' for classification (class indices are not scaled), got '${spec.target}'`,
      );
    }
    if (spec.target === 'pixels') {
      throw new DatasetError('INVALID_SPEC', "preprocessing.target cannot be 'pixels', which scales image features; use none, minmax or standard");
    }
    checkWidth(train.x, dataset.featureNames, 'feature');
    checkWidth(train.y, dataset.targetNames, 'target');
    const common = {
      task: dataset.task,
      featureNames: [...dataset.featureNames],
      targetNames: [...dataset.targetNames],
      target: fitScaler(spec.target, train.y).state,
      ...(dataset.classNames ? { classNames: [...dataset.classNames] } : {}),
    };
    const types = dataset.featureTypes;
    if (!types) {
      return new Preprocessor({ version: 1, ...common, features: fitScaler(spec.features, numberRows(train.x, dataset.featureNames), dataset.pixelMax).state });
    }
    const columns = dataset.featureNames.map((name, c) =>
      fitColumn(name, types[c] ?? 'number', train.x.map((row) => row[c]), spec.columns?.[name]),
    );
    const imputed = imputeRows(columns, train.x, 'training');
    return new Preprocessor({ version: 2, ...common, columns, features: fitScaler(spec.features, imputed, dataset.pixelMax).state });
  }

  static fromJSON(json: unknown): Preprocessor {
    return new Preprocessor(parsePreprocessorState(json));
  }

  /** Width of a transformed row: the model's input width. */
  get outputWidth(): number {
    if (this.state.version === 1) return this.state.featureNames.length;
    return this.state.columns.reduce((sum, column) => sum + columnWidth(column), 0);
  }

  /**
   * Raw rows (numbers, texts, null or '' for missing; a number may come as text) to the
   * model's inputs: imputed, one-hot encoded and scaled as fitted. They are float32, what the
   * model computes on, in one array with a view per row (`rowViews`): 4 bytes a value.
   */
  transformX(rows: Rows): Float32Array[] {
    checkWidth(rows, this.state.featureNames, 'feature');
    const width = this.outputWidth;
    const values = new Float32Array(rows.length * width);
    const { features } = this;
    if (this.state.version === 1) {
      numberRows(rows, this.state.featureNames).forEach((row, i) => {
        for (let c = 0, at = i * width; c < width; c++) values[at + c] = features.scale(row[c] ?? 0, c);
      });
      return rowViews(values, width);
    }
    const { columns } = this.state;
    const numbers = imputeRows(columns, rows, 'feature');
    rows.forEach((row, i) => {
      let at = i * width;
      let n = 0;
      columns.forEach((column, c) => {
        if (column.type === 'number') {
          values[at++] = features.scale(numbers[i]?.[n] ?? 0, n);
          n++;
        } else {
          for (const v of encodeCategory(column, row[c], `feature row ${i}, column ${quoteName(column.name)}`)) values[at++] = v;
        }
      });
    });
    return rowViews(values, width);
  }

  transformY(rows: number[][]): number[][] {
    checkWidth(rows, this.state.targetNames, 'target');
    if (this.state.task === 'classification') {
      const classCount = this.state.classNames?.length ?? Infinity;
      rows.forEach(([index], i) => {
        if (index === undefined || !Number.isInteger(index) || index < 0 || index >= classCount) {
          throw new DatasetError('INVALID_SPEC', `target row ${i}: ${index} is not a class index below ${classCount}`);
        }
      });
      return rows.map((row) => [...row]);
    }
    return this.target.transform(rows);
  }

  inverseY(rows: number[][]): number[][] {
    checkWidth(rows, this.state.targetNames, 'target');
    if (this.state.task === 'classification') return rows.map((row) => [...row]);
    return this.target.inverseTransform(rows);
  }

  toJSON(): PreprocessorState {
    return structuredClone(this.state);
  }
}

/** The number columns of each row, imputed (the scaler's input). */
function imputeRows(columns: ColumnState[], rows: Rows, what: string): number[][] {
  return rows.map((row, i) =>
    columns.flatMap((column, c) => (column.type === 'number' ? [imputeNumber(column, row[c], `${what} row ${i}, column ${quoteName(column.name)}`)] : [])),
  );
}
