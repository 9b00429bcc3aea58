import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../errors/dataset-error.js';

/** gunzip with a DatasetError instead of a bare zlib error, so callers see which step failed. */
export function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new DatasetError('PARSE_ERROR', `archive is not valid gzip: ${(error as Error).message}`, { cause: error });
  }
}

/** The bytes unpacked when they are gzip'd (they start with its magic number), else as they are. */
export function unpackGzip(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes) : bytes;
}
