import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetCachePath } from '@trainyard/experiments/config';
import { ChecksumMismatchError, DatasetCache, type DatasetSource } from './dataset-cache.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Files by sha256, served in small chunks; counts the opens (downloads). */
class FakeSource implements DatasetSource {
  readonly files = new Map<string, Buffer>();
  opens = 0;

  add(bytes: Buffer, as = sha256(bytes)): string {
    this.files.set(as, bytes);
    return as;
  }

  async *open(hash: string): AsyncGenerator<Uint8Array> {
    this.opens++;
    const bytes = this.files.get(hash);
    if (!bytes) throw new Error(`no file ${hash}`);
    for (let at = 0; at < bytes.length; at += 33) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield bytes.subarray(at, at + 33);
    }
  }
}

describe('DatasetCache', () => {
  let dataHome: string;
  let source: FakeSource;
  beforeEach(async () => {
    dataHome = await mkdtemp(join(tmpdir(), 'trainyard-cache-'));
    source = new FakeSource();
  });
  afterEach(() => rm(dataHome, { recursive: true, force: true }));

  const cache = (maxBytes = 10_000) => new DatasetCache({ dataHome, maxBytes, source });
  const cachedFiles = async () => (await readdir(join(dataHome, 'datasets'))).sort();
  /** Sets a cached file's last use `secondsAgo` in the past. */
  const usedAgo = (hash: string, secondsAgo: number) => {
    const when = new Date(Date.now() - secondsAgo * 1000);
    return utimes(datasetCachePath(dataHome, hash), when, when);
  };

  it('downloads once, verified, to <dataHome>/datasets/<sha256>; the next run finds it cached', async () => {
    const bytes = randomBytes(1000);
    const hash = source.add(bytes);
    const c = cache();
    const first = await c.acquire(hash);
    expect(first).toMatchObject({ path: join(dataHome, 'datasets', hash), fetched: true, bytes: 1000 });
    first.release();
    expect(await readFile(first.path)).toEqual(bytes);
    const second = await c.acquire(hash);
    expect(second).toMatchObject({ fetched: false, bytes: 1000 });
    second.release();
    expect(source.opens).toBe(1);
    expect(await cachedFiles()).toEqual([hash]);
  });

  it('shares one download between runs asking for the same hash at once', async () => {
    const hash = source.add(randomBytes(2000));
    const c = cache();
    const leases = await Promise.all([1, 2, 3, 4].map(() => c.acquire(hash)));
    expect(source.opens).toBe(1);
    expect(leases.filter((lease) => lease.fetched)).toHaveLength(1);
    for (const lease of leases) lease.release();
    expect(await cachedFiles()).toEqual([hash]);
  });

  it('keeps nothing when the bytes do not have their sha256', async () => {
    const claimed = 'a'.repeat(64);
    source.add(randomBytes(500), claimed);
    const error = await cache().acquire(claimed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toMatch(/have sha256 [0-9a-f]{64} \(500 bytes\); nothing was cached/);
    expect(await cachedFiles()).toEqual([]);
  });

  it('evicts the least recently used files past its size, counting a use as recent', async () => {
    const [a, b, c] = [source.add(randomBytes(100)), source.add(randomBytes(100)), source.add(randomBytes(100))];
    const store = cache(250);
    (await store.acquire(a)).release();
    (await store.acquire(b)).release();
    await usedAgo(a, 20);
    await usedAgo(b, 10);
    // a is used again: b is now the least recently used.
    (await store.acquire(a)).release();
    (await store.acquire(c)).release();
    expect(await cachedFiles()).toEqual([a, c].sort());
  });

  it('never evicts a file a run holds, even the oldest', async () => {
    const [a, b, c] = [source.add(randomBytes(100)), source.add(randomBytes(100)), source.add(randomBytes(100))];
    const store = cache(150);
    const held = await store.acquire(a);
    (await store.acquire(b)).release();
    await usedAgo(a, 30);
    await usedAgo(b, 10);
    const newest = await store.acquire(c);
    expect(await cachedFiles()).toEqual([a, c].sort());
    held.release();
    newest.release();
    // Over the limit still (two files of 100 for 150): the next eviction takes the older one.
    await usedAgo(a, 30);
    await store.evict();
    expect(await cachedFiles()).toEqual([c]);
  });

  it('deletes what a killed download left an hour ago, not one under way', async () => {
    const hash = source.add(randomBytes(10));
    const store = cache();
    (await store.acquire(hash)).release();
    const old = join(dataHome, 'datasets', `${'b'.repeat(64)}.123.abcd.part`);
    const current = join(dataHome, 'datasets', `${'c'.repeat(64)}.123.abcd.part`);
    await writeFile(old, 'partial');
    await writeFile(current, 'partial');
    const hourAgo = new Date(Date.now() - 61 * 60 * 1000);
    await utimes(old, hourAgo, hourAgo);
    await store.evict();
    expect(await cachedFiles()).toEqual([hash, `${'c'.repeat(64)}.123.abcd.part`].sort());
  });
});
