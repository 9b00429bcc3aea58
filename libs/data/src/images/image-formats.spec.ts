import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors/dataset-error.js';
import { parseIdx } from './idx-reader.js';
import { writeIdx, writeNpy, writeNpz, writeZip } from './image-writers.js';
import { parseNpy, readNpz } from './npy-reader.js';
import { readZip } from './zip-reader.js';
import { gunzip } from '../datasets/gunzip.js';

const images = { shape: [2, 2, 3], data: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]) };
const labels = { shape: [2], data: Uint8Array.from([7, 3]) };

/** `bytes` with the first occurrence of ASCII `from` overwritten by `to` (same length). */
function patched(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const at = Buffer.from(bytes).indexOf(from, 0, 'latin1');
  const out = bytes.slice();
  out.set(Buffer.from(to, 'latin1'), at);
  return out;
}

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

describe('npz (NumPy) reader', () => {
  it('reads the uint8 arrays of an .npz by name, shapes and bytes intact', () => {
    const arrays = readNpz(writeNpz({ x_train: images, y_train: labels }), 'test.npz');
    expect([...arrays.keys()]).toEqual(['x_train', 'y_train']);
    expect(arrays.get('x_train')).toEqual(images);
    expect(arrays.get('y_train')).toEqual(labels);
  });

  it('writes .npy headers as NumPy does: a 1-tuple with its comma, data aligned to 64 bytes', () => {
    const npy = writeNpy(labels);
    const header = new TextDecoder().decode(npy.subarray(10, 10 + (npy[8] ?? 0)));
    expect(header).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2,\), \} *\n$/);
    expect((10 + header.length) % 64).toBe(0);
    expect(parseNpy(npy, 'y.npy')).toEqual(labels);
  });

  it('refuses other dtypes and Fortran order, naming the member', () => {
    const float = patched(writeNpy(labels), "'|u1'", "'<f4'");
    expect(errorOf(() => parseNpy(float, 'm.npz member y.npy')).message).toMatch(/m\.npz member y\.npy .*dtype '<f4'; only uint8/);
    const fortran = patched(writeNpy(labels), 'False', 'True ');
    expect(errorOf(() => parseNpy(fortran, 'y.npy')).message).toMatch(/Fortran order/);
  });

  it('reads stored members and zip64 sizes in the central directory (numpy writes those)', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5]);
    const zip = writeZip([['a.bin', data]]);
    // Rewrite the central entry as numpy's force_zip64 does: 0xFFFFFFFF sizes, real ones in extra field 0x0001.
    const view = new DataView(zip.buffer);
    const eocd = zip.length - 22;
    const central = view.getUint32(eocd + 16, true);
    const name = 'a.bin';
    const packed = view.getUint32(central + 20, true);
    const extra = new Uint8Array(20);
    const ev = new DataView(extra.buffer);
    ev.setUint16(0, 1, true);
    ev.setUint16(2, 16, true);
    ev.setBigUint64(4, BigInt(data.length), true);
    ev.setBigUint64(12, BigInt(packed), true);
    const entry = new Uint8Array(46 + name.length + extra.length);
    entry.set(zip.subarray(central, central + 46 + name.length));
    entry.set(extra, 46 + name.length);
    const entryView = new DataView(entry.buffer);
    entryView.setUint32(20, 0xffffffff, true);
    entryView.setUint32(24, 0xffffffff, true);
    entryView.setUint16(30, extra.length, true);
    const end = zip.slice(eocd);
    new DataView(end.buffer).setUint32(12, entry.length, true);
    const rebuilt = new Uint8Array([...zip.subarray(0, central), ...entry, ...end]);
    expect(readZip(rebuilt, 'z64.zip').get('a.bin')).toEqual(data);

    // Method 0 (stored): the bytes follow the local header as they are.
    expect(readZip(writeZip([['s.bin', data]], { store: true }), 's.zip').get('s.bin')).toEqual(data);
  });

  it('says what is wrong with a damaged archive', () => {
    const zip = writeNpz({ y: labels });
    expect(errorOf(() => readNpz(zip.subarray(0, zip.length - 30), 'cut.npz')).message).toMatch(/cut\.npz is not a zip archive .*no end of central directory/);
    const flipped = zip.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 0xff; // inside the deflated data
    expect(errorOf(() => readNpz(flipped, 'bad.npz')).message).toMatch(/bad\.npz/);
    expect(errorOf(() => readNpz(new Uint8Array(100), 'zeros.npz')).code).toBe('PARSE_ERROR');
  });
});

describe('IDX reader', () => {
  it('reads images and labels in the MNIST format, gzip\'d as Keras downloads them', () => {
    expect(parseIdx(gunzip(writeIdx(images, { gzip: true })), 'x.gz')).toEqual(images);
    const file = writeIdx(labels);
    expect([...file.subarray(0, 8)]).toEqual([0, 0, 8, 1, 0, 0, 0, 2]);
    expect(parseIdx(file, 'y')).toEqual(labels);
  });

  it('refuses another type code and a byte count that does not match the header', () => {
    const file = writeIdx(images);
    const float = file.slice();
    float[2] = 0x0d;
    expect(errorOf(() => parseIdx(float, 'f.idx')).message).toMatch(/f\.idx .*type code 0xd; only unsigned bytes/);
    expect(errorOf(() => parseIdx(file.subarray(0, file.length - 1), 'short.idx')).message).toMatch(/shape \[2, 2, 3\] needs 12 values, the file holds 11/);
  });
});
