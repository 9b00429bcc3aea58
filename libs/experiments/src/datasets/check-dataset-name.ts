import { DATASET_NAME_PATTERN, DATASET_NAME_RULE, isBuiltInDatasetName } from '@trainyard/contract';
import { StoreError } from '../store/store-error.js';

/** The API checks names at its boundary; these use cases check again for their other callers. */
export function checkDatasetName(name: string): void {
  if (!DATASET_NAME_PATTERN.test(name)) throw new StoreError('INVALID', `name: ${DATASET_NAME_RULE}`);
  if (isBuiltInDatasetName(name)) throw new StoreError('INVALID', `name: "${name}" is the name of a built-in dataset`);
}
