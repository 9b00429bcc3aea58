import { DatasetRepository } from '../store/dataset.repository.js';
import type { PrismaClient } from '../store/prisma-client.js';
import { StoreError } from '../store/store-error.js';
import { lockDatasetName } from './dataset-lock.js';
import { datasetLabel } from './dataset-views.js';
import { findVersionOrThrow } from './read-datasets.js';

/**
 * Deletes a version no run used: its bytes too when no other version has them, and the
 * dataset when it has no version left. StoreError CONFLICT (saying how many runs) when an
 * experiment pinned it; NOT_FOUND when there is no such version.
 */
export async function deleteDatasetVersion(prisma: PrismaClient, name: string, version: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await lockDatasetName(tx, name);
    const repository = new DatasetRepository(tx);
    const row = await findVersionOrThrow(repository, name, version);
    const label = datasetLabel(name, version);
    const experiments = await repository.pinningExperiments(row.id);
    if (experiments > 0) {
      const runs = (await repository.runsByVersion([row.id])).get(row.id) ?? 0;
      throw new StoreError('CONFLICT', `dataset ${label} cannot be deleted: ${runs} run(s) trained on it (${experiments} experiment(s) pin it), and their records name it`);
    }
    try {
      await repository.deleteVersion(row.id);
    } catch (error) {
      // A submission pinned it between the count and the delete (the foreign key refuses).
      if (isForeignKeyViolation(error)) throw new StoreError('CONFLICT', `dataset ${label} cannot be deleted: a run was just submitted on it`, { cause: error });
      throw error;
    }
    await repository.deleteBlobIfUnused(row.blobId);
    await repository.deleteDatasetIfEmpty(row.datasetId);
  });
}

function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { kind?: unknown; originalCode?: unknown } } | null;
  return e?.code === 'P2003' || e?.code === '23503' || e?.cause?.kind === 'ForeignKeyConstraintViolation' || e?.cause?.originalCode === '23503';
}
