import type { TableProfile } from '../tables/table-types.js';
import { profileTable } from '../tables/profile-table.js';
import { archiveFormat } from './archive-files.js';
import { profileImageFolder } from './image-folder.js';
import type { ImageFolderProfile } from './image-folder-types.js';

/** Bytes long enough to tell a tar archive (its "ustar" mark is at byte 257). */
const SNIFF_BYTES = 512;

/**
 * An upload's profile, by what its bytes are: a zip or tar archive is a folder of images (read
 * whole, in the one pass that told it: an archive's index is at its end), anything else a
 * table (streamed from the start again by profileTable, never held whole).
 */
export async function profileUpload(open: () => AsyncIterable<Uint8Array>): Promise<TableProfile | ImageFolderProfile> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let archive: boolean | undefined;
  for await (const chunk of open()) {
    chunks.push(chunk);
    size += chunk.length;
    if (archive === undefined && size >= SNIFF_BYTES) {
      archive = archiveFormat(Buffer.concat(chunks)) !== undefined;
      if (!archive) break;
    }
  }
  archive ??= archiveFormat(Buffer.concat(chunks)) !== undefined;
  return archive ? profileImageFolder(Buffer.concat(chunks)) : profileTable(open);
}
