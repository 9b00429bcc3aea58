import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingCsvRun, quickRun } from './support/definitions.js';
import { Harness } from './support/harness.js';
import { waitFor } from './support/wait-for.js';

describe('a run that cannot succeed', () => {
  let h: Harness | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-csv-'));
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends FAILED with the message after one attempt, and is not retried', async () => {
    h = await Harness.create();
    await h.startWorker('w1');
    // Two classes in the file, three output units in the model: only the data can tell.
    const csv = join(dir, 'two-classes.csv');
    writeFileSync(csv, 'a,b,label\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2}`).join('\n') + '\n');
    const badDefinition = {
      ...quickRun('three-units-two-classes', 1),
      dataset: { name: 'csv', path: csv, target: 'label', features: ['a', 'b'], task: 'classification' },
      model: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    };
    const [definitionRun] = await h.submit(badDefinition);
    const [datasetRun] = await h.submit(missingCsvRun('missing-file'));
    if (!definitionRun || !datasetRun) throw new Error('no runs');

    const [defFailed, dataFailed] = await h.waitFinal([definitionRun, datasetRun]);
    expect(defFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'definition' });
    expect(defFailed?.error).toMatch(/units/);
    expect(dataFailed).toMatchObject({ status: 'FAILED', attempt: 1, errorKind: 'dataset', errorCode: 'NOT_FOUND' });
    expect(dataFailed?.error).toContain('/nonexistent/trainyard-test.csv');

    // BullMQ failed each job for good after one attempt (UnrecoverableError), nothing is scheduled again.
    const harness = h;
    await waitFor(async () => (await harness.producer.counts()).failed === 2, { what: 'both jobs to be failed' });
    expect(await h.producer.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
    expect((await h.run(definitionRun)).attempt).toBe(1);
  });
});
