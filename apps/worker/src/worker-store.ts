import { isUnavailableError, PrismaBlobStore, PrismaRunLedger, RunRepository, StoreError, type PrismaClient, type RunLedger } from '@trainyard/experiments';
import type { DatasetSource } from './datasets/dataset-cache.js';

/** What the worker reads and writes in the database; the only file of the worker that knows Prisma is behind it. */
export interface WorkerStore {
  ledger: RunLedger;
  runs: Pick<RunRepository, 'findQueued' | 'findStale' | 'findQueuedSweepSiblings'>;
  /** Registered datasets' bytes, by sha256 (fetched into the worker's cache). */
  blobs: DatasetSource;
}

export function workerStore(prisma: PrismaClient): WorkerStore {
  return { ledger: new PrismaRunLedger(prisma), runs: new RunRepository(prisma), blobs: new PrismaBlobStore(prisma) };
}

/** PostgreSQL (or PGlite) unreachable right now: worth waiting for, not a reason to fail a run. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreError ? error.code === 'UNAVAILABLE' : isUnavailableError(error);
}
