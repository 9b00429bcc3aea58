import { createHash } from 'node:crypto';
import type { DbClient, PrismaClient } from './prisma-client.js';
import { storeCall, StoreError, toStoreError } from './store-error.js';

/*
 * Files kept in the database (a dataset version's bytes), in both modes: PostgreSQL in team
 * mode, PGlite embedded. A blob is a row with its sha256 and size, and its bytes are rows of
 * BLOB_CHUNK_BYTES each, so that neither an upload nor a download ever holds a whole file.
 */

/**
 * Bytes per chunk row: what an upload or a download holds in memory at a time. Small, because
 * Prisma keeps the arguments of its last hundred calls (a debug history kept even without
 * DEBUG): with 4 MiB chunks a 100 MB upload left ~550 MiB behind, with 256 KiB it is bounded
 * by ~35 MiB whatever the file's size (bench/datasets.ts measures it).
 */
export const BLOB_CHUNK_BYTES = 256 * 1024;

/** An upload whose blob is still incomplete this long after it began is abandoned (a crashed server): deleted. */
export const STALE_UPLOAD_MS = 60 * 60 * 1000;

export interface StoredBlob {
  id: string;
  sha256: string;
  size: number;
  /** false: a complete blob with these bytes existed already; it is returned and nothing new is kept. */
  created: boolean;
}

export interface BlobStore {
  /**
   * Streams `chunks` into a new blob, hashing as it goes. Past `maxBytes` it throws
   * StoreError TOO_LARGE; on any failure (the source's too) nothing of it is kept. Bytes that
   * are stored already give the existing blob (created: false).
   */
  put(chunks: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob>;
  /** The bytes of the complete blob with this sha256, a chunk at a time; StoreError NOT_FOUND when there is none. */
  open(sha256: string): AsyncIterable<Uint8Array>;
  /** Deletes a blob and its chunks (nothing when it is gone already). */
  delete(id: string): Promise<void>;
  /** Deletes incomplete uploads older than `olderThanMs`; returns how many. */
  deleteStaleUploads(olderThanMs?: number): Promise<number>;
}

/** Splits a stream of byte arrays of any size into arrays of exactly `size` bytes (the last one shorter); one buffer at a time. */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        // A new buffer each time: the one yielded may still be read (a query being sent).
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.slice(0, filled);
}

export class PrismaBlobStore implements BlobStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly chunkBytes = BLOB_CHUNK_BYTES,
  ) {}

  async put(chunks: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob> {
    // Uploads a crashed server left behind go on the next upload.
    await this.deleteStaleUploads();
    const blob = await storeCall('starting an upload', () => this.db.blob.create({ data: {}, select: { id: true } }));
    try {
      const hash = createHash('sha256');
      let size = 0;
      let index = 0;
      for await (const chunk of rechunk(limited(chunks, options.maxBytes), this.chunkBytes)) {
        hash.update(chunk);
        size += chunk.length;
        const at = index++;
        await storeCall('writing an upload', () => writeChunk(this.db, blob.id, at, chunk));
      }
      return await this.complete(blob.id, hash.digest('hex'), size);
    } catch (error) {
      await this.delete(blob.id).catch(() => undefined); // else the stale-upload cleanup gets it
      // The database's own errors are mapped where they happen (storeCall); the source's (a
      // client that went away mid-upload) pass as they are, not as an unreachable database.
      throw error;
    }
  }

  /** Marks the blob complete, or drops it for the complete one that has these bytes already. */
  private async complete(id: string, sha256: string, size: number): Promise<StoredBlob> {
    const existing = await this.findComplete(sha256);
    if (existing) {
      await this.delete(id);
      return { ...existing, created: false };
    }
    try {
      await this.db.blob.update({ where: { id }, data: { sha256, size }, select: { id: true } });
      return { id, sha256, size, created: true };
    } catch (error) {
      const mapped = toStoreError(error, 'completing an upload');
      // The same bytes completed by a concurrent upload in the meantime: theirs is kept.
      const winner = mapped instanceof StoreError && mapped.code === 'CONFLICT' ? await this.findComplete(sha256) : null;
      if (!winner) throw mapped;
      await this.delete(id);
      return { ...winner, created: false };
    }
  }

  private async findComplete(sha256: string): Promise<{ id: string; sha256: string; size: number } | null> {
    const row = await storeCall('finding a blob', () => this.db.blob.findUnique({ where: { sha256 }, select: { id: true, size: true } }));
    return row ? { id: row.id, sha256, size: row.size } : null;
  }

  open(sha256: string): AsyncIterable<Uint8Array> {
    return readChunks(this.db, sha256);
  }

  async delete(id: string): Promise<void> {
    await storeCall('deleting a blob', () => this.db.blob.deleteMany({ where: { id } }));
  }

  async deleteStaleUploads(olderThanMs = STALE_UPLOAD_MS): Promise<number> {
    const before = new Date(Date.now() - olderThanMs);
    const { count } = await storeCall('deleting abandoned uploads', () => this.db.blob.deleteMany({ where: { sha256: null, createdAt: { lt: before } } }));
    return count;
  }
}

