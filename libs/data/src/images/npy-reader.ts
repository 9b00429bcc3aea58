import { DatasetError } from '../errors/dataset-error.js';
import { readZip } from './zip-reader.js';

/** An n-dimensional array of unsigned bytes, row-major (C order). */
export interface ByteArrayNd {
  shape: number[];
  data: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * One NumPy .npy array of dtype uint8 (`|u1`), the type of Keras' image files. The header is a
 * Python dict literal: {'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }.
 */
export function parseNpy(bytes: Uint8Array, what: string): ByteArrayNd {
  const fail = (message: string): never => {
    throw new DatasetError('PARSE_ERROR', `${what} is not a .npy array trainyard can read: ${message}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('no \\x93NUMPY magic');
  const major = bytes[6] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Version 1 has a 2-byte header length; versions 2 and 3 a 4-byte one.
  const [lengthBytes, headerLength] = major === 1 ? [2, view.getUint16(8, true)] : [4, bytes.length >= 12 ? view.getUint32(8, true) : 0];
  if (major < 1 || major > 3) fail(`format version ${major}`);
  const dataStart = 8 + lengthBytes + headerLength;
  const header = new TextDecoder('latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '|u1' && descr !== '<u1' && descr !== '>u1') fail(`dtype '${descr ?? '?'}'; only uint8 ('|u1') is read`);
  if (!/'fortran_order':\s*False/.test(header)) fail('Fortran order; only C order is read');
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) fail('no shape in its header');
  const shape = (shapeText ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) fail(`shape (${shapeText ?? ''})`);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(dataStart, dataStart + size);
  if (data.length !== size) fail(`shape (${shape.join(', ')}) needs ${size} bytes, the file holds ${bytes.length - dataStart}`);
  return { shape, data };
}

/** The arrays of a NumPy .npz file (a zip of .npy files), by name without `.npy`. */
export function readNpz(bytes: Uint8Array, what: string): Map<string, ByteArrayNd> {
  const arrays = new Map<string, ByteArrayNd>();
  for (const [name, file] of readZip(bytes, what)) {
    arrays.set(name.replace(/\.npy$/, ''), parseNpy(file, `${what} member ${name}`));
  }
  return arrays;
}
