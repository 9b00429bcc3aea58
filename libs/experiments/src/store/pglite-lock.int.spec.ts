import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { StoreError } from './store-error.js';

describe('the embedded database lock', () => {
  it('refuses a second open of the same PGlite folder while the first is open, and allows it after close', async () => {
    const dir = await makeTempDir('pglite-lock-');
    const first = await openDatabase({ dataDir: dir });
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toThrow(StoreError);
    await expect(second).rejects.toThrow(/in use by process \d+ \(PGlite allows one process\)/);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    expect(await again.prisma.run.count()).toBe(0);
    await again.close();
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const dir = await makeTempDir('pglite-stale-');
    // A pid above the kernel's pid_max cannot belong to a live process.
    await writeFile(join(dir, 'trainyard.pid'), '2147483646');
    const db = await openDatabase({ dataDir: dir });
    expect(db.kind).toBe('pglite');
    await db.close();
  });
});
