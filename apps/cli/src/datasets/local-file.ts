import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';

/**
 * A dataset path of a definition, resolved against the definition file's folder (not the
 * current directory), so `"path": "data/apartments.csv"` means the same wherever the command
 * is started. An absolute path stays as it is.
 */
export function resolveDataPath(definitionFile: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(resolve(definitionFile)), path);
}

/** A local table's size and sha256, read as a stream (the file is never held whole). */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Why a local table cannot be read, naming its full path; undefined when it is a readable file. */
export async function localFileProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? undefined : `${path} is not a file`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `no such file: ${path}`;
    if (code === 'EACCES') return `cannot read ${path}: permission denied`;
    return `cannot read ${path}: ${(error as Error).message}`;
  }
}

/**
 * The media type an upload is sent with. The server goes by the bytes, not the type: an archive
 * is a folder of images, anything else a table whose delimiter it reads from the header line.
 */
export function uploadMediaType(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'application/gzip';
  const ext = extname(lower);
  if (ext === '.zip') return 'application/zip';
  if (ext === '.tar') return 'application/x-tar';
  if (ext === '.tsv' || ext === '.tab') return 'text/tab-separated-values';
  if (ext === '.csv') return 'text/csv';
  return 'text/plain';
}
