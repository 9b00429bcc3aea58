import { afterEach, describe, expect, it } from 'vitest';
import { endlessRun, quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a run longer than its time limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it("is stopped and failed for good with TIME_LIMIT, at the definition's limit or the server's", async () => {
    h = await Harness.create();
    await h.startWorker('w1', { extraEnv: { TRAINYARD_MAX_RUN_SECONDS: '3' } });
    const [own] = await h.submit({ ...endlessRun('own-limit'), timeLimitSeconds: 1 });
    const [server] = await h.submit(endlessRun('server-limit'));
    if (!own || !server) throw new Error('no runs');

    const [ownFailed, serverFailed] = await h.waitFinal([own, server]);
    expect(ownFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'training', errorCode: 'TIME_LIMIT' });
    expect(ownFailed?.error).toMatch(/time limit of 1 s .*raise the definition's timeLimitSeconds \(this server allows up to 3 s, its TRAINYARD_MAX_RUN_SECONDS\)/);
    expect(serverFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorCode: 'TIME_LIMIT' });
    expect(serverFailed?.error).toMatch(/time limit of 3 s .*this server's maximum \(TRAINYARD_MAX_RUN_SECONDS/);
    expect(ownFailed?.currentEpoch).toBeLessThan(10_000);

    // Not retried: BullMQ failed both jobs for good, and the worker trains the next run.
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).failed === 2, { what: 'both jobs to be failed' });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
    const [next] = await h.submit(quickRun('after-limits', 2));
    if (!next) throw new Error('no run');
    expect((await h.waitFinal([next]))[0]?.status).toBe('SUCCEEDED');
  });
});
