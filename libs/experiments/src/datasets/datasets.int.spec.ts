import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetProfile } from '@trainyard/contract';
import { DatasetError } from '@trainyard/data';
import { makeZip, pngBytes } from '@trainyard/data/testing';
import { ExperimentRepository } from '../store/experiment.repository.js';
import { RunRepository } from '../store/run.repository.js';
import { StoreError } from '../store/store-error.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../store/testing/test-databases.js';
import { addDatasetVersion } from './add-dataset-version.js';
import { deleteDatasetVersion } from './delete-dataset-version.js';
import { getDataset, getDatasetVersion, listDatasets, readDatasetFile } from './read-datasets.js';

const MAX = 1024 * 1024;

function table(rows: number, offset = 0): string {
  const lines = ['size,color,price'];
  for (let i = 0; i < rows; i++) lines.push(`${i + offset},${i % 2 ? 'red' : 'blue'},${(i + offset) * 3}`);
  return `${lines.join('\n')}\n`;
}

/** The text or bytes as a stream of small pieces, as an HTTP body arrives. */
async function* body(content: string | Uint8Array, piece = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

function columnsOf(profile: DatasetProfile): Extract<DatasetProfile, { columns: unknown }>['columns'] {
  if (profile.format === 'images') throw new Error('a table was expected');
  return profile.columns;
}

/** A zip of class folders: `counts[i]` small PNGs in folder `class<i>`, each a flat colour. */
function imageZip(counts: number[]): Uint8Array {
  return makeZip(counts.flatMap((n, c) => Array.from({ length: n }, (_, i) => ({ path: `shapes/class${c}/${i}.png`, data: pngBytes(6, 4, () => [c * 100, i, 0]) }))));
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe.each(TEST_DATABASE_KINDS)('datasets on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  const blobCount = () => db.prisma.blob.count();
  const upload = (name: string, text: string, filename?: string) => addDatasetVersion(db.prisma, { name, body: body(text), maxBytes: MAX, ...(filename ? { filename } : {}) });

  it('makes version 1, the same version for the same bytes, version 2 for new bytes; one blob per content across names', async () => {
    const v1 = await upload('houses', table(30), 'houses.csv');
    expect(v1.created).toBe(true);
    expect(v1.version).toMatchObject({ name: 'houses', version: 1, sha256: sha256(table(30)), size: table(30).length, filename: 'houses.csv', format: 'csv', rows: 30, columns: 3, runs: 0 });
    expect(columnsOf(v1.version.profile).map((c) => [c.name, c.type])).toEqual([
      ['size', 'number'],
      ['color', 'category'],
      ['price', 'number'],
    ]);
    const blobs = await blobCount();

    const again = await upload('houses', table(30));
    expect(again).toEqual({ ...v1, created: false });
    expect(await blobCount()).toBe(blobs);

    const v2 = await upload('houses', table(31));
    expect(v2.version).toMatchObject({ version: 2, rows: 31, filename: null });
    expect(await blobCount()).toBe(blobs + 1);

    const other = await upload('copy', table(30));
    expect(other.version).toMatchObject({ name: 'copy', version: 1, sha256: v1.version.sha256 });
    expect(await blobCount()).toBe(blobs + 1);

    expect(await readAll((await readDatasetFile(db.prisma, 'houses', 1)).body)).toBe(table(30));
    const detail = await getDataset(db.prisma, 'houses');
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(await getDatasetVersion(db.prisma, 'houses', 1)).toEqual(v1.version);
  });

  it('stores a zip of class folders as a folder of images: classes and counts, sizes, thumbnails; the same bytes again are the same version', async () => {
    const zip = imageZip([3, 2]);
    const first = await addDatasetVersion(db.prisma, { name: 'shapes', body: body(zip, 100), maxBytes: MAX, filename: 'shapes.zip' });
    expect(first.version).toMatchObject({ name: 'shapes', version: 1, format: 'images', rows: 5, columns: 2, filename: 'shapes.zip' });
    expect(first.version.profile).toMatchObject({ format: 'images', archive: 'zip', images: 5, classes: [{ name: 'class0', count: 3 }, { name: 'class1', count: 2 }], width: { min: 6, max: 6 }, color: 'color' });
    expect((await getDatasetVersion(db.prisma, 'shapes', 1)).profile).toEqual(first.version.profile);
    const again = await addDatasetVersion(db.prisma, { name: 'shapes', body: body(zip, 100), maxBytes: MAX });
    expect(again).toMatchObject({ created: false, version: { version: 1 } });
  });

  it('refuses a folder of images with a corrupt image, naming it, and keeps nothing', async () => {
    const blobs = await blobCount();
    const zip = makeZip([{ path: 'a/1.png', data: pngBytes(2, 2, () => [0, 0, 0]) }, { path: 'b/broken.png', data: pngBytes(2, 2, () => [9, 9, 9]).subarray(0, 30) }]);
    await expect(addDatasetVersion(db.prisma, { name: 'broken-images', body: body(zip, 100), maxBytes: MAX })).rejects.toThrow(/'b\/broken\.png' could not be decoded as PNG/);
    expect(await blobCount()).toBe(blobs);
    await expect(getDataset(db.prisma, 'broken-images')).rejects.toBeInstanceOf(StoreError);
  });

  it('numbers concurrent uploads of one name 1, 2, 3... with no duplicate', async () => {
    const results = await Promise.all([0, 1, 2, 3].map((i) => upload('parallel', table(10 + i))));
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4]);
    expect(results.every((r) => r.created)).toBe(true);
  });

  it('leaves nothing behind for a file that does not parse, or one over the limit', async () => {
    const before = { blobs: await blobCount(), chunks: await db.prisma.blobChunk.count(), datasets: await db.prisma.dataset.count() };
    const after = async () => ({ blobs: await blobCount(), chunks: await db.prisma.blobChunk.count(), datasets: await db.prisma.dataset.count() });

    await expect(upload('broken', 'a,b\n')).rejects.toBeInstanceOf(DatasetError);
    await expect(upload('broken', 'a,b\n1,"unclosed\n')).rejects.toBeInstanceOf(DatasetError);
    expect(await after()).toEqual(before);

    const tooLarge = await addDatasetVersion(db.prisma, { name: 'big', body: body(table(200)), maxBytes: 100 }).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(StoreError);
    expect(tooLarge).toMatchObject({ code: 'TOO_LARGE' });
    expect(await after()).toEqual(before);
  });

  it('lists by name a page at a time, and only the datasets with given bytes', async () => {
    await upload('list-a', table(5));
    await upload('list-b', table(6));
    await upload('list-c', table(5));
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDatasets(db.prisma, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c', 'houses']));

    const same = await listDatasets(db.prisma, { sha256: sha256(table(5)) });
    expect(same.items.map((item) => item.name)).toEqual(['list-a', 'list-c']);
    expect(same.items[0]).toMatchObject({ versions: 1, runs: 0, latest: { version: 1, rows: 5 } });
  });

  it('says what exists when a dataset or version does not', async () => {
    await expect(getDataset(db.prisma, 'nothing')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no dataset named "nothing"' });
    await expect(getDatasetVersion(db.prisma, 'houses', 9)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no version houses@9: houses has versions 1 to 2' });
    await expect(readDatasetFile(db.prisma, 'houses', 9)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to delete a version a run used, and deletes an unused one with its bytes and its empty dataset', async () => {
    const used = await upload('pinned', table(8));
    const experiment = await new ExperimentRepository(db.prisma).create({
      name: 'on pinned',
      definition: {},
      specHash: 'x',
      dataset: 'pinned',
      datasetVersionId: (await db.prisma.datasetVersion.findFirstOrThrow({ where: { sha256: used.version.sha256, dataset: { name: 'pinned' } } })).id,
    });
    await new RunRepository(db.prisma).createQueued({ experimentId: experiment.id, seed: 1, epochs: 1 });
    await new RunRepository(db.prisma).createQueued({ experimentId: experiment.id, seed: 1, epochs: 1 });
    await expect(deleteDatasetVersion(db.prisma, 'pinned', 1)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/pinned@1 cannot be deleted: 2 run\(s\) trained on it/) });
    expect((await getDatasetVersion(db.prisma, 'pinned', 1)).runs).toBe(2);
    expect((await listDatasets(db.prisma, { sha256: used.version.sha256 })).items.find((d) => d.name === 'pinned')?.runs).toBe(2);

    const unused = await upload('lonely', table(9));
    const blobs = await blobCount();
    await deleteDatasetVersion(db.prisma, 'lonely', 1);
    expect(await blobCount()).toBe(blobs - 1);
    expect(await db.prisma.dataset.count({ where: { name: 'lonely' } })).toBe(0);
    expect(await db.prisma.blob.count({ where: { sha256: unused.version.sha256 } })).toBe(0);

    // Bytes another dataset has stay.
    await upload('shared-1', table(11));
    await upload('shared-2', table(11));
    await deleteDatasetVersion(db.prisma, 'shared-1', 1);
    expect(await readAll((await readDatasetFile(db.prisma, 'shared-2', 1)).body)).toBe(table(11));
    await expect(deleteDatasetVersion(db.prisma, 'shared-1', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
