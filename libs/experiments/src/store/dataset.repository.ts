import { datasetProfileSchema, type DatasetProfile } from '@trainyard/contract';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageSize } from './paging.js';
import { Prisma, type DbClient } from './prisma-client.js';
import { storeCall } from './store-error.js';

/** A dataset version as lists show it (no profile). */
export interface DatasetVersionRow {
  id: string;
  datasetId: string;
  name: string;
  version: number;
  sha256: string;
  blobId: string;
  size: number;
  filename: string | null;
  format: DatasetProfile['format'];
  /** Rows of a table, images of a folder of images. */
  rows: number;
  /** Columns of a table, classes of a folder of images. */
  columnCount: number;
  createdAt: Date;
}

export interface DatasetVersionWithProfile extends DatasetVersionRow {
  profile: DatasetProfile;
}

export interface DatasetRow {
  id: string;
  name: string;
  createdAt: Date;
}

export interface DatasetListRow extends DatasetRow {
  versions: number;
  latest: DatasetVersionRow;
}

export interface NewDatasetVersion {
  datasetId: string;
  version: number;
  sha256: string;
  blobId: string;
  size: number;
  filename: string | null;
  profile: DatasetProfile;
}

const VERSION_COLUMNS = {
  id: true,
  datasetId: true,
  version: true,
  sha256: true,
  blobId: true,
  size: true,
  filename: true,
  format: true,
  rows: true,
  columnCount: true,
  createdAt: true,
  dataset: { select: { name: true } },
} as const;

type VersionSelected = Prisma.DatasetVersionGetPayload<{ select: typeof VERSION_COLUMNS }>;

const formatSchema = z.enum(['csv', 'tsv', 'images']);
const listCursorSchema = z.object({ n: z.string() });

function toVersionRow({ dataset, format, ...row }: VersionSelected): DatasetVersionRow {
  return { ...row, name: dataset.name, format: formatSchema.parse(format) };
}

