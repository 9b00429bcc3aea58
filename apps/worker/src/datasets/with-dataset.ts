import { isRegisteredDataset, StoreError, type ClaimedRun, type Logger, type RunEvent, type RunFailure } from '@trainyard/experiments';
import { ChecksumMismatchError, type DatasetCache } from './dataset-cache.js';

/**
 * Trains a run after making its registered dataset's bytes local: fetched from the database
 * into the cache (verified) unless cached already, and held there (not evicted) until the run
 * ends, so that the training thread reads the file at datasetCachePath. A run on a built-in
 * dataset trains as it is. A fetch that fails ends the run with a `failed` event.
 */
export async function* trainWithDataset(
  cache: DatasetCache,
  definition: ClaimedRun['definition'],
  log: Logger,
  train: () => AsyncIterable<RunEvent>,
): AsyncGenerator<RunEvent> {
  const spec = definition.dataset;
  if (!isRegisteredDataset(spec)) {
    yield* train();
    return;
  }
  const label = `${spec.name}@${spec.version ?? '?'}`;
  if (spec.sha256 === undefined) {
    const message = `dataset ${label} has no pinned sha256 (a definition written past the API); submit it again`;
    yield { type: 'failed', error: { kind: 'definition', code: 'INVALID_DEFINITION', message: `dataset.sha256: ${message}`, retryable: false } };
    return;
  }
  let lease;
  try {
    lease = await cache.acquire(spec.sha256);
  } catch (error) {
    yield { type: 'failed', error: fetchFailure(error, label) };
    return;
  }
  const fields = { dataset: label, sha256: spec.sha256, bytes: lease.bytes, ms: Math.round(lease.ms) };
  if (lease.fetched) log.info(fields, 'dataset fetched');
  else log.info(fields, 'dataset cached');
  try {
    yield* train();
  } finally {
    lease.release();
  }
}

/** Why a fetch failed, as the run's record says it: a database away can work next time, wrong bytes will not. */
export function fetchFailure(error: unknown, label: string): RunFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ChecksumMismatchError) return { kind: 'dataset', code: 'CHECKSUM_MISMATCH', message, retryable: false };
  // Chunks that do not add up to the stored size: damaged as surely as wrong bytes.
  if (error instanceof StoreError && error.code === 'INVALID') return { kind: 'dataset', code: 'CHECKSUM_MISMATCH', message: `dataset ${label}: ${message}`, retryable: false };
  if (error instanceof StoreError && error.code === 'NOT_FOUND') {
    return { kind: 'dataset', code: 'NOT_FOUND', message: `dataset ${label}: ${message}`, retryable: false };
  }
  return { kind: 'dataset', code: 'DATASET_FETCH_FAILED', message: `dataset ${label} could not be fetched: ${message}`, retryable: true };
}
