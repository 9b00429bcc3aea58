import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './store-error.js';

const LOCK_FILE = 'trainyard.pid';

/**
 * PGlite is PostgreSQL inside this process: a second process opening the same folder would
 * corrupt it. The first opener writes its pid into the folder; a live pid there refuses
 * the open, a dead one (a crash) is taken over. Returns the release function.
 */
export async function lockPgliteDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let tries = 0; tries < 2; tries++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new StoreError(
          'CONFLICT',
          `the embedded database in ${dir} is in use by process ${holder} (PGlite allows one process): stop that process, or use PostgreSQL (DATABASE_URL) to share a database between processes`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new StoreError('CONFLICT', `could not lock the embedded database in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
