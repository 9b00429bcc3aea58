import { DatasetError } from '../errors/dataset-error.js';

const BLOCK = 512;

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}

function octal(bytes: Uint8Array, start: number, length: number): number {
  const digits = text(bytes, start, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '');
}

/** The `path` keyword of a pax extended header ("<len> path=<value>\n" records). */
function paxPath(data: Uint8Array): string | undefined {
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data));
  return match?.[1];
}

/** One regular file of a tar archive: its path (without a leading ./) and its bytes (a view into the archive). */
export interface TarMember {
  path: string;
  data: Uint8Array;
}

/**
 * The regular files of an uncompressed tar archive, in order (ustar, GNU long names, pax paths).
 * Enough for dataset archives; it does not restore modes, links or directories.
 */
export function* tarMembers(archive: Uint8Array): Generator<TarMember> {
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const data = archive.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new DatasetError('PARSE_ERROR', 'tar archive is truncated');
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    const isFile = type === '0' || type === '\0' || type === '7';
    if (isFile) yield { path: normalize(name), data };
  }
}

/** Reads one regular file out of an uncompressed tar archive. */
export function extractTarMember(archive: Uint8Array, memberPath: string): Uint8Array {
  const wanted = normalize(memberPath);
  const seen: string[] = [];
  for (const member of tarMembers(archive)) {
    if (member.path === wanted) return member.data.slice();
    seen.push(member.path);
  }
  throw new DatasetError(
    'PARSE_ERROR',
    `archive has no member ${memberPath} (members: ${seen.slice(0, 10).join(', ') || 'none'})`,
  );
}
