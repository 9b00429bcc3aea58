import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The image datasets whose small sample ships with this package (libs/data/assets, see its README). */
export type SampledImageDataset = 'mnist' | 'fashion_mnist';

/** Training and test images of a sample: 600 and 100 per class. */
export const SAMPLE_ROWS = { train: 6_000, test: 1_000 } as const;

/**
 * The folder of a shipped sample. Found from this module's own file, two folders below the
 * package (src/datasets when run from source, dist/datasets when built), so it works from both.
 */
export function imageSampleDir(name: SampledImageDataset): string {
  const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return join(packageDir, 'assets', `${name.replace('_', '-')}-sample`);
}
