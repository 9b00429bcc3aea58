import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDefinition, type ExperimentDefinition } from '@trainyard/contract';
import { prepareData } from './prepare-data.js';
import { SAMPLE_PIXELS } from './evaluate-run.js';
import { runPipeline, withSeed } from './run-pipeline.js';
import type { RunEvent } from './run-events.js';

let dataHome: string;
beforeAll(async () => {
  dataHome = await seedDataHome(await makeTempDir('image-pipeline-'));
});

const digitsMlp = {
  name: 'digits mlp',
  seed: 5,
  dataset: { name: 'digits' },
  split: { test: 0.2, validation: 0.1 },
  model: {
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  },
  optimizer: 'adam',
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
  epochs: 3,
  batchSize: 64,
};

/** A definition on an image dataset, scaled by 'pixels', parsed as the CLI and the API parse it. */
function imageDefinition(dataset: Record<string, unknown>, overrides: Record<string, unknown> = {}): ExperimentDefinition & { seed: number } {
  return withSeed(parseDefinition({ ...digitsMlp, dataset, preprocessing: { features: 'pixels' }, ...overrides }));
}

async function collect(def: ExperimentDefinition & { seed: number }): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of runPipeline(def, { backend: 'wasm', dataHome })) events.push(event);
  return events;
}

const epochMetrics = (events: RunEvent[]): Record<string, number>[] => events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));

describe('image datasets in the pipeline', () => {
  it('trains the mnist sample as 28x28x1 images on its official 1,000 test images, the same twice for one seed', async () => {
    const def = imageDefinition({ name: 'mnist', sample: true, as: 'images' }, { batchSize: 128, optimizer: { name: 'adam', learningRate: 0.003 } });
    const events = await collect(def);
    const last = events.at(-1);
    if (last?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(last)}`);
    const start = events[0];
    if (start?.type !== 'start') throw new Error('expected start');
    // Validation is 10 % of the 6,000 training images; the test part is the sample's own 1,000.
    expect(start.split).toEqual({ train: 5_400, validation: 600, test: 1_000 });
    expect(start.dataset).toMatchObject({ imageShape: [28, 28, 1], pixelMax: 255, rows: 7_000 });
    expect(start.dataset.hash).toBe('841c5cc93820daf01fa1d144e8caf4b6bd4079bcf1ad93c27e9564621a428f11');
    expect(start.summary.totalParams).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(last.result.testMetrics['accuracy']).toBeGreaterThanOrEqual(0.9);
    expect(last.result.preprocessor.features).toEqual({ kind: 'pixels', max: 255 });
    // As many 784-pixel images as SAMPLE_PIXELS allows, the misclassified first.
    const samples = last.result.samples;
    expect(samples).toHaveLength(Math.floor(SAMPLE_PIXELS / 784));
    const wrong = samples.map((s) => s.truth !== s.predicted);
    expect(wrong.indexOf(false)).toBeGreaterThan(0);
    expect(wrong.slice(wrong.indexOf(false))).not.toContain(true);
    expect(last.result.samplesFrom).toBe('test');

    const again = await collect(def);
    expect(epochMetrics(again)).toEqual(epochMetrics(events));
    const end = again.at(-1);
    expect(end?.type === 'done' && end.result.testMetrics).toEqual(last.result.testMetrics);
  });

  it('gives the model its input shape from the data: images [h, w, c], features [n]', async () => {
    const prepared = async (def: ExperimentDefinition & { seed: number }) => prepareData(def, def.seed, { dataHome });
    const images = await prepared(imageDefinition({ name: 'digits', as: 'images' }));
    expect(images.inputShape).toEqual([8, 8, 1]);
    expect(images.train.x[0]?.every((v) => v >= 0 && v <= 1)).toBe(true);
    const denseFirst = { model: { layers: digitsMlp.model.layers.slice(1) }, split: { test: 0.2, validation: 0 } };
    const flat = await prepared(imageDefinition({ name: 'fashion_mnist', sample: true, as: 'features' }, denseFirst));
    expect(flat.inputShape).toEqual([784]);
    // The official test part whatever split.test says (the contract refuses another value).
    expect([flat.train.x.length, flat.validation?.x.length ?? 0, flat.test?.x.length]).toEqual([6_000, 0, 1_000]);
    expect(flat.dataset.classNames?.[0]).toBe('T-shirt/top');
  });

  it('keeps a definition from before images (digits with a leading flatten) training as it did', async () => {
    const def = withSeed(parseDefinition({ ...digitsMlp, preprocessing: { features: 'minmax' } }));
    const data = await prepareData(def, def.seed, { dataHome });
    // As before images: digits are 64 features, and a leading flatten gets them as [8, 8].
    expect(data.dataset.featureShape).toEqual([64]);
    expect(data.inputShape).toEqual([8, 8]);
    const dense = await prepareData(withSeed(parseDefinition({ ...digitsMlp, model: { layers: digitsMlp.model.layers.slice(1) } })), 1, { dataHome });
    expect(dense.inputShape).toEqual([64]);
    expect([data.train.x.length, data.validation?.x.length, data.test?.x.length]).toEqual([1_293, 144, 360]);
    const events = await collect(def);
    const last = events.at(-1);
    if (last?.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(last)}`);
    expect(last.result.testMetrics['accuracy']).toBeGreaterThan(0.5);
  });
});