/** The stored profile, checked against the contract's schema (a row written by an older or broken server says so). */
function parseProfile(raw: unknown, label: string): DatasetProfile {
  const parsed = datasetProfileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`dataset ${label}: its stored profile is not valid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/** Registered datasets and their immutable versions (the bytes are in the BlobStore). */
export class DatasetRepository {
  constructor(private readonly db: DbClient) {}

  findDataset(name: string): Promise<DatasetRow | null> {
    return storeCall('finding a dataset', () => this.db.dataset.findUnique({ where: { name }, select: { id: true, name: true, createdAt: true } }));
  }

  /** One version of a dataset with its profile; its latest when `version` is undefined. Null: no such dataset or version. */
  async findVersion(name: string, version?: number): Promise<DatasetVersionWithProfile | null> {
    const row = await storeCall('finding a dataset version', () =>
      this.db.datasetVersion.findFirst({
        where: { dataset: { name }, ...(version === undefined ? {} : { version }) },
        orderBy: { version: 'desc' },
        select: { ...VERSION_COLUMNS, profile: true },
      }),
    );
    if (!row) return null;
    const { profile, ...rest } = row;
    return { ...toVersionRow(rest), profile: parseProfile(profile, `${name}@${row.version}`) };
  }

  /** The version of this dataset with these bytes, if any. */
  async findVersionBySha(datasetId: string, sha256: string): Promise<DatasetVersionWithProfile | null> {
    const row = await storeCall('finding a dataset version', () =>
      this.db.datasetVersion.findUnique({ where: { datasetId_sha256: { datasetId, sha256 } }, select: { ...VERSION_COLUMNS, profile: true } }),
    );
    if (!row) return null;
    const { profile, ...rest } = row;
    return { ...toVersionRow(rest), profile: parseProfile(profile, `${rest.dataset.name}@${row.version}`) };
  }

  /** The profile some version (of any dataset) stored for these bytes: the same bytes need not be parsed twice. */
  async profileOfBytes(sha256: string): Promise<DatasetProfile | null> {
    const row = await storeCall('finding a profile', () => this.db.datasetVersion.findFirst({ where: { sha256 }, select: { profile: true } }));
    return row ? parseProfile(row.profile, sha256) : null;
  }

  /** Every version of a dataset, newest first. */
  async versions(datasetId: string): Promise<DatasetVersionRow[]> {
    const rows = await storeCall('listing dataset versions', () =>
      this.db.datasetVersion.findMany({ where: { datasetId }, orderBy: { version: 'desc' }, select: VERSION_COLUMNS }),
    );
    return rows.map(toVersionRow);
  }

  /** The version numbers of a dataset, ascending (for messages that say which exist). */
  async versionNumbers(name: string): Promise<number[]> {
    const rows = await storeCall('listing dataset versions', () =>
      this.db.datasetVersion.findMany({ where: { dataset: { name } }, orderBy: { version: 'asc' }, select: { version: true } }),
    );
    return rows.map((row) => row.version);
  }

  /** Up to `limit` dataset names, sorted, and how many there are. */
  async someNames(limit: number): Promise<{ names: string[]; total: number }> {
    const [rows, total] = await Promise.all([
      storeCall('listing datasets', () => this.db.dataset.findMany({ orderBy: { name: 'asc' }, take: limit, select: { name: true } })),
      storeCall('counting datasets', () => this.db.dataset.count()),
    ]);
    return { names: rows.map((row) => row.name), total };
  }

  /**
   * A page of datasets by name (50 unless `limit` says, at most 200), each with its latest
   * version and how many versions it has; only those with a version of `sha256` when given.
   */
  async list(options: { limit?: number; cursor?: string; sha256?: string }): Promise<{ items: DatasetListRow[]; nextCursor: string | null }> {
    const limit = pageSize(options.limit);
    const after = options.cursor ? decodeCursor(options.cursor, listCursorSchema).n : undefined;
    const rows = await storeCall('listing datasets', () =>
      this.db.dataset.findMany({
        where: {
          ...(after === undefined ? {} : { name: { gt: after } }),
          ...(options.sha256 === undefined ? {} : { versions: { some: { sha256: options.sha256 } } }),
        },
        orderBy: { name: 'asc' },
        take: limit + 1,
        select: {
          id: true,
          name: true,
          createdAt: true,
          _count: { select: { versions: true } },
          versions: { orderBy: { version: 'desc' }, take: 1, select: VERSION_COLUMNS },
        },
      }),
    );
    const items = rows.slice(0, limit).flatMap(({ _count, versions: [latest], ...dataset }) =>
      // A dataset without versions exists only inside the transaction that deletes it.
      latest ? [{ ...dataset, versions: _count.versions, latest: toVersionRow(latest) }] : [],
    );
    const last = rows.slice(0, limit).at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ n: last.name }) : null };
  }

  /** Runs of the experiments that pinned each of these versions. */
  async runsByVersion(versionIds: string[]): Promise<Map<string, number>> {
    if (versionIds.length === 0) return new Map();
    const ids = Prisma.join(versionIds.map((id) => Prisma.sql`${id}::uuid`));
    const rows = await storeCall('counting runs of dataset versions', () =>
      this.db.$queryRaw<{ id: string; runs: number }[]>`SELECT e."datasetVersionId"::text AS "id", count(r."id")::int AS "runs"
        FROM "Experiment" e JOIN "Run" r ON r."experimentId" = e."id"
        WHERE e."datasetVersionId" IN (${ids}) GROUP BY e."datasetVersionId"`,
    );
    return new Map(rows.map((row) => [row.id, Number(row.runs)]));
  }

  /** Runs of the experiments that pinned any version of each of these datasets. */
  async runsByDataset(datasetIds: string[]): Promise<Map<string, number>> {
    if (datasetIds.length === 0) return new Map();
    const ids = Prisma.join(datasetIds.map((id) => Prisma.sql`${id}::uuid`));
    const rows = await storeCall('counting runs of datasets', () =>
      this.db.$queryRaw<{ id: string; runs: number }[]>`SELECT v."datasetId"::text AS "id", count(r."id")::int AS "runs"
        FROM "DatasetVersion" v JOIN "Experiment" e ON e."datasetVersionId" = v."id" JOIN "Run" r ON r."experimentId" = e."id"
        WHERE v."datasetId" IN (${ids}) GROUP BY v."datasetId"`,
    );
    return new Map(rows.map((row) => [row.id, Number(row.runs)]));
  }

  /** Experiments that pinned a version (a version with any cannot be deleted). */
  pinningExperiments(versionId: string): Promise<number> {
    return storeCall('counting experiments of a dataset version', () => this.db.experiment.count({ where: { datasetVersionId: versionId } }));
  }

  /** The dataset row, created when the name is new. */
  async ensureDataset(name: string): Promise<DatasetRow> {
    return storeCall(`creating dataset ${name}`, () =>
      this.db.dataset.upsert({ where: { name }, create: { name }, update: {}, select: { id: true, name: true, createdAt: true } }),
    );
  }

  /** The highest version number of a dataset (0: none yet). */
  async lastVersion(datasetId: string): Promise<number> {
    const { _max } = await storeCall('reading the last dataset version', () => this.db.datasetVersion.aggregate({ where: { datasetId }, _max: { version: true } }));
    return _max.version ?? 0;
  }

  /** Throws StoreError CONFLICT when the version number or the bytes exist for this dataset already. */
  async createVersion(input: NewDatasetVersion): Promise<DatasetVersionWithProfile> {
    const row = await storeCall(`creating a dataset version`, () =>
      this.db.datasetVersion.create({
        data: {
          datasetId: input.datasetId,
          version: input.version,
          sha256: input.sha256,
          blobId: input.blobId,
          size: input.size,
          filename: input.filename,
          format: input.profile.format,
          rows: input.profile.format === 'images' ? input.profile.images : input.profile.rows,
          columnCount: input.profile.format === 'images' ? input.profile.classes.length : input.profile.columns.length,
          profile: input.profile as unknown as Prisma.InputJsonValue,
        },
        select: VERSION_COLUMNS,
      }),
    );
    return { ...toVersionRow(row), profile: input.profile };
  }

  async deleteVersion(id: string): Promise<void> {
    await storeCall('deleting a dataset version', () => this.db.datasetVersion.delete({ where: { id }, select: { id: true } }));
  }

  /** Deletes the dataset when it has no version left; returns whether it did. */
  async deleteDatasetIfEmpty(datasetId: string): Promise<boolean> {
    const { count } = await storeCall('deleting a dataset', () => this.db.dataset.deleteMany({ where: { id: datasetId, versions: { none: {} } } }));
    return count > 0;
  }

  /** Deletes the blob (and its chunks) when no version uses it; returns whether it did. */
  async deleteBlobIfUnused(blobId: string): Promise<boolean> {
    const { count } = await storeCall('deleting a blob', () => this.db.blob.deleteMany({ where: { id: blobId, versions: { none: {} } } }));
    return count > 0;
  }
}
