import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatasetError } from '../errors/dataset-error.js';
import { sha256Hex } from '../hash/sha256-hex.js';
import type { DatasetSource } from './canonical-sources.js';

export interface CachedFileRequest {
  dataset: string;
  /** Where the usable file lives in the data home. */
  path: string;
  source: DatasetSource;
  /** A cached file with another sha256 is downloaded again; undefined trusts any cached file. */
  expectedSha256: string | undefined;
  /** Turns the verified download into the file to cache (e.g. pulls it out of an archive). */
  extract: (downloaded: Uint8Array) => Uint8Array;
  fetch: typeof fetch;
  onProgress: ((message: string) => void) | undefined;
}

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function download(request: CachedFileRequest): Promise<Uint8Array> {
  const { dataset, source, path } = request;
  const failed = (reason: string, cause?: unknown): DatasetError =>
    new DatasetError(
      'DOWNLOAD_FAILED',
      `could not download ${dataset} from ${source.url}: ${reason}. ` +
        `Without network access, place the file in the cache folder by hand: ${path}`,
      { cause },
    );
  let bytes: Uint8Array;
  try {
    const response = await request.fetch(source.url);
    if (!response.ok) throw failed(`HTTP ${response.status} ${response.statusText}`.trim());
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw failed(error instanceof Error ? error.message : String(error), error);
  }
  const actual = sha256Hex(bytes);
  if (actual !== source.sha256) {
    throw new DatasetError(
      'CHECKSUM_MISMATCH',
      `${dataset} from ${source.url} has sha256 ${actual}, expected ${source.sha256}; nothing was cached`,
    );
  }
  return bytes;
}

// Temp file + rename: a crash or a concurrent loader never leaves a half-written file under the real name.
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** The bytes of a dataset file from the data home, downloading and caching it first when needed. */
export async function ensureCachedFile(request: CachedFileRequest): Promise<Uint8Array> {
  const cached = await readIfPresent(request.path);
  if (cached) {
    if (request.expectedSha256 === undefined) return cached;
    const actual = sha256Hex(cached);
    if (actual === request.expectedSha256) return cached;
    request.onProgress?.(`cached ${request.path} has sha256 ${actual}, expected ${request.expectedSha256}; downloading again`);
  }
  request.onProgress?.(`downloading ${request.dataset} from ${request.source.url}`);
  const file = request.extract(await download(request));
  if (request.expectedSha256 !== undefined) {
    const actual = sha256Hex(file);
    if (actual !== request.expectedSha256) {
      throw new DatasetError(
        'CHECKSUM_MISMATCH',
        `${request.dataset} file extracted from ${request.source.url} has sha256 ${actual}, expected ${request.expectedSha256}`,
      );
    }
  }
  await writeAtomically(request.path, file);
  request.onProgress?.(`cached ${request.dataset} at ${request.path}`);
  return file;
}
