import { DatasetError } from '../errors/dataset-error.js';

export type ScalerKind = 'none' | 'minmax' | 'standard' | 'pixels';

/** Plain data, so a fitted scaler travels as JSON beside the model. */
export type ScalerState =
  | { kind: 'none' }
  /** Maps each column to [0, 1] like sklearn's MinMaxScaler; a constant column maps to 0. */
  | { kind: 'minmax'; min: number[]; max: number[] }
  /** Population std (ddof 0) like sklearn's StandardScaler; a zero std is stored as 1. */
  | { kind: 'standard'; mean: number[]; std: number[] }
  /** Every value divided by the image's largest pixel value (255, or 16 for digits), like Keras' `x / 255.0`; nothing fitted. */
  | { kind: 'pixels'; max: number };

type NumberRows = readonly ArrayLike<number>[];

export interface Scaler {
  readonly state: ScalerState;
  /** One value of column `column`, scaled (the preprocessing writes the model's inputs with it). */
  scale(value: number, column: number): number;
  transform(rows: NumberRows): number[][];
  inverseTransform(rows: NumberRows): number[][];
}

/** A scaler from its value maps; rows go through them column by column. */
function mapScaler(
  state: ScalerState,
  scale: (value: number, column: number) => number,
  unscale: (value: number, column: number) => number,
  check: (rows: NumberRows) => void = () => undefined,
): Scaler {
  return {
    state,
    scale,
    transform(rows) {
      check(rows);
      return rows.map((row) => Array.from(row, scale));
    },
    inverseTransform(rows) {
      check(rows);
      return rows.map((row) => Array.from(row, unscale));
    },
  };
}

function columnWidth(rows: NumberRows): number {
  const first = rows[0];
  if (!first) throw new DatasetError('EMPTY', 'cannot fit a scaler on zero rows');
  rows.forEach((row, i) => {
    if (row.length !== first.length) {
      throw new DatasetError('INVALID_SPEC', `row ${i} has ${row.length} values, expected ${first.length}`);
    }
  });
  return first.length;
}

function columnStats(rows: NumberRows, width: number, pick: (values: number[]) => number): number[] {
  return Array.from({ length: width }, (_, c) => pick(rows.map((row) => row[c] ?? 0)));
}

/** Per-column affine map `(x - offset) / scale`; both directions share it so they stay exact inverses. */
function affineScaler(state: ScalerState, offset: number[], scale: number[]): Scaler {
  const check = (rows: NumberRows): void => {
    rows.forEach((row, i) => {
      if (row.length !== offset.length) {
        throw new DatasetError('INVALID_SPEC', `row ${i} has ${row.length} values, the scaler was fitted on ${offset.length}`);
      }
    });
  };
  return mapScaler(
    state,
    (v, c) => (v - (offset[c] ?? 0)) / (scale[c] ?? 1),
    (v, c) => v * (scale[c] ?? 1) + (offset[c] ?? 0),
    check,
  );
}

/** A scaler that works from saved parameters; nothing is refitted. */
export function scalerFromState(state: ScalerState): Scaler {
  switch (state.kind) {
    case 'none':
      return mapScaler(state, (v) => v, (v) => v);
    case 'minmax': {
      if (state.min.length !== state.max.length) {
        throw new DatasetError('INVALID_SPEC', `minmax scaler has ${state.min.length} minima but ${state.max.length} maxima`);
      }
      const scale = state.min.map((min, c) => {
        const range = (state.max[c] ?? min) - min;
        return range === 0 ? 1 : range;
      });
      return affineScaler(state, state.min, scale);
    }
    case 'standard': {
      if (state.mean.length !== state.std.length) {
        throw new DatasetError('INVALID_SPEC', `standard scaler has ${state.mean.length} means but ${state.std.length} stds`);
      }
      return affineScaler(state, state.mean, state.std.map((s) => (s === 0 ? 1 : s)));
    }
    case 'pixels': {
      const { max } = state;
      if (!Number.isFinite(max) || max <= 0) throw new DatasetError('INVALID_SPEC', `pixels scaler needs a positive pixel maximum, got ${max}`);
      return mapScaler(state, (v) => v / max, (v) => v * max);
    }
  }
}

/**
 * Fits a scaler's parameters on `rows` (pass the training rows only). `pixels` fits nothing:
 * it takes the dataset's `pixelMax` (image datasets only).
 */
export function fitScaler(kind: ScalerKind, rows: NumberRows, pixelMax?: number): Scaler {
  if (kind === 'none') return scalerFromState({ kind: 'none' });
  if (kind === 'pixels') {
    if (pixelMax === undefined) {
      throw new DatasetError('INVALID_SPEC', "preprocessing.features: 'pixels' needs an image dataset (digits, mnist or fashion_mnist); this dataset has no pixel range");
    }
    return scalerFromState({ kind, max: pixelMax });
  }
  const width = columnWidth(rows);
  if (kind === 'minmax') {
    const min = columnStats(rows, width, (values) => values.reduce((a, b) => Math.min(a, b), Infinity));
    const max = columnStats(rows, width, (values) => values.reduce((a, b) => Math.max(a, b), -Infinity));
    return scalerFromState({ kind, min, max });
  }
  if (kind === 'standard') {
    const mean = columnStats(rows, width, (values) => values.reduce((a, b) => a + b, 0) / values.length);
    const std = columnStats(rows, width, (values) => {
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
      return sd === 0 ? 1 : sd;
    });
    return scalerFromState({ kind, mean, std });
  }
  throw new DatasetError('INVALID_SPEC', `unknown scaler kind '${String(kind)}', expected none, minmax, standard or pixels`);
}
