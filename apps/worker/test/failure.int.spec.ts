import { afterEach, describe, expect, it } from 'vitest';
import { divergingRun, quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a run that cannot succeed', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('ends FAILED with the message after one attempt, and is not retried', async () => {
    h = await Harness.create();
    await h.startWorker('w1');
    // One target, three output units: submission refuses it, so it is written past the API;
    // the worker checks the definition again against the data it loads.
    const definitionRun = await h.insertRun({ ...quickRun('three-units-one-target', 1), model: { layers: [{ type: 'dense', units: 3 }] } });
    const [trainingRun] = await h.submit(divergingRun('diverges'));
    if (!trainingRun) throw new Error('no run');

    const [defFailed, trainingFailed] = await h.waitFinal([definitionRun, trainingRun]);
    expect(defFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'definition' });
    expect(defFailed?.error).toMatch(/units/);
    expect(trainingFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'training', errorCode: 'NON_FINITE_LOSS' });
    expect(trainingFailed?.error).toMatch(/epoch 1: training loss is/);

    // BullMQ failed each job for good after one attempt (UnrecoverableError), nothing is scheduled again.
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).failed === 2, { what: 'both jobs to be failed' });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
    expect((await h.run(definitionRun)).attempt).toBe(1);
  });
});
