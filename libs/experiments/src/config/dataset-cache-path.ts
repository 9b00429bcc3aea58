import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

/** Folder of TRAINYARD_DATA_HOME where workers keep registered datasets' files, named by their sha256. */
export const DATASET_CACHE_DIR = 'datasets';

/**
 * Where a registered dataset's verified bytes are cached: `<dataHome>/datasets/<sha256>`. The
 * worker writes it (see apps/worker's DatasetCache); its training thread reads it. Anything but
 * a sha256 (64 lowercase hex digits) is refused, so no definition can name another path.
 */
export function datasetCachePath(dataHome: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256 (64 lowercase hex digits): ${JSON.stringify(sha256).slice(0, 80)}`);
  return join(dataHome, DATASET_CACHE_DIR, sha256);
}
