import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PACK_EPOCHS, range, SLOW_EPOCHS, slowPackRun, slowRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { PrivatePostgres } from './support/services.js';

describe('PostgreSQL unreachable for a few seconds mid-run', () => {
  let pg: PrivatePostgres;
  let h: Harness | undefined;
  beforeAll(async () => {
    pg = await PrivatePostgres.start();
  });
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  afterAll(() => pg.destroy());

  it('does not fail the run: its writes wait, then land in order', async () => {
    h = await Harness.create({ databaseUrl: pg.url });
    await h.startWorker('w1');
    const [id] = await h.submit(slowRun('pg-outage'));
    if (!id) throw new Error('no run');
    await h.waitForEpoch(id, 3);

    pg.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await pg.start();

    const [run] = await h.waitFinal([id]);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.attempt).toBe(1);
    expect(await h.epochNumbers(id)).toEqual(range(1, SLOW_EPOCHS));
  });

  it('does not fail the runs of a pack either: the writes of each run wait, then land in order', async () => {
    h = await Harness.create({ databaseUrl: pg.url });
    await h.startWorker('w1');
    const ids = await h.submit({ name: `pg-outage-packed-${h.prefix}`, base: slowPackRun('pg-outage-packed'), grid: { 'optimizer.learningRate': [0.01, 0.02] }, repeats: 2 });
    await h.waitForEpoch(ids[0] as string, 3);

    pg.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await pg.start();

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => [run.status, run.attempt, run.env?.pack?.size])).toEqual(Array(4).fill(['SUCCEEDED', 1, 4]));
    for (const id of ids) expect(await h.epochNumbers(id)).toEqual(range(1, PACK_EPOCHS));
  });
});
