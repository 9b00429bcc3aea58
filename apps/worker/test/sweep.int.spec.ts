import { afterEach, describe, expect, it } from 'vitest';
import { quickRun, range } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a sweep across two worker processes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('runs all 12 runs once each, with every epoch recorded (runs trained alone)', async () => {
    h = await Harness.create();
    // Packing off: one run per job, so that both workers take some.
    const alone = { extraEnv: { WORKER_PACK_SIZE: '1' } };
    await Promise.all([h.startWorker('w1', alone), h.startWorker('w2', alone)]);
    const harness = h;
    await waitFor(async () => (await harness.producer.workers()).length === 2, { what: 'both workers in the queue' });

    const base = quickRun('sweep-12', 1);
    const ids = await h.submit({ name: `sweep-12-${h.prefix}`, base, grid: { 'optimizer.learningRate': [0.003, 0.01, 0.03] }, repeats: 4 });
    expect(ids).toHaveLength(12);

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => run.status)).toEqual(Array(12).fill('SUCCEEDED'));
    expect(runs.map((run) => run.attempt)).toEqual(Array(12).fill(1));
    for (const run of runs) {
      expect(await h.epochNumbers(run.id)).toEqual(range(1, base.epochs));
      expect(run.testMetrics?.['mae']).toBeTypeOf('number');
    }
    // Both processes took part.
    expect(new Set(runs.map((run) => run.workerId))).toEqual(new Set(['w1', 'w2']));
    const counts = await h.producer.counts();
    expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  });

  it('packing on both workers, reaching for the same runs: each run is claimed once and trained once', async () => {
    h = await Harness.create();
    await Promise.all([h.startWorker('w1', { extraEnv: { WORKER_PACK_SIZE: '4' } }), h.startWorker('w2', { extraEnv: { WORKER_PACK_SIZE: '4' } })]);
    const harness = h;
    await waitFor(async () => (await harness.producer.workers()).length === 2, { what: 'both workers in the queue' });
    const ids = await h.submit({ name: `sweep-packed-${h.prefix}`, base: quickRun('sweep-packed', 1), grid: { 'optimizer.learningRate': [0.003, 0.01, 0.03] }, repeats: 4 });
    const runs = await h.waitFinal(ids);
    // Attempt 1 everywhere: no run was taken by both workers (a second claim would be attempt 2).
    expect(runs.map((run) => [run.status, run.attempt])).toEqual(Array(12).fill(['SUCCEEDED', 1]));
    for (const run of runs) expect(await h.epochNumbers(run.id)).toEqual(range(1, run.epochs));
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  });
});
