import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import { datasetFixturesDir, makeTempDir } from '../testing/index.js';
import { CAL_HOUSING_DATA_SHA256, CANONICAL_SOURCES } from './canonical-sources.js';
import { loadDataset } from './load-dataset.js';

const CAL_HOUSING_FILE = join('california_housing', 'cal_housing.data');

async function caught(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

describe('california_housing download', () => {
  let work: string;
  let archive: Uint8Array;
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    work = await makeTempDir('trainyard-download-');
    // Same member path as scikit-learn's cal_housing.tgz, built by the system tar.
    await mkdir(join(work, 'src', 'CaliforniaHousing'), { recursive: true });
    await copyFile(join(datasetFixturesDir(), 'cal_housing.data'), join(work, 'src', 'CaliforniaHousing', 'cal_housing.data'));
    execFileSync('tar', ['-czf', join(work, 'cal_housing.tgz'), '-C', join(work, 'src'), 'CaliforniaHousing/cal_housing.data']);
    archive = new Uint8Array(await readFile(join(work, 'cal_housing.tgz')));

    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === '/cal_housing.tgz') {
        response.writeHead(200, { 'content-type': 'application/gzip' });
        response.end(archive);
      } else {
        response.writeHead(404).end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  let dataHome: string;
  beforeEach(async () => {
    requests.length = 0;
    dataHome = await makeTempDir('trainyard-download-home-');
    return () => rm(dataHome, { recursive: true, force: true });
  });

  it('downloads, verifies, extracts and caches the archive member, then reuses the cache', async () => {
    const progress: string[] = [];
    const url = `${baseUrl}/cal_housing.tgz`;
    const options = {
      dataHome,
      seed: 1,
      sources: { california_housing: { url, sha256: sha256Hex(archive) } },
      onProgress: (message: string) => progress.push(message),
    };
    const data = await loadDataset({ name: 'california_housing' }, options);
    expect(requests).toEqual(['/cal_housing.tgz']);
    expect(progress).toContain(`downloading california_housing from ${url}`);
    expect(data.x).toHaveLength(20_640);
    expect(data.y[0]?.[0]).toBeCloseTo(4.526, 10);
    expect(data.hash).toBe(CAL_HOUSING_DATA_SHA256);
    expect(sha256Hex(await readFile(join(dataHome, CAL_HOUSING_FILE)))).toBe(CAL_HOUSING_DATA_SHA256);
    expect(await readdir(join(dataHome, 'california_housing'))).toEqual(['cal_housing.data']); // no temp files left

    const again = await loadDataset({ name: 'california_housing' }, options);
    expect(requests).toHaveLength(1);
    expect(again.hash).toBe(data.hash);
  });

  it('refuses an archive whose checksum differs and caches nothing', async () => {
    const wrong = '0'.repeat(64);
    const error = await caught(
      loadDataset(
        { name: 'california_housing' },
        { dataHome, seed: 1, sources: { california_housing: { url: `${baseUrl}/cal_housing.tgz`, sha256: wrong } } },
      ),
    );
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(sha256Hex(archive));
    expect(error.message).toContain(wrong);
    await expect(readFile(join(dataHome, CAL_HOUSING_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a 404 as DOWNLOAD_FAILED with the URL and where to put the file by hand', async () => {
    const url = `${baseUrl}/missing.tgz`;
    const error = await caught(
      loadDataset({ name: 'california_housing' }, { dataHome, seed: 1, sources: { california_housing: { url, sha256: 'x' } } }),
    );
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain(url);
    expect(error.message).toContain('404');
    expect(error.message).toContain(join(dataHome, CAL_HOUSING_FILE));
    // Which file that is: the member of scikit-learn's archive, not the archive.
    expect(error.message).toContain("the file CaliforniaHousing/cal_housing.data inside scikit-learn's cal_housing.tgz");
    // A 404 stays a 404: not worth trying again.
    expect(error.transient).toBe(false);
  });

  it('tells a machine without network access (not retried) from a server error (retried)', async () => {
    const noName = Object.assign(new Error('getaddrinfo EAI_AGAIN ndownloader.figshare.com'), { code: 'EAI_AGAIN' });
    const offline: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause: noName }));
    const unresolved = await caught(loadDataset({ name: 'california_housing' }, { dataHome, seed: 1, fetch: offline }));
    expect(unresolved.code).toBe('DOWNLOAD_FAILED');
    expect(unresolved.message).toContain('(EAI_AGAIN)');
    expect(unresolved.transient).toBe(false);
    const busy: typeof fetch = () => Promise.resolve(new Response('busy', { status: 503, statusText: 'Service Unavailable' }));
    const failed = await caught(loadDataset({ name: 'california_housing' }, { dataHome, seed: 1, fetch: busy }));
    expect(failed.code).toBe('DOWNLOAD_FAILED');
    expect(failed.transient).toBe(true);
  });

  it('reports an unreachable host as DOWNLOAD_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/cal_housing.tgz`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await caught(
      loadDataset({ name: 'california_housing' }, { dataHome, seed: 1, sources: { california_housing: { url, sha256: 'x' } } }),
    );
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain(url);
  });

  it('does not trust a damaged cached file for the canonical source and tries to download again', async () => {
    await mkdir(join(dataHome, 'california_housing'));
    await writeFile(join(dataHome, CAL_HOUSING_FILE), '-122.23,37.88,41,880,129,322,126,8.3252,1\n');
    const fetched: string[] = [];
    const offline: typeof fetch = (input) => {
      fetched.push(String(input));
      return Promise.reject(new TypeError('fetch failed'));
    };
    const error = await caught(loadDataset({ name: 'california_housing' }, { dataHome, seed: 1, fetch: offline }));
    expect(fetched).toEqual([CANONICAL_SOURCES.california_housing.url]);
    expect(error.code).toBe('DOWNLOAD_FAILED');
  });
});

describe('digits download', () => {
  it('replaces a damaged cached file with a verified download', async () => {
    const dataHome = await makeTempDir('trainyard-digits-home-');
    try {
      const real = new Uint8Array(await readFile(join(datasetFixturesDir(), 'optdigits.tes')));
      await mkdir(join(dataHome, 'digits'));
      await writeFile(join(dataHome, 'digits', 'optdigits.tes'), real.subarray(0, 1000));
      const fetched: string[] = [];
      const serve: typeof fetch = (input) => {
        fetched.push(String(input));
        return Promise.resolve(new Response(real));
      };
      const data = await loadDataset({ name: 'digits' }, { dataHome, seed: 1, fetch: serve });
      expect(fetched).toEqual([CANONICAL_SOURCES.digits.url]);
      expect(data.x).toHaveLength(1797);
      expect(sha256Hex(await readFile(join(dataHome, 'digits', 'optdigits.tes')))).toBe(CANONICAL_SOURCES.digits.sha256);
    } finally {
      await rm(dataHome, { recursive: true, force: true });
    }
  });
});
