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
  /** What the file to place by hand is, when it is not simply the download (e.g. a member of an archive). */
  placeHint?: string;
}

/** Errors of a machine that has no network access (no name resolution, no route): trying again does not help. */
const NO_NETWORK = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNREFUSED']);

/** fetch throws TypeError('fetch failed') with the socket's error as its cause (sometimes nested). */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A file's bytes, or undefined when it is not there. */
export async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function download(request: CachedFileRequest): Promise<Uint8Array> {
  const { dataset, source, path } = request;
  const failed = (reason: string, transient: boolean, cause?: unknown): DatasetError =>
    new DatasetError(
      'DOWNLOAD_FAILED',
      `could not download ${dataset} from ${source.url}: ${reason}. ` +
        `Without network access, place the file in the cache folder by hand: ${path}` +
        (request.placeHint ? ` (${request.placeHint})` : ''),
      { cause, transient },
    );
  let bytes: Uint8Array;
  try {
    const response = await request.fetch(source.url);
    // A 5xx or a rate limit may pass; a 404 or a 403 will not.
    if (!response.ok) throw failed(`HTTP ${response.status} ${response.statusText}`.trim(), response.status >= 500 || response.status === 429);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    const code = networkCode(error);
    const reason = error instanceof Error ? error.message : String(error);
    throw failed(code ? `${reason} (${code})` : reason, !(code && NO_NETWORK.has(code)), error);
  }
  const actual = sha256Hex(bytes);
  if (source.sha256 !== undefined && actual !== source.sha256) {
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
