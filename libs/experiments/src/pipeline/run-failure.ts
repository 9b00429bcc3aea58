import { DatasetError } from '@trainyard/data';
import { TrainingError } from '@trainyard/nn';
import { DefinitionError } from '@trainyard/contract';
import type { RunFailure } from './run-events.js';

/** Plain-data description of why a run failed, safe to send across threads and store. */
export function describeFailure(error: unknown): RunFailure {
  if (error instanceof DefinitionError) {
    return { kind: 'definition', code: error.code, message: error.message, retryable: false };
  }
  if (error instanceof DatasetError) {
    // A download can work next time; a missing column or a bad cell will not.
    return { kind: 'dataset', code: error.code, message: error.message, retryable: error.code === 'DOWNLOAD_FAILED' && error.transient };
  }
  if (error instanceof TrainingError) {
    return {
      kind: 'training',
      code: error.code,
      message: error.message,
      retryable: false,
      ...(error.epoch !== undefined ? { epoch: error.epoch } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'internal', code: 'INTERNAL', message, retryable: true };
}