/** Fails with TOO_LARGE as soon as the source passes `maxBytes`, before the excess is written. */
async function* limited(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const piece of source) {
    total += piece.length;
    if (total > maxBytes) throw new StoreError('TOO_LARGE', `the upload is larger than the limit of ${formatBytes(maxBytes)} (TRAINYARD_MAX_UPLOAD_MB)`);
    yield piece;
  }
}

/** One query per chunk, lazily: nothing is read until the caller iterates, and only a chunk is held at a time. */
async function* readChunks(db: DbClient, sha256: string): AsyncGenerator<Uint8Array> {
  const blob = await storeCall('finding a blob', () => db.blob.findUnique({ where: { sha256 }, select: { id: true, size: true } }));
  if (!blob) throw new StoreError('NOT_FOUND', `no stored file with sha256 ${sha256}`);
  let read = 0;
  for (let index = 0; read < blob.size; index++) {
    const bytes = await storeCall('reading a blob', () => readChunk(db, blob.id, index));
    if (!bytes) throw new StoreError('NOT_FOUND', `the stored file ${sha256} is missing its chunk ${index} (deleted while it was read?)`);
    read += bytes.length;
    yield bytes;
  }
  if (read !== blob.size) throw new StoreError('INVALID', `the stored file ${sha256} has ${read} bytes, its record says ${blob.size}`);
}

/*
 * Chunks cross the driver as base64 text, not bytea: PGlite turns a bytea parameter into an
 * array of a string per byte and its Prisma adapter parses a bytea answer byte by byte (0.8 MB/s
 * in bench/datasets.ts); text goes through both drivers as it is, and Buffer's base64 is native.
 */
async function writeChunk(db: DbClient, blobId: string, index: number, chunk: Uint8Array): Promise<void> {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
  await db.$executeRaw`INSERT INTO "BlobChunk" ("blobId", "index", "bytes") VALUES (${blobId}::uuid, ${index}, decode(${text}, 'base64'))`;
}

/** A chunk's bytes, or undefined when there is no such chunk. PostgreSQL's base64 has a newline every 76 characters, which Buffer skips. */
async function readChunk(db: DbClient, blobId: string, index: number): Promise<Uint8Array | undefined> {
  const rows = await db.$queryRaw<{ text: string }[]>`SELECT encode("bytes", 'base64') AS "text" FROM "BlobChunk" WHERE "blobId" = ${blobId}::uuid AND "index" = ${index}`;
  const row = rows[0];
  return row ? Buffer.from(row.text, 'base64') : undefined;
}

export function formatBytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return mib >= 1 ? `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB` : `${bytes} bytes`;
}
