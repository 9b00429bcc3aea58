import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import type { ByteArrayNd } from './npy-reader.js';

/*
 * Writers of the two formats Keras' image files come in, for the committed samples
 * (scripts/make-image-samples.ts) and the readers' tests. Deterministic: no timestamps.
 */

/** An .npy file (format 1.0) of a uint8 array; the header is padded so the data starts on 64 bytes. */
export function writeNpy(array: ByteArrayNd): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + array.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(array.data, 10 + header.length);
  return out;
}

/** A zip of deflated (or, with `store`, stored) files, no zip64, dates 1980-01-01: like NumPy's savez_compressed. */
export function writeZip(files: [name: string, data: Uint8Array][], options: { store?: boolean } = {}): Uint8Array {
  const method = options.store ? 0 : 8;
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = new TextEncoder().encode(name);
    const packed = options.store ? data : new Uint8Array(deflateRawSync(data, { level: 9 }));
    const crc = crc32(data);
    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, packed.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, packed.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local, packed);
    centrals.push(central);
    offset += local.length + packed.length;
  }
  const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end]);
}

/** An .npz of uint8 arrays, each stored as `<name>.npy`. */
export function writeNpz(arrays: Record<string, ByteArrayNd>): Uint8Array {
  return writeZip(Object.entries(arrays).map(([name, array]) => [`${name}.npy`, writeNpy(array)]));
}

/** An IDX file of unsigned bytes; `gzip` as the Fashion-MNIST files are served (no name, mtime 0). */
export function writeIdx(array: ByteArrayNd, options: { gzip?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(4 + 4 * array.shape.length + array.data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, 0x08, array.shape.length]);
  array.shape.forEach((n, i) => view.setUint32(4 + 4 * i, n, false));
  out.set(array.data, 4 + 4 * array.shape.length);
  return options.gzip ? new Uint8Array(gzipSync(out, { level: 9 })) : out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
