import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { range, SLOW_EPOCHS, slowRun } from './support/definitions.js';
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
});
