import { afterEach, describe, expect, it } from 'vitest';
import { SLOW_EPOCHS, slowRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('cancel', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('stops a queued run at once and a running one within a batch, keeping its epochs', async () => {
    h = await Harness.create();
    // Packing off: the second run must wait in the queue behind the first (packed-sweep.int.spec.ts cancels in a pack).
    await h.startWorker('w1', { extraEnv: { WORKER_PACK_SIZE: '1' } });
    const [running, queued] = await h.submit({ name: `cancel-${h.prefix}`, base: slowRun('cancel'), repeats: 2 });
    if (!running || !queued) throw new Error('no runs');
    // One worker, one thread: the first run trains, the second waits behind it.
    const active = await h.waitForEpoch(running, 2).then(() => running);
    expect(await h.producer.jobState(queued)).toBe('waiting');

    expect(await h.cancel(queued)).toEqual({ id: queued, status: 'CANCELLED' });
    expect((await h.run(queued)).status).toBe('CANCELLED');
    expect(await h.producer.jobState(queued)).toBeUndefined();

    await h.cancel(active);
    const [run] = await h.waitFinal([active]);
    expect(run?.status).toBe('CANCELLED');
    const epochs = await h.epochNumbers(active);
    expect(epochs.length).toBeGreaterThanOrEqual(2);
    expect(epochs.length).toBeLessThan(SLOW_EPOCHS);
    expect(run?.currentEpoch).toBe(epochs.length);
    // The cancelled queued run never started.
    expect(await h.epochNumbers(queued)).toEqual([]);
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).active === 0, { what: 'the job to end' });
  });
});
