import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';

/** The bytes a download wrote and their sha256. */
export interface Copied {
  size: number;
  sha256: string;
}

/** Writes a response body to `sink` as it arrives (backpressure kept), hashing it on the way. */
export async function copyHashed(body: ReadableStream<Uint8Array>, sink: Writable): Promise<Copied> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0])) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    if (!sink.write(bytes)) await once(sink, 'drain');
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Writes a body to `path` only if its bytes have `sha256`: into a temporary file beside it,
 * renamed over `path` once verified, so `path` never holds a partial or wrong file.
 */
export async function downloadVerified(body: ReadableStream<Uint8Array>, path: string, sha256: string): Promise<Copied> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.part`;
  const file = createWriteStream(temp, { flags: 'wx' });
  try {
    await once(file, 'open');
    const copied = await copyHashed(body, file);
    file.end();
    await once(file, 'finish');
    if (copied.sha256 !== sha256) throw new Error(`the bytes received have sha256 ${copied.sha256}, not the version's ${sha256}: nothing was written to ${path}`);
    await rename(temp, path);
    return copied;
  } catch (error) {
    file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
