import type { TableProfile } from '../tables/table-types.js';
import { profileTable } from '../tables/profile-table.js';
import { archiveFormat } from './archive-files.js';
import { profileImageFolder } from './image-folder.js';
import type { ImageFolderProfile } from './image-folder-types.js';

/** Bytes long enough to tell a tar archive (its "ustar" mark is at byte 257). */
const SNIFF_BYTES = 512;

async function readAll(open: () => AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of open()) {
    chunks.push(chunk);
    size += chunk.length;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

async function head(open: () => AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of open()) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= SNIFF_BYTES) break;
  }
  return Buffer.concat(parts);
}

/**
 * An upload's profile, by what its bytes are: a zip or tar archive is a folder of images (read
 * whole: an archive's index is at its end), anything else a table (streamed, never held whole).
 */
export async function profileUpload(open: () => AsyncIterable<Uint8Array>): Promise<TableProfile | ImageFolderProfile> {
  if (archiveFormat(await head(open))) return profileImageFolder(await readAll(open));
  return profileTable(open);
}
