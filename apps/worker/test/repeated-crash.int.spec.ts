import { afterEach, describe, expect, it } from 'vitest';
import { slowRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a run whose worker is killed twice', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('is failed with WORKER_CRASHED by the next claim instead of taking more workers down', async () => {
    h = await Harness.create();
    await Promise.all([h.startWorker('w1'), h.startWorker('w2'), h.startWorker('w3')]);
    const [id] = await h.submit(slowRun('kills-workers'));
    if (!id) throw new Error('no run');
    const harness = h;

    const first = await h.waitForEpoch(id, 1);
    const firstVictim = h.worker(first.workerId);
    firstVictim.kill('SIGKILL');
    await firstVictim.exit();

    // BullMQ sees the job stalled and gives it to another worker: attempt 2 takes the run over.
    const second = await waitFor(
      async () => {
        const run = await harness.run(id);
        return run.status === 'RUNNING' && run.attempt === 2 ? run : undefined;
      },
      { what: 'attempt 2 to start' },
    );
    expect(second.workerId).not.toBe(firstVictim.name);
    const secondVictim = h.worker(second.workerId);
    secondVictim.kill('SIGKILL');
    await secondVictim.exit();

    const [run] = await h.waitFinal([id]);
    expect(run).toMatchObject({ status: 'FAILED', attempt: 3, errorKind: 'training', errorCode: 'WORKER_CRASHED' });
    expect(run?.error).toMatch(/^the run stopped its worker 2 times .*it is not retried/);
    await waitFor(async () => (await harness.producer.counts()).failed === 1, { what: 'the job to be failed for good' });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
  });
});
