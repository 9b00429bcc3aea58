import type { DatasetProfile, DatasetUploadResponse } from '@trainyard/contract';
import { profileUpload } from '@trainyard/data';
import { PrismaBlobStore, type StoredBlob } from '../store/blob-store.js';
import { DatasetRepository } from '../store/dataset.repository.js';
import type { PrismaClient } from '../store/prisma-client.js';
import { checkDatasetName } from './check-dataset-name.js';
import { lockDatasetName } from './dataset-lock.js';
import { toVersionDetail } from './dataset-views.js';

export interface DatasetUpload {
  name: string;
  /** The uploaded file's own name, kept for people. */
  filename?: string;
  /** The bytes, streamed: never held whole. */
  body: AsyncIterable<Uint8Array>;
  /** StoreError TOO_LARGE past this (nothing is kept). */
  maxBytes: number;
}

/**
 * Uploads a table or a folder of images (a zip or tar archive) under a name: streams it into the
 * blob store (hashing as it goes), profiles it (a table's every row: column types and
 * statistics; an archive's every image: classes, sizes) and records it as the next
 * version, or answers with the version that has these bytes already (created: false). A file
 * that does not parse throws the DatasetError and leaves nothing behind; so does a failure
 * of any kind. Uploads of one name at once take version numbers one after the other.
 */
export async function addDatasetVersion(prisma: PrismaClient, input: DatasetUpload): Promise<DatasetUploadResponse> {
  checkDatasetName(input.name);
  const blobs = new PrismaBlobStore(prisma);
  const repository = new DatasetRepository(prisma);
  const blob = await blobs.put(input.body, { maxBytes: input.maxBytes });
  try {
    if (!blob.created) {
      // Bytes stored before: under this name they are a version already (nothing to parse).
      const dataset = await repository.findDataset(input.name);
      const existing = dataset ? await repository.findVersionBySha(dataset.id, blob.sha256) : null;
      if (existing) return { created: false, version: toVersionDetail(existing, (await repository.runsByVersion([existing.id])).get(existing.id) ?? 0) };
    }
    const profile = (blob.created ? null : await repository.profileOfBytes(blob.sha256)) ?? (await profileUpload(() => blobs.open(blob.sha256)));
    return await recordVersion(prisma, input, blob, profile);
  } catch (error) {
    // A version of another name (or a concurrent upload of the same bytes) may use the blob: then it stays.
    await repository.deleteBlobIfUnused(blob.id).catch(() => undefined);
    throw error;
  }
}

async function recordVersion(prisma: PrismaClient, input: DatasetUpload, blob: StoredBlob, profile: DatasetProfile): Promise<DatasetUploadResponse> {
  return prisma.$transaction(async (tx) => {
    await lockDatasetName(tx, input.name);
    const repository = new DatasetRepository(tx);
    const dataset = await repository.ensureDataset(input.name);
    const existing = await repository.findVersionBySha(dataset.id, blob.sha256);
    if (existing) return { created: false, version: toVersionDetail(existing, (await repository.runsByVersion([existing.id])).get(existing.id) ?? 0) };
    const version = await repository.createVersion({
      datasetId: dataset.id,
      version: (await repository.lastVersion(dataset.id)) + 1,
      sha256: blob.sha256,
      blobId: blob.id,
      size: blob.size,
      filename: input.filename ?? null,
      profile,
    });
    return { created: true, version: toVersionDetail(version, 0) };
  });
}
