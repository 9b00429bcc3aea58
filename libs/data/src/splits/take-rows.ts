import { DatasetError } from '../errors/dataset-error.js';

/** The rows at `indices`, in that order; an index outside the rows is a caller bug worth a clear message. */
export function takeRows<T>(rows: readonly T[], indices: number[]): T[] {
  return indices.map((index) => {
    if (!Number.isInteger(index) || index < 0 || index >= rows.length) {
      throw new DatasetError('INVALID_SPEC', `row index ${index} is outside 0..${rows.length - 1}`);
    }
    return rows[index] as T;
  });
}
