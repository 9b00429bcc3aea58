import { crc32, inflateRawSync } from 'node:zlib';
import { DatasetError } from '../errors/dataset-error.js';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const MAX_32 = 0xffffffff;
/** The end-of-central-directory record is 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH = 22 + 0xffff;

interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function fail(what: string, message: string): never {
  throw new DatasetError('PARSE_ERROR', `${what} is not a zip archive trainyard can read: ${message}`);
}

/** Sizes and offset that did not fit 32 bits sit in the zip64 extra field, in this order. */
function applyZip64(entry: CentralEntry, view: DataView, start: number, end: number): void {
  for (let at = start; at + 4 <= end; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      const next = (): number => {
        const value = Number(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.size === MAX_32) entry.size = next();
      if (entry.compressedSize === MAX_32) entry.compressedSize = next();
      if (entry.localOffset === MAX_32) entry.localOffset = next();
      return;
    }
    at += 4 + length;
  }
}

function centralDirectory(bytes: Uint8Array, what: string): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - EOCD_SEARCH); at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail(what, 'no end of central directory record');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) fail(what, `central directory entry ${i} is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const entry: CentralEntry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    applyZip64(entry, view, at + 46 + nameLength, at + 46 + nameLength + extraLength);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryBytes(bytes: Uint8Array, entry: CentralEntry, what: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) fail(what, `local header of ${entry.name} is damaged`);
  // The local header's own name and extra lengths; its sizes may be zero (data descriptor) or zip64 markers.
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const stored = bytes.subarray(start, start + entry.compressedSize);
  if (stored.length !== entry.compressedSize) fail(what, `${entry.name} is cut short`);
  let data: Uint8Array;
  if (entry.method === 0) data = stored;
  else if (entry.method === 8) {
    try {
      // Never more than the size the directory declares: an entry that lies about it (a zip bomb) fails here.
      data = new Uint8Array(inflateRawSync(stored, { maxOutputLength: Math.max(1, entry.size) }));
    } catch (error) {
      throw new DatasetError('PARSE_ERROR', `${what}: ${entry.name} does not inflate: ${(error as Error).message}`, { cause: error });
    }
  } else fail(what, `${entry.name} uses compression method ${entry.method}; only stored (0) and deflate (8) are read`);
  if (data.length !== entry.size) fail(what, `${entry.name} has ${data.length} bytes, its header says ${entry.size}`);
  if (crc32(data) !== entry.crc) fail(what, `${entry.name} fails its CRC-32 check`);
  return data;
}

/** One file of a zip archive: its name, its size once inflated (as the directory declares it) and its bytes on demand. */
export interface ZipEntry {
  name: string;
  size: number;
  read(): Uint8Array;
}

/**
 * The entries of a zip archive (stored or deflated, zip64 sizes understood), directories left
 * out; nothing is inflated until `read`, so a caller can check the declared sizes first.
 * `what` names the archive in errors.
 */
export function zipEntries(bytes: Uint8Array, what: string): ZipEntry[] {
  return centralDirectory(bytes, what)
    .filter((entry) => !entry.name.endsWith('/'))
    .map((entry) => ({ name: entry.name, size: entry.size, read: () => entryBytes(bytes, entry, what) }));
}

/** The files of a zip archive by name, inflated: enough for NumPy's .npz files. */
export function readZip(bytes: Uint8Array, what: string): Map<string, Uint8Array> {
  return new Map(zipEntries(bytes, what).map((entry) => [entry.name, entry.read()]));
}
