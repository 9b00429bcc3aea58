import { gunzip } from '../datasets/gunzip.js';
import { tarMembers } from '../datasets/tar-reader.js';
import { zipEntries } from '../images/zip-reader.js';
import { DatasetError } from '../errors/dataset-error.js';
import type { ArchiveFormat } from './image-folder-types.js';

/** One regular file of an archive; `read` inflates it on demand. */
export interface ArchiveFile {
  path: string;
  /** Its size once read (as the archive declares it). */
  size: number;
  read(): Uint8Array;
}

/** Limits that keep a small upload from unpacking into more memory than a process has (a zip bomb). */
export interface ArchiveLimits {
  /** Total bytes of every file once unpacked. */
  maxUnpackedBytes: number;
  maxFiles: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxUnpackedBytes: 2 * 1024 ** 3, maxFiles: 500_000 };

/** zip, tar or gzip'd tar, by the first bytes; undefined for anything else (a table). */
export function archiveFormat(head: Uint8Array): ArchiveFormat | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return 'zip';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (new TextDecoder().decode(head.subarray(257, 262)) === 'ustar') return 'tar';
  return undefined;
}

/** The regular files of a zip, tar or tar.gz archive, within `limits`. */
export function archiveFiles(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): ArchiveFile[] {
  const format = archiveFormat(bytes);
  if (format === 'zip') return checked(zipFiles(bytes), limits);
  if (format === 'tar') return checked(tarFiles(bytes), limits);
  if (format === 'tar.gz') {
    const tar = gunzip(bytes);
    if (archiveFormat(tar) !== 'tar') throw new DatasetError('PARSE_ERROR', 'the gzip file does not hold a tar archive');
    return checked(tarFiles(tar), limits);
  }
  throw new DatasetError('PARSE_ERROR', 'not a zip or tar archive');
}

function checked(files: ArchiveFile[], limits: ArchiveLimits): ArchiveFile[] {
  if (files.length > limits.maxFiles) throw new DatasetError('PARSE_ERROR', `the archive holds ${files.length} files; at most ${limits.maxFiles} are read`);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > limits.maxUnpackedBytes) {
    throw new DatasetError('PARSE_ERROR', `the archive unpacks to ${total} bytes; at most ${limits.maxUnpackedBytes} are read`);
  }
  return files;
}

function tarFiles(tar: Uint8Array): ArchiveFile[] {
  return Array.from(tarMembers(tar), ({ path, data }) => ({ path, size: data.length, read: () => data }));
}

function zipFiles(bytes: Uint8Array): ArchiveFile[] {
  return zipEntries(bytes, 'the zip archive').map(({ name, size, read }) => ({ path: name, size, read }));
}
