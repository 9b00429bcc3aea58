import { isUnavailableError, PrismaRunLedger, RunRepository, StoreError, type PrismaClient, type RunLedger } from '@trainyard/experiments';

/** What the worker reads and writes in the database; the only file of the worker that knows Prisma is behind it. */
export interface WorkerStore {
  ledger: RunLedger;
  runs: Pick<RunRepository, 'findQueued' | 'findStale'>;
}

export function workerStore(prisma: PrismaClient): WorkerStore {
  return { ledger: new PrismaRunLedger(prisma), runs: new RunRepository(prisma) };
}

/**
 * PostgreSQL (or PGlite) unreachable right now: worth waiting for, not a reason to fail a run.
 * Besides StoreError UNAVAILABLE this also looks where Prisma 7 puts the driver's error for
 * raw queries and transactions (`meta.driverAdapterError.cause`, e.g. SQLSTATE 57P01 when
 * the server shuts down mid-query): the store's mapping does not see it there yet, and a
 * write that failed that way must wait, not fail the run.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreError) return error.code === 'UNAVAILABLE' || isUnavailableError(driverCause(error.cause));
  return isUnavailableError(error) || isUnavailableError(driverCause(error));
}

function driverCause(error: unknown): unknown {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta;
  return meta?.driverAdapterError?.cause;
}
