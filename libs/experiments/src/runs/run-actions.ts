import { parseDefinition, type SubmissionResponse } from '@trainyard/contract';
import type { PrismaClient } from '../store/prisma-client.js';
import { RunRepository } from '../store/run.repository.js';
import { StoreError } from '../store/store-error.js';
import type { RunStatus } from './run-ledger.js';
import { assertSubmittable, enqueue, type SubmissionDeps } from './submit-runs.js';

export interface CancelDeps {
  prisma: PrismaClient;
  queue: { remove(runId: string): Promise<boolean> };
  bus: { publishCancel(runId: string): Promise<void> };
}

/**
 * Cancels a run: a queued one at once (its job is removed, the row is CANCELLED), a running
 * one by flagging it and telling its worker, which stops within a batch and records
 * CANCELLED with the epochs so far. A finished run is left as it is.
 */
export async function cancelRun(runId: string, deps: CancelDeps): Promise<{ id: string; status: RunStatus }> {
  const found = await new RunRepository(deps.prisma).requestCancel(runId);
  if (found === 'QUEUED') {
    await deps.queue.remove(runId);
    return { id: runId, status: 'CANCELLED' };
  }
  if (found === 'RUNNING') await deps.bus.publishCancel(runId);
  return { id: runId, status: found };
}

/**
 * Queues the run's definition again with the same seed. The new run records the one it
 * reproduces; when it finishes, the record says whether every epoch metric matched. The
 * stored definition is checked as a new submission is (schema and this server's limits):
 * a run recorded before a rule existed (one that named a CSV file, say) is not run again.
 */
export async function rerunRun(runId: string, deps: SubmissionDeps): Promise<SubmissionResponse> {
  const runs = new RunRepository(deps.prisma);
  const original = await runs.get(runId);
  if (!original) throw new StoreError('NOT_FOUND', `no run ${runId}`);
  const stored = original.definition;
  const definition = parseDefinition(typeof stored === 'object' && stored !== null ? { ...stored, seed: original.seed } : stored);
  assertSubmittable(definition, deps.limits);
  const created = await runs.createQueued({
    experimentId: original.experimentId,
    seed: original.seed,
    epochs: original.epochs,
    reproducesRunId: original.id,
  });
  return { runs: await enqueue(deps, [{ id: created.id, name: original.name, status: 'QUEUED', seed: original.seed }]) };
}
