import { afterEach, describe, expect, it } from 'vitest';
import { bigDataRun, quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a run that needs more memory than a training thread has', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('fails for good with OUT_OF_MEMORY while the worker stays up and trains the next run', async () => {
    h = await Harness.create();
    // 64 MiB of heap per thread: enough for TensorFlow.js and small runs, not for 1,000,000 rows.
    const worker = await h.startWorker('w1', { extraEnv: { WORKER_THREAD_MAX_HEAP_MB: '64' } });
    const [big] = await h.submit(bigDataRun('too-big'));
    if (!big) throw new Error('no run');

    const [failed] = await h.waitFinal([big]);
    expect(failed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'training', errorCode: 'OUT_OF_MEMORY' });
    expect(failed?.error).toMatch(/ran out of memory: .*64 MiB JavaScript heap \(WORKER_THREAD_MAX_HEAP_MB\)/);
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).failed === 1, { what: 'the job to be failed for good' });

    const [next] = await h.submit(quickRun('after-oom', 2));
    if (!next) throw new Error('no run');
    expect((await h.waitFinal([next]))[0]).toMatchObject({ status: 'SUCCEEDED', attempt: 1, workerId: worker.name });
    expect(worker.output).toContain('ready: ');
    expect(await Promise.race([worker.exit(), Promise.resolve('running')])).toBe('running');
  });
});
