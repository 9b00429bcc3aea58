import { DatasetError } from '../errors/dataset-error.js';

/** Class indices -> one-hot rows of length `numClasses` (for categorical cross-entropy). */
export function oneHot(indices: number[], numClasses: number): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new DatasetError('INVALID_SPEC', `oneHot needs a positive number of classes, got ${numClasses}`);
  }
  return indices.map((index, row) => {
    if (!Number.isInteger(index) || index < 0 || index >= numClasses) {
      throw new DatasetError('INVALID_SPEC', `row ${row}: class index ${index} is outside 0..${numClasses - 1}`);
    }
    const encoded = new Array<number>(numClasses).fill(0);
    encoded[index] = 1;
    return encoded;
  });
}
