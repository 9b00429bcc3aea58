import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { DatasetUploadResponse } from '@trainyard/contract';
import { ApiError, type ApiClient } from '../api-client.js';
import { ByteProgress, type ProgressStream } from '../output/byte-progress.js';
import { formatBytes } from '../output/format.js';
import { uploadMediaType } from './local-file.js';

/** The longest `?filename=` the API keeps. */
const MAX_FILENAME = 200;

/**
 * Streams a local table up as a version of `name` (the file is read as it is sent, never held
 * whole), drawing bytes sent / total on a terminal.
 */
export async function uploadFile(api: Pick<ApiClient, 'addDatasetVersion' | 'reachable'>, name: string, path: string, size: number, progressTo?: ProgressStream): Promise<DatasetUploadResponse> {
  const filename = basename(path).slice(0, MAX_FILENAME);
  const progress = progressTo ? new ByteProgress(progressTo, `Uploading ${filename}`, size) : undefined;
  const file = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  try {
    return await api.addDatasetVersion(name, { data: progress ? progress.counting(file) : file, type: uploadMediaType(path), filename, size });
  } catch (error) {
    // What the server found wrong with the file (a line without enough fields, too large) names the file.
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401) {
      throw new ApiError(`${filename}: ${error.message}`, error.status, error.body);
    }
    // A server that refuses a body past its limit may close while the body is still being
    // sent, before its answer can be read.
    if (error instanceof ApiError && error.status === 0 && (await api.reachable())) {
      throw new ApiError(
        `the server closed the connection while ${filename} (${formatBytes(size)}) was being sent: it is probably over the server's upload limit (TRAINYARD_MAX_UPLOAD_MB, 256 MiB unless set)`,
        413,
      );
    }
    throw error;
  } finally {
    progress?.finish();
  }
}
