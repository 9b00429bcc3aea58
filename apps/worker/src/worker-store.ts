import { isUnavailableError, PrismaRunLedger, RunRepository, StoreError, type PrismaClient, type RunLedger } from '@trainyard/experiments';

/** What the worker reads and writes in the database; the only file of the worker that knows Prisma is behind it. */
export interface WorkerStore {
  ledger: RunLedger;
  runs: Pick<RunRepository, 'findQueued' | 'findStale'>;
}

export function workerStore(prisma: PrismaClient): WorkerStore {
  return { ledger: new PrismaRunLedger(prisma), runs: new RunRepository(prisma) };
}

/** PostgreSQL (or PGlite) unreachable right now: worth waiting for, not a reason to fail a run. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreError ? error.code === 'UNAVAILABLE' : isUnavailableError(error);
}
