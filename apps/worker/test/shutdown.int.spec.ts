import { afterEach, describe, expect, it } from 'vitest';
import { PACK_EPOCHS, range, SLOW_EPOCHS, slowPackRun, slowRun } from './support/definitions.js';
import { Harness } from './support/harness.js';

describe('SIGTERM with a run in flight', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('past a short deadline, hands the run back; another worker finishes it', async () => {
    h = await Harness.create();
    await Promise.all([h.startWorker('w1', { shutdownDeadlineMs: 300 }), h.startWorker('w2', { shutdownDeadlineMs: 300 })]);
    const [id] = await h.submit(slowRun('sigterm-short'));
    if (!id) throw new Error('no run');
    const running = await h.waitForEpoch(id, 2);
    const leaving = h.worker(running.workerId);
    leaving.kill('SIGTERM');
    expect(await leaving.exit()).toBe(0);
    expect(leaving.output).toMatch(/handing 1 run\(s\) back to the queue/);

    const [run] = await h.waitFinal([id]);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.attempt).toBe(2);
    expect(run?.workerId).not.toBe(leaving.name);
    const detail = await h.run(id);
    expect(detail.releases).toEqual([expect.objectContaining({ attempt: 1, reason: 'worker shutdown' })]);
    expect(await h.epochNumbers(id)).toEqual(range(1, SLOW_EPOCHS));
  });

  it('past a short deadline, hands every run of a pack back, each with a job again; another worker finishes them', async () => {
    h = await Harness.create();
    const leaving = await h.startWorker('w1', { shutdownDeadlineMs: 300 });
    const ids = await h.submit({ name: `sigterm-pack-${h.prefix}`, base: slowPackRun('sigterm-pack'), grid: { 'optimizer.learningRate': [0.01, 0.02, 0.03] } });
    await h.waitForEpoch(ids[0] as string, 2);
    leaving.kill('SIGTERM');
    expect(await leaving.exit()).toBe(0);
    expect(leaving.output).toMatch(/handing 3 run\(s\) back to the queue/);
    // The runs the pack took came without a job: the leaving worker queued them again.
    for (const id of ids) expect(await h.producer.jobState(id)).toBe('waiting');
    await h.startWorker('w2', { shutdownDeadlineMs: 300 });

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => [run.status, run.attempt, run.workerId])).toEqual(Array(3).fill(['SUCCEEDED', 2, 'w2']));
    for (const id of ids) {
      expect((await h.run(id)).releases).toEqual([expect.objectContaining({ attempt: 1, reason: 'worker shutdown' })]);
      expect(await h.epochNumbers(id)).toEqual(range(1, PACK_EPOCHS));
    }
  });

  it('within a long deadline, lets the run finish, then exits cleanly', async () => {
    h = await Harness.create();
    const worker = await h.startWorker('w1', { shutdownDeadlineMs: 120_000 });
    const [id] = await h.submit(slowRun('sigterm-long'));
    if (!id) throw new Error('no run');
    await h.waitForEpoch(id, 2);
    worker.kill('SIGTERM');
    expect(await worker.exit()).toBe(0);

    const run = await h.run(id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.attempt).toBe(1);
    expect(run.releases).toEqual([]);
    expect(await h.epochNumbers(id)).toEqual(range(1, SLOW_EPOCHS));
  });
});
