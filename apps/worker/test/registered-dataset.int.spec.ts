import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDatasetVersion } from '@trainyard/experiments';
import { datasetCachePath } from '@trainyard/experiments/config';
import { Harness } from './support/harness.js';

/** A small table with a category column and a missing cell: trains with the defaults (one-hot, median). */
function homes(slope: number): string {
  const lines = ['size,color,price'];
  for (let i = 0; i < 60; i++) lines.push(`${i === 7 ? '' : i},${['red', 'blue', 'green'][i % 3]},${i * slope + (i % 3)}`);
  return `${lines.join('\n')}\n`;
}

const onTable = (name: string, dataset: string) => ({
  name,
  seed: 4,
  dataset: { name: dataset, target: 'price' },
  split: { test: 0.2 },
  preprocessing: { features: 'standard' },
  model: { layers: [{ type: 'dense', units: 1 }] },
  optimizer: 'adam',
  loss: 'mse',
  epochs: 2,
  batchSize: 16,
});

const entries = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a run on a registered dataset', () => {
  let h: Harness | undefined;
  const dataHome = mkdtempSync(join(tmpdir(), 'trainyard-worker-datasets-'));
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    rmSync(dataHome, { recursive: true, force: true });
  });

  it('fetches the pinned bytes into its own cache once, trains, and the next run on them downloads nothing', async () => {
    h = await Harness.create();
    const prisma = h.database.prisma;
    const upload = async (name: string, text: string) =>
      (await addDatasetVersion(prisma, { name, body: (async function* () { yield new TextEncoder().encode(text); })(), maxBytes: 1 << 20 })).version;
    const v1 = await upload('homes', homes(2));
    const worker = await h.startWorker('w1', { dataHome });

    const [first] = await h.submit(onTable('first', 'homes'));
    if (!first) throw new Error('no run');
    expect((await h.waitFinal([first]))[0]).toMatchObject({ status: 'SUCCEEDED' });
    expect(existsSync(datasetCachePath(dataHome, v1.sha256))).toBe(true);

    await upload('homes', homes(3)); // v2: the next submission of "homes" pins it; this one names v1
    const [second] = await h.submit(onTable('second', 'homes@1'));
    if (!second) throw new Error('no run');
    expect((await h.waitFinal([second]))[0]).toMatchObject({ status: 'SUCCEEDED' });

    const lines = entries(worker.output);
    expect(lines.find((e) => e['runId'] === first && e['msg'] === 'dataset fetched')).toMatchObject({ sha256: v1.sha256, bytes: homes(2).length, jobId: first });
    expect(lines.find((e) => e['runId'] === second && e['msg'] === 'dataset cached')).toMatchObject({ sha256: v1.sha256 });
    expect(lines.some((e) => e['runId'] === second && e['msg'] === 'dataset fetched')).toBe(false);
  });

  it('fails the run with CHECKSUM_MISMATCH when the stored bytes are not the ones pinned, caching nothing', async () => {
    h = await Harness.create();
    const prisma = h.database.prisma;
    const version = (await addDatasetVersion(prisma, { name: 'damaged', body: (async function* () { yield new TextEncoder().encode(homes(2)); })(), maxBytes: 1 << 20 })).version;
    const blob = await prisma.blob.findUniqueOrThrow({ where: { sha256: version.sha256 } });
    // Same length, other bytes: what a damaged disk or a hand edit could leave.
    await prisma.blobChunk.update({ where: { blobId_index: { blobId: blob.id, index: 0 } }, data: { bytes: new TextEncoder().encode(`S${homes(2).slice(1)}`) } });
    await h.startWorker('w1', { dataHome });

    const [runId] = await h.submit(onTable('damaged', 'damaged'));
    if (!runId) throw new Error('no run');
    const [run] = await h.waitFinal([runId]);
    expect(run).toMatchObject({ status: 'FAILED', errorKind: 'dataset', errorCode: 'CHECKSUM_MISMATCH', attempt: 1 });
    expect(existsSync(datasetCachePath(dataHome, version.sha256))).toBe(false);
  });
});
