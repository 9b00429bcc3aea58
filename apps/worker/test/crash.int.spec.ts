import { afterEach, describe, expect, it } from 'vitest';
import { range, SLOW_EPOCHS, slowRun } from './support/definitions.js';
import { Harness } from './support/harness.js';

describe('a worker killed with SIGKILL mid-run', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('is finished by another worker as attempt 2, with epoch rows 1..N once each', async () => {
    h = await Harness.create();
    await Promise.all([h.startWorker('w1'), h.startWorker('w2')]);
    const [id] = await h.submit(slowRun('crash'));
    if (!id) throw new Error('no run');

    const running = await h.waitForEpoch(id, 3);
    const victim = h.worker(running.workerId);
    victim.kill('SIGKILL');
    expect(await victim.exit()).toBeNull();

    const [run] = await h.waitFinal([id]);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.attempt).toBe(2);
    expect(run?.workerId).not.toBe(victim.name);
    expect(await h.epochNumbers(id)).toEqual(range(1, SLOW_EPOCHS));
  });
});
