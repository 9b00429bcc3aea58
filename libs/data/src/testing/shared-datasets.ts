import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'workspaces' in parsed;
}

/**
 * `<repo root>/../shared/datasets`, the offline copies of the public datasets. The repo root is
 * the first folder above this file whose package.json declares workspaces, so the answer does
 * not depend on the current directory a test runner starts in.
 */
export function sharedDatasetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isWorkspaceRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workspace package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, '..', 'shared', 'datasets');
}

/** Copies the shared dataset files into the loaders' cache layout under `dir`, so nothing is downloaded. */
export async function seedDataHome(dir: string): Promise<string> {
  const shared = sharedDatasetsDir();
  const files: [string, string][] = [
    ['cal_housing.data', join(dir, 'california_housing', 'cal_housing.data')],
    ['optdigits.tes', join(dir, 'digits', 'optdigits.tes')],
  ];
  for (const [name, target] of files) {
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(shared, name), target);
  }
  return dir;
}
