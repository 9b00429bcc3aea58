import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPackedPipeline, type runPipeline } from '@trainyard/experiments';
import { PACK_EPOCHS, quickRun, range, slowPackRun } from './support/definitions.js';
import { Harness } from './support/harness.js';

/** The sweep of the issue in small: 3 learning rates x 4 seeds of the sum task. */
const GRID = { 'optimizer.learningRate': [0.003, 0.01, 0.03] };

describe('a sweep trained in packs', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('trains the runs of a sweep together, each its own run with the numbers it has in any pack; a rerun trains as a pack of one and reproduces it exactly (wasm)', async () => {
    // wasm: the backend where a packed run's numbers differ from the same run alone (its fused
    // Dense kernel rounds once less), so where training a rerun like its original matters.
    h = await Harness.create();
    await h.startWorker('w1', { extraEnv: { WORKER_PACK_SIZE: '8', TRAINYARD_BACKEND: 'wasm' } });
    const ids = await h.submit({ name: `packed-${h.prefix}`, base: quickRun('packed', 1), grid: GRID, repeats: 4 });
    expect(ids).toHaveLength(12);

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => [run.status, run.attempt, run.backend])).toEqual(Array(12).fill(['SUCCEEDED', 1, 'wasm']));
    const packed = runs.filter((run) => run.env?.pack);
    // The first run claimed took up to 7 others; the rest may come in later packs or alone.
    expect(packed.length).toBeGreaterThanOrEqual(8);
    for (const run of packed) {
      const pack = run.env?.pack;
      expect(pack?.size).toBeLessThanOrEqual(8);
      expect(pack?.runIds).toContain(run.id);
      expect(pack?.runIds).toHaveLength(pack?.size ?? 0);
      // A packed run's epochs do not depend on its pack: they are the same definition and seed trained here as a pack of one.
      const recorded = await h.epochs.list(run.id);
      expect(recorded.map((epoch) => epoch.metrics)).toEqual(await epochsAsPackOfOne({ ...run.definition, seed: run.seed }));
    }

    const original = packed[0] as (typeof packed)[number];
    const [rerunId] = await h.rerun(original.id);
    const [rerun] = await h.waitFinal([rerunId as string]);
    expect(rerun?.reproduction).toEqual({ exact: true, epochs: original.epochs });
    expect(rerun?.env?.pack).toEqual({ size: 1 });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  });

  it('cancels one run of a pack; the others go on and succeed', async () => {
    h = await Harness.create();
    await h.startWorker('w1');
    const ids = await h.submit({ name: `packed-cancel-${h.prefix}`, base: slowPackRun('packed-cancel'), grid: { 'optimizer.learningRate': [0.01, 0.02] }, repeats: 2 });
    const [victim] = ids;
    if (!victim) throw new Error('no run');
    await h.waitForEpoch(victim, 2);
    await h.cancel(victim);

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => run.status)).toEqual(ids.map((id) => (id === victim ? 'CANCELLED' : 'SUCCEEDED')));
    expect(runs.every((run) => run.env?.pack?.size === 4)).toBe(true);
    for (const id of ids.filter((id) => id !== victim)) expect(await h.epochNumbers(id)).toEqual(range(1, PACK_EPOCHS));
  });

  it('finishes every run of a pack once when its worker is killed with SIGKILL', async () => {
    h = await Harness.create();
    await h.startWorker('w1');
    const ids = await h.submit({ name: `packed-crash-${h.prefix}`, base: slowPackRun('packed-crash'), grid: { 'optimizer.learningRate': [0.01, 0.02] }, repeats: 2 });
    const running = await h.waitForEpoch(ids[0] as string, 3);
    const victim = h.worker(running.workerId);
    victim.kill('SIGKILL');
    expect(await victim.exit()).toBeNull();
    await h.startWorker('w2');

    const runs = await h.waitFinal(ids);
    expect(runs.map((run) => run.status)).toEqual(Array(4).fill('SUCCEEDED'));
    for (const run of runs) {
      expect(run.attempt).toBeGreaterThanOrEqual(2);
      expect(run.workerId).toBe('w2');
      expect(await h.epochNumbers(run.id)).toEqual(range(1, PACK_EPOCHS));
    }
  });
});

/** The run trained in this process as a pack of one on wasm (the sum task needs no files). */
async function epochsAsPackOfOne(definition: Parameters<typeof runPipeline>[0]): Promise<Record<string, number>[]> {
  const epochs: Record<string, number>[] = [];
  const dataHome = mkdtempSync(join(tmpdir(), 'packed-alone-'));
  for await (const { event } of runPackedPipeline([definition], { backend: 'wasm', dataHome, packAlone: true })) {
    if (event.type === 'epoch') epochs.push(event.metrics);
  }
  return epochs;
}
