import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { datasetCachePath } from '@trainyard/experiments/config';

/** The bytes the database gave do not have the sha256 they are stored under: nothing is cached. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
  readonly code = 'CHECKSUM_MISMATCH';
}

/** Where the bytes of a registered dataset come from: the database's blob store. */
export interface DatasetSource {
  open(sha256: string): AsyncIterable<Uint8Array>;
}

export interface DatasetCacheOptions {
  /** TRAINYARD_DATA_HOME; files go to <dataHome>/datasets/<sha256>. */
  dataHome: string;
  /** TRAINYARD_DATA_CACHE_MB in bytes: past it the least recently used files are deleted. */
  maxBytes: number;
  source: DatasetSource;
}

/** A cached file a run is about to read: it is not evicted until released. */
export interface DatasetLease {
  path: string;
  /** false: it was in the cache already (nothing was downloaded). */
  fetched: boolean;
  bytes: number;
  /** Time to make it available (the download and its check, or the look-up). */
  ms: number;
  release(): void;
}

const TEMP_SUFFIX = '.part';
const ABANDONED_DOWNLOAD_MS = 60 * 60 * 1000;

/**
 * The worker's local copies of registered datasets, named by sha256 under TRAINYARD_DATA_HOME:
 * a run on a cached version downloads nothing. A download streams from the database into a
 * temporary file while hashing, and is renamed into place only when the sha256 matches
 * (ChecksumMismatchError otherwise, and nothing is kept). Several runs asking for one
 * hash at once share one download. Past `maxBytes`, the least recently used files go (a file
 * is touched each time a run uses it), never one a run holds a lease on.
 */
export class DatasetCache {
  private readonly downloads = new Map<string, Promise<number>>();
  private readonly leases = new Map<string, number>();
  private evicting: Promise<void> = Promise.resolve();

  constructor(private readonly options: DatasetCacheOptions) {}

  get dir(): string {
    return dirname(datasetCachePath(this.options.dataHome, '0'.repeat(64)));
  }

  async acquire(sha256: string): Promise<DatasetLease> {
    const path = datasetCachePath(this.options.dataHome, sha256);
    const started = performance.now();
    // Leased before anything else, so that an eviction running now keeps it.
    this.leases.set(sha256, (this.leases.get(sha256) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const count = (this.leases.get(sha256) ?? 1) - 1;
      if (count > 0) this.leases.set(sha256, count);
      else this.leases.delete(sha256);
    };
    try {
      const cached = await sizeOf(path);
      if (cached !== undefined) {
        const now = new Date();
        await utimes(path, now, now);
        return { path, fetched: false, bytes: cached, ms: performance.now() - started, release };
      }
      let download = this.downloads.get(sha256);
      const first = download === undefined;
      if (!download) {
        download = this.download(sha256, path).finally(() => this.downloads.delete(sha256));
        this.downloads.set(sha256, download);
      }
      const bytes = await download;
      if (first) await this.evict();
      return { path, fetched: first, bytes, ms: performance.now() - started, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async download(sha256: string, path: string): Promise<number> {
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
    const hash = createHash('sha256');
    let bytes = 0;
    const source = this.options.source.open(sha256);
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    }
    try {
      await pipeline(hashed(), createWriteStream(temp));
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        throw new ChecksumMismatchError(`dataset file ${sha256}: the bytes read from the database have sha256 ${actual} (${bytes} bytes); nothing was cached`);
      }
      await rename(temp, path);
      return bytes;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** One eviction at a time: deletes the least recently used files not leased until the cache fits. */
  evict(): Promise<void> {
    this.evicting = this.evicting.then(() => this.evictNow()).catch(() => undefined);
    return this.evicting;
  }

  private async evictNow(): Promise<void> {
    await this.deleteAbandonedDownloads();
    const files = await this.files();
    let total = files.reduce((sum, file) => sum + file.size, 0);
    // Oldest use first.
    files.sort((a, b) => a.usedAt - b.usedAt);
    for (const file of files) {
      if (total <= this.options.maxBytes) return;
      if (this.leases.has(file.sha256)) continue;
      await rm(join(this.dir, file.sha256), { force: true });
      total -= file.size;
    }
  }

  /** Temporary files of downloads a killed worker left (older than an hour: none is still being written). */
  private async deleteAbandonedDownloads(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const before = Date.now() - ABANDONED_DOWNLOAD_MS;
    for (const name of names.filter((n) => n.endsWith(TEMP_SUFFIX))) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < before) await rm(path, { force: true });
    }
  }

  /** The complete files in the cache (temporary ones of downloads under way are left alone). */
  async files(): Promise<{ sha256: string; size: number; usedAt: number }[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const files = await Promise.all(
      names
        .filter((name) => /^[0-9a-f]{64}$/.test(name))
        .map(async (name) => {
          const info = await stat(join(this.dir, name)).catch(() => undefined);
          return info?.isFile() ? { sha256: name, size: info.size, usedAt: info.mtimeMs } : undefined;
        }),
    );
    return files.filter((file) => file !== undefined);
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
