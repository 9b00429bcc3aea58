import type { datasetListQuerySchema, DatasetDetailResponse, DatasetListResponse, DatasetVersionDetail } from '@trainyard/contract';
import type { z } from 'zod';
import { PrismaBlobStore } from '../store/blob-store.js';
import { DatasetRepository, type DatasetVersionWithProfile } from '../store/dataset.repository.js';
import type { PrismaClient } from '../store/prisma-client.js';
import { StoreError } from '../store/store-error.js';
import { datasetLabel, toVersionDetail, toVersionView } from './dataset-views.js';

/** `GET /api/datasets`: a page by name; `sha256`: only the datasets with a version of these bytes. */
export type DatasetListQuery = Partial<z.output<typeof datasetListQuerySchema>>;

/** A page of datasets by name, each with its latest version, how many versions and how many runs used any. */
export async function listDatasets(prisma: PrismaClient, query: DatasetListQuery): Promise<DatasetListResponse> {
  const repository = new DatasetRepository(prisma);
  const page = await repository.list({
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    ...(query.sha256 === undefined ? {} : { sha256: query.sha256 }),
  });
  const [byDataset, byVersion] = await Promise.all([
    repository.runsByDataset(page.items.map((item) => item.id)),
    repository.runsByVersion(page.items.map((item) => item.latest.id)),
  ]);
  return {
    items: page.items.map((item) => ({
      name: item.name,
      createdAt: item.createdAt.toISOString(),
      versions: item.versions,
      runs: byDataset.get(item.id) ?? 0,
      latest: toVersionView(item.latest, byVersion.get(item.latest.id) ?? 0),
    })),
    nextCursor: page.nextCursor,
  };
}

/** A dataset with every version, newest first; StoreError NOT_FOUND when there is none of that name. */
export async function getDataset(prisma: PrismaClient, name: string): Promise<DatasetDetailResponse> {
  const repository = new DatasetRepository(prisma);
  const dataset = await repository.findDataset(name);
  if (!dataset) throw new StoreError('NOT_FOUND', `no dataset named "${name}"`);
  const versions = await repository.versions(dataset.id);
  const runs = await repository.runsByVersion(versions.map((v) => v.id));
  return {
    name: dataset.name,
    createdAt: dataset.createdAt.toISOString(),
    versions: versions.map((v) => toVersionView(v, runs.get(v.id) ?? 0)),
  };
}

/** One version with its profile; StoreError NOT_FOUND naming the versions that exist. */
export async function getDatasetVersion(prisma: PrismaClient, name: string, version: number): Promise<DatasetVersionDetail> {
  const repository = new DatasetRepository(prisma);
  const row = await findVersionOrThrow(repository, name, version);
  const runs = await repository.runsByVersion([row.id]);
  return toVersionDetail(row, runs.get(row.id) ?? 0);
}

/** The exact bytes of a version, streamed a chunk at a time from the database. */
export async function readDatasetFile(
  prisma: PrismaClient,
  name: string,
  version: number,
): Promise<{ sha256: string; size: number; filename: string | null; body: AsyncIterable<Uint8Array> }> {
  const row = await findVersionOrThrow(new DatasetRepository(prisma), name, version);
  return { sha256: row.sha256, size: row.size, filename: row.filename, body: new PrismaBlobStore(prisma).open(row.sha256) };
}

export async function findVersionOrThrow(repository: DatasetRepository, name: string, version: number): Promise<DatasetVersionWithProfile> {
  const row = await repository.findVersion(name, version);
  if (row) return row;
  const versions = await repository.versionNumbers(name);
  if (versions.length === 0) throw new StoreError('NOT_FOUND', `no dataset named "${name}"`);
  throw new StoreError('NOT_FOUND', `no version ${datasetLabel(name, version)}: ${name} has ${describeVersions(versions)}`);
}

/** "version 1" / "versions 1 to 3" / "versions 1, 2, 5". */
export function describeVersions(versions: number[]): string {
  if (versions.length === 1) return `version ${versions[0]}`;
  const first = versions[0] ?? 0;
  const last = versions.at(-1) ?? 0;
  if (last - first + 1 === versions.length) return `versions ${first} to ${last}`;
  return `versions ${versions.join(', ')}`;
}
