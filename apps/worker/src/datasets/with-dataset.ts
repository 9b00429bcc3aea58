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
  const lease = await leaseDataset(cache, definition, log);
  if ('failure' in lease) {
    yield { type: 'failed', error: lease.failure };
    return;
  }
  try {
    yield* train();
  } finally {
    lease.release();
  }
}

/**
 * A pack's training (its runs share one dataset: see packKey): the dataset is made local once
 * and held until every run's stream has ended. A fetch that fails fails every run.
 */
export async function trainPackWithDataset(
  cache: DatasetCache,
  members: { definition: ClaimedRun['definition']; log: Logger }[],
  train: () => Promise<AsyncIterable<RunEvent>[]>,
): Promise<AsyncIterable<RunEvent>[]> {
  const [first] = members;
  if (!first) return [];
  const lease = await leaseDataset(cache, first.definition, first.log);
  if ('failure' in lease) return members.map(() => only({ type: 'failed', error: lease.failure }));
  let streams: AsyncIterable<RunEvent>[];
  try {
    streams = await train();
  } catch (error) {
    lease.release();
    throw error;
  }
  let open = streams.length;
  const released = async function* (events: AsyncIterable<RunEvent>): AsyncGenerator<RunEvent> {
    try {
      yield* events;
    } finally {
      if (--open === 0) lease.release();
    }
  };
  return streams.map(released);
}

async function* only(event: RunEvent): AsyncGenerator<RunEvent> {
  yield event;
}

/**
 * Makes a run's registered dataset local and holds it in the cache until `release()` (a
 * built-in dataset needs nothing: its release does nothing), or says why it could not.
 */
export async function leaseDataset(cache: DatasetCache, definition: ClaimedRun['definition'], log: Logger): Promise<{ release: () => void } | { failure: RunFailure }> {
  const spec = definition.dataset;
  if (!isRegisteredDataset(spec)) return { release: () => undefined };
  const label = `${spec.name}@${spec.version ?? '?'}`;
  if (spec.sha256 === undefined) {
    const message = `dataset ${label} has no pinned sha256 (a definition written past the API); submit it again`;
    return { failure: { kind: 'definition', code: 'INVALID_DEFINITION', message: `dataset.sha256: ${message}`, retryable: false } };
  }
  try {
    const lease = await cache.acquire(spec.sha256);
    const fields = { dataset: label, sha256: spec.sha256, bytes: lease.bytes, ms: Math.round(lease.ms) };
    if (lease.fetched) log.info(fields, 'dataset fetched');
    else log.info(fields, 'dataset cached');
    return { release: () => lease.release() };
  } catch (error) {
    return { failure: fetchFailure(error, label) };
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
