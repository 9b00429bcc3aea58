import { unpackGzip } from '../datasets/gunzip.js';
import { DatasetError } from '../errors/dataset-error.js';
import type { ByteArrayNd } from './npy-reader.js';

/** IDX type code of unsigned bytes, the only one MNIST-format files use for images and labels. */
const UBYTE = 0x08;

/**
 * One IDX file (LeCun's MNIST format, also Fashion-MNIST's): two zero bytes, the type code,
 * the number of dimensions, each dimension as a big-endian uint32, then the values.
 */
export function parseIdx(bytes: Uint8Array, what: string): ByteArrayNd {
  const fail = (message: string): never => {
    throw new DatasetError('PARSE_ERROR', `${what} is not an IDX file trainyard can read: ${message}`);
  };
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) fail('its first two bytes are not zero');
  if (bytes[2] !== UBYTE) fail(`type code 0x${(bytes[2] ?? 0).toString(16)}; only unsigned bytes (0x08) are read`);
  const dims = bytes[3] ?? 0;
  const dataStart = 4 + 4 * dims;
  if (dims === 0 || bytes.length < dataStart) fail(`a header of ${dims} dimensions does not fit in ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - dataStart !== size) fail(`shape [${shape.join(', ')}] needs ${size} values, the file holds ${bytes.length - dataStart}`);
  return { shape, data: bytes.subarray(dataStart) };
}

/** An IDX file's bytes unpacked when they are gzip'd (as LeCun and Keras serve them); errors start with `what`. */
export function unpackIdx(bytes: Uint8Array, what: string): Uint8Array {
  return named(what, () => unpackGzip(bytes));
}

/**
 * An IDX file, gzip'd or not, that must have exactly `shape`: for MNIST-format files without a
 * published checksum, the gzip, the header, the shape and with it the exact byte count stand
 * in for one. Errors start with `what`.
 */
export function readIdxOfShape(bytes: Uint8Array, shape: readonly number[], what: string): ByteArrayNd {
  const array = named(what, () => parseIdx(unpackGzip(bytes), what));
  if (array.shape.join(',') !== shape.join(',')) {
    throw new DatasetError('PARSE_ERROR', `${what} holds an array of shape [${array.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return array;
}

/** `read()`, its DatasetError said again with `what` in front. */
function named<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DatasetError) throw new DatasetError('PARSE_ERROR', `${what}: ${error.message}`, { cause: error });
    throw error;
  }
}
