import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaBlobStore, rechunk } from './blob-store.js';
import { StoreError } from './store-error.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';

const CHUNK = 64 * 1024;

/** `bytes` as pieces of awkward sizes (not multiples of the chunk size). */
async function* pieces(bytes: Uint8Array, size = 10_007): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('rechunk', () => {
  it('cuts any pieces into chunks of exactly the size, the last one shorter', async () => {
    const bytes = randomBytes(25);
    const chunks: Uint8Array[] = [];
    for await (const chunk of rechunk(pieces(bytes, 3), 10)) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(Buffer.concat(chunks)).toEqual(bytes);
  });
});

describe.each(TEST_DATABASE_KINDS)('PrismaBlobStore on %s', (kind) => {
  let db: TestDatabase;
  let blobs: PrismaBlobStore;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    blobs = new PrismaBlobStore(db.prisma, CHUNK);
  });
  afterAll(() => db.close());

  const rowCounts = async () => ({ blobs: await db.prisma.blob.count(), chunks: await db.prisma.blobChunk.count() });

  it('stores a multi-chunk file in chunk rows and reads back the same bytes, a chunk at a time', async () => {
    const bytes = randomBytes(5 * CHUNK + 123);
    const stored = await blobs.put(pieces(bytes), { maxBytes: 10 * CHUNK });
    expect(stored).toMatchObject({ sha256: sha256(bytes), size: bytes.length, created: true });
    expect(await db.prisma.blobChunk.count({ where: { blobId: stored.id } })).toBe(6);

    const sizes: number[] = [];
    const back: Uint8Array[] = [];
    for await (const chunk of blobs.open(stored.sha256)) {
      sizes.push(chunk.length);
      back.push(chunk);
    }
    expect(sizes).toEqual([CHUNK, CHUNK, CHUNK, CHUNK, CHUNK, 123]);
    expect(Buffer.concat(back).equals(bytes)).toBe(true);
    await blobs.delete(stored.id);
  });

  it('keeps one blob for the same bytes, sequential or concurrent', async () => {
    const bytes = randomBytes(2 * CHUNK + 5);
    const before = await rowCounts();
    const first = await blobs.put(pieces(bytes), { maxBytes: 10 * CHUNK });
    const again = await blobs.put(pieces(bytes, 999), { maxBytes: 10 * CHUNK });
    expect(again).toEqual({ ...first, created: false });
    const concurrent = await Promise.all([1, 2, 3].map(() => blobs.put(pieces(bytes), { maxBytes: 10 * CHUNK })));
    expect(new Set(concurrent.map((b) => b.id))).toEqual(new Set([first.id]));
    expect(await rowCounts()).toEqual({ blobs: before.blobs + 1, chunks: before.chunks + 3 });
    await blobs.delete(first.id);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses an upload past the limit with TOO_LARGE and leaves no row', async () => {
    const before = await rowCounts();
    const error = await blobs.put(pieces(randomBytes(3 * CHUNK)), { maxBytes: 2 * CHUNK + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'TOO_LARGE' });
    expect((error as Error).message).toMatch(/larger than the limit/);
    expect(await rowCounts()).toEqual(before);
  });

  it('leaves no row when the source fails half way', async () => {
    const before = await rowCounts();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(CHUNK);
      yield randomBytes(CHUNK);
      throw new Error('the client went away');
    }
    await expect(blobs.put(failing(), { maxBytes: 10 * CHUNK })).rejects.toThrow('the client went away');
    expect(await rowCounts()).toEqual(before);
  });

  it('stores an empty file and opens it as no chunk', async () => {
    const stored = await blobs.put(pieces(new Uint8Array(0)), { maxBytes: 10 });
    expect(stored).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
    expect((await readAll(blobs.open(stored.sha256))).length).toBe(0);
    await blobs.delete(stored.id);
  });

  it('says NOT_FOUND for bytes it does not have, and deletes abandoned uploads', async () => {
    await expect(readAll(blobs.open('0'.repeat(64)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const abandoned = await db.prisma.blob.create({ data: { createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000) } });
    const fresh = await db.prisma.blob.create({ data: {} });
    expect(await blobs.deleteStaleUploads()).toBe(1);
    expect(await db.prisma.blob.findUnique({ where: { id: abandoned.id } })).toBeNull();
    expect(await db.prisma.blob.findUnique({ where: { id: fresh.id } })).not.toBeNull();
    await blobs.delete(fresh.id);
  });
});
