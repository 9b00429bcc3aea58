import { afterEach, describe, expect, it } from 'vitest';
import { mediumRun, range } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { PrivateRedis } from './support/services.js';
import { waitFor } from './support/wait-for.js';

describe('Redis restarted mid-sweep (it keeps nothing on disk: every job is lost)', () => {
  let h: Harness | undefined;
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await h?.cleanup();
    await redis?.kill();
    h = undefined;
  });

  it('still ends every run in one final state, exactly once', async () => {
    redis = await PrivateRedis.start();
    h = await Harness.create({ redisUrl: redis.url });
    // Packing off: the runs waiting in Redis must be there when it goes (a pack takes them out).
    const alone = { extraEnv: { WORKER_PACK_SIZE: '1' } };
    await Promise.all([h.startWorker('w1', alone), h.startWorker('w2', alone)]);
    const ids = await h.submit({ name: `redis-restart-${h.prefix}`, base: mediumRun('redis-restart'), repeats: 10 });
    const harness = h;
    // Some runs done, two training, the rest waiting in Redis: then Redis goes away with all of them.
    await waitFor(async () => (await Promise.all(ids.map((id) => harness.run(id)))).filter((run) => run.status === 'SUCCEEDED').length >= 2, {
      what: 'two runs to finish',
    });
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => run.status)).toEqual(Array(ids.length).fill('SUCCEEDED'));
    for (const run of runs) {
      expect(await h.epochNumbers(run.id)).toEqual(range(1, run.epochs));
    }
    // The waiting runs came back through the reaper, not by luck.
    expect(h.workers.map((w) => w.output).join('\n')).toMatch(/reaper: re-enqueued \d+ run\(s\)/);
  });

  it('with packs training (their other runs hold no job): still ends every run in one final state, exactly once', async () => {
    redis = await PrivateRedis.start();
    h = await Harness.create({ redisUrl: redis.url });
    const packs = { extraEnv: { WORKER_PACK_SIZE: '4' } };
    await Promise.all([h.startWorker('w1', packs), h.startWorker('w2', packs)]);
    const ids = await h.submit({ name: `redis-restart-packed-${h.prefix}`, base: mediumRun('redis-restart-packed'), grid: { 'optimizer.learningRate': [0.01, 0.02] }, repeats: 6 });
    const harness = h;
    await waitFor(async () => (await Promise.all(ids.map((id) => harness.run(id)))).some((run) => run.env?.pack && run.currentEpoch >= 2), {
      what: 'a pack to be training',
    });
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => run.status)).toEqual(Array(ids.length).fill('SUCCEEDED'));
    for (const run of runs) expect(await h.epochNumbers(run.id)).toEqual(range(1, run.epochs));
  });
});
