import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_FILE_REFUSED } from '@trainyard/experiments';
import { quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

/** Whether a process has the FIFO open for reading: opening its write end without blocking fails (ENXIO) when none has. */
function hasReader(fifo: string): boolean {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw error;
  }
}

describe('a definition that names a file on the worker', () => {
  let h: Harness | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-local-'));
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails at once naming dataset.path, for good, and the file is never opened', async () => {
    h = await Harness.create();
    const worker = await h.startWorker('w1');
    // A FIFO: a worker that opened it to read would block there (the run would never end).
    const fifo = join(dir, 'data.csv');
    execFileSync('mkfifo', [fifo]);
    // Submission refuses a path, so the run is written past the API, as an older API or a bug could.
    const runId = await h.insertRun({ ...quickRun('reads-a-worker-file', 1), dataset: { name: 'csv', path: fifo, target: 'y', features: ['a', 'b'] } });

    const [run] = await h.waitFinal([runId], 60_000);
    expect(run).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'definition', errorCode: 'INVALID_DEFINITION' });
    expect(run?.error).toBe(`dataset.path: ${LOCAL_FILE_REFUSED}`);
    expect(hasReader(fifo)).toBe(false);
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).failed === 1, { what: 'the job to be failed for good' });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });

    // The worker goes on.
    const [next] = await h.submit(quickRun('next', 2));
    if (!next) throw new Error('no run');
    expect((await h.waitFinal([next]))[0]).toMatchObject({ status: 'SUCCEEDED', workerId: worker.name });
  });
});
