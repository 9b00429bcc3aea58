import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '@trainyard/contract';
import { runPipeline, withSeed } from './run-pipeline.js';
import type { DoneEvent, RunEvent } from './run-events.js';

const examples = new URL('../../../../examples/', import.meta.url);

/** examples/apartment-prices.json with its path resolved against the definition's folder, as `trainyard train` does. */
async function apartments(): Promise<Record<string, unknown>> {
  const json = JSON.parse(await readFile(new URL('apartment-prices.json', examples), 'utf8')) as Record<string, unknown> & {
    dataset: { path: string };
  };
  return { ...json, dataset: { ...json.dataset, path: fileURLToPath(new URL(json.dataset.path, examples)) } };
}

async function train(input: unknown): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const dataHome = await makeTempDir('table-example-');
  for await (const event of runPipeline(withSeed(parseDefinition(input)), { backend: 'cpu', dataHome })) events.push(event);
  return events;
}

describe('a table of our own (examples/apartment-prices.json)', () => {
  it('trains from raw cells to a test MAE well under the spread of the price, and predicts raw rows', async () => {
    const events = await train(await apartments());
    const last = events.at(-1);
    if (last?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(last)}`);
    const { result } = last as DoneEvent;
    const start = events[0];
    expect(start?.type === 'start' && start.dataset.featureNames).toEqual(['area_m2', 'rooms', 'floor', 'year_built', 'district', 'balcony', 'heating']);
    // Input width 17 = 4 numbers + 6 districts + 2 balcony values + 5 heating values (4 kinds and "(missing)").
    expect(start?.type === 'start' && start.summary.layers[0]?.params).toBe((17 + 1) * 32);

    // The price's standard deviation is about 210 (k euros); guessing the mean gives an MAE of about 170.
    // Left without the districts (or with their encoding broken) the model stays above 80.
    expect(result.testMetrics.mae).toBeLessThan(40);
    expect(result.testMetrics.r2).toBeGreaterThan(0.9);

    expect(result.samples[0]?.input.some((cell) => typeof cell === 'string')).toBe(true);
    const [oldTown, mill, unseen] = result.predictions;
    expect(oldTown?.input).toEqual([72, 3, 2, 1998, 'Old Town', 'yes', 'heat pump']);
    expect(mill?.input).toEqual([45, '2', 0, null, 'Mill Lane, North', 'no', '']);
    // Old Town at 6.0 per m2: 72 m2 is about 470; Mill Lane at 3.0: 45 m2 is about 120.
    expect(oldTown?.output[0]).toBeGreaterThan(380);
    expect(oldTown?.output[0]).toBeLessThan(560);
    expect(mill?.output[0]).toBeGreaterThan(60);
    expect(mill?.output[0]).toBeLessThan(200);
    expect(Number.isFinite(unseen?.output[0])).toBe(true);
    expect(result.preprocessor.version).toBe(2);
  }, 120_000);

  it('refuses a free-text feature and a bad predict cell before training', async () => {
    const dir = await makeTempDir('table-text-');
    const { writeFile } = await import('node:fs/promises');
    const rows = Array.from({ length: 60 }, (_, i) => `${i},comment number ${i},${i * 2}`);
    await writeFile(`${dir}/notes.csv`, ['x,note,y', ...rows].join('\n'));
    const base = {
      name: 'notes',
      dataset: { name: 'csv', path: `${dir}/notes.csv`, target: 'y' },
      model: { layers: [{ type: 'dense', units: 1 }] },
      optimizer: 'adam',
      loss: 'mse',
      epochs: 1,
    };
    const text = (await train(base)).at(-1);
    expect(text?.type === 'failed' && text.error.message).toMatch(
      /feature column 'note' is free text \(60 distinct values in 60 rows\).*dataset\.features.*preprocessing\.columns\.note\.type to "category"/,
    );
    const predict = (await train({ ...base, dataset: { ...base.dataset, features: ['x'] }, predict: [['many']] })).at(-1);
    expect(predict?.type === 'failed' && predict.error).toMatchObject({ kind: 'definition' });
    expect(predict?.type === 'failed' && predict.error.message).toMatch(/predict\[0\]: column 'x': 'many' is not a number/);
  });
});
