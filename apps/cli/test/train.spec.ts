import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './run-cli.js';

let env: Record<string, string>;

beforeAll(async () => {
  env = { TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('cli-data-')) };
});

interface TrainJson {
  status: string;
  backend: string;
  params: number;
  seed: number;
  epochs: ({ epoch: number; loss: number } & Record<string, number>)[];
  testMetrics: Record<string, number>;
  predictions?: { input: number[]; output: number[]; label?: string }[];
  weights?: { layer: string; kernel?: number[][]; bias?: number[] }[];
  files?: string[];
}

async function trainJson(file: string, ...args: string[]): Promise<TrainJson> {
  const result = await runCli(['train', file, '--json', ...args], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as TrainJson;
}

function csvDefinition(path: string): Record<string, unknown> {
  return { name: 'csv line', seed: 1, dataset: { name: 'csv', path, target: 'y' }, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'sgd', loss: 'mse', epochs: 2, split: { test: 0 } };
}

const output = (json: TrainJson, i: number): number => json.predictions?.[i]?.output[0] ?? Number.NaN;

describe('trainyard train: the notebook tasks', () => {
  it('multiply: one neuron learns y = 3x (w near 3, b near 0) and predicts 5 and -9', async () => {
    const json = await trainJson('examples/notebook-1-multiply.json');
    expect(json.params).toBe(2);
    expect(json.epochs).toHaveLength(100);
    expect(Math.abs(output(json, 0) - 15)).toBeLessThan(0.5);
    expect(Math.abs(output(json, 1) + 27)).toBeLessThan(1.5);
    const neuron = json.weights?.[0];
    expect(neuron?.kernel?.[0]?.[0]).toBeCloseTo(3, 0);
    expect(Math.abs(neuron?.bias?.[0] ?? 99)).toBeLessThan(0.5);
  });

  it('sum: the 2-3-1 network adds 4+2 and 6+2', async () => {
    const json = await trainJson('examples/notebook-2-sum.json');
    expect(json.params).toBe(13);
    expect(Math.abs(output(json, 0) - 6)).toBeLessThan(0.5);
    expect(Math.abs(output(json, 1) - 8)).toBeLessThan(0.5);
  });

  it('california: 8-16-12-1 reaches test MAE below 0.6 and saves a loadable model with its preprocessor', { timeout: 300_000 }, async () => {
    const out = await makeTempDir('cli-out-');
    const json = await trainJson('examples/notebook-3-california.json', '--backend', 'wasm', '--out', out);
    expect(json.backend).toBe('wasm');
    expect(json.params).toBe(361);
    expect(json.epochs).toHaveLength(20);
    expect(json.epochs[0]).toHaveProperty('mae');
    expect(json.testMetrics.mae).toBeLessThan(0.6);
    for (const name of ['model.json', 'weights.bin', 'preprocessor.json', 'run.json']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    const preprocessor = JSON.parse(await readFile(join(out, 'preprocessor.json'), 'utf8')) as { features: { kind: string } };
    expect(preprocessor.features.kind).toBe('minmax');
    const model = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as { format: string };
    expect(model.format).toBe('layers-model');
  });
});

describe('trainyard train: classification', () => {
  it('iris reaches test accuracy of at least 0.9 and names the predicted species', async () => {
    const json = await trainJson('examples/iris.json');
    expect(json.testMetrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(json.predictions?.map((p) => p.label)).toEqual(['setosa', 'virginica']);
  });

  it('digits (8x8 images) reaches test accuracy of at least 0.9', async () => {
    const json = await trainJson('examples/digits.json');
    expect(json.testMetrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(json.epochs[0]).toHaveProperty('val_loss');
  });
});

describe('trainyard train: convnets on images', () => {
  it('digits-cnn (the digits as 8x8x1 images) reaches test accuracy of at least 0.97', { timeout: 300_000 }, async () => {
    const json = await trainJson('examples/digits-cnn.json');
    expect(json.testMetrics.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  // The full MNIST file is not here (no network): the sample that ships with trainyard, 5,400
  // training images after the validation part, tested on its 1,000 test images, against the
  // issue's bar for the data tests can use (0.95). Five of the example's six epochs (about 13 s
  // each here); measured on wasm: 0.948 after 3, 0.949 after 4, 0.960 after 5.
  it('mnist-cnn reaches test accuracy of at least 0.95 on the MNIST sample in 5 epochs', { timeout: 500_000 }, async () => {
    const json = await trainJson('examples/mnist-cnn.json', '--set', 'dataset.sample=true', '--epochs', '5');
    expect(json.epochs).toHaveLength(5);
    expect(json.testMetrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('trainyard train: text output and errors', () => {
  it('prints progress per epoch, the summary, test metrics, true vs predicted and weights', async () => {
    const result = await runCli(['train', 'examples/notebook-1-multiply.json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Epoch +1\/100 .*loss: /);
    expect(result.stdout).toMatch(/Epoch 100\/100 .*loss: /);
    expect(result.stdout).toMatch(/Total params: 2/);
    expect(result.stdout).toMatch(/True vs predicted, first 7 training rows/);
    expect(result.stdout).toMatch(/\[5\] -> 1[45]\.\d+/);
    // Labelled with the inputs they apply to (the multiply example scales nothing).
    expect(result.stdout).toMatch(/Weights before training:[\s\S]*Weights after training \(on the raw inputs\):/);
  });

  it('rejects an invalid definition with the field path, exit code 2, and writes nothing', async () => {
    const dir = await makeTempDir('cli-bad-');
    const file = join(dir, 'bad.json');
    const definition = JSON.parse(await readFile(join(REPO_ROOT, 'examples/notebook-3-california.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...definition, epochs: -3, loss: 'mse2' }));
    const out = join(dir, 'out');
    const result = await runCli(['train', file, '--out', out], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/epochs: must be >= 1/);
    expect(result.stderr).toMatch(/loss: must be one of/);
    expect(existsSync(out)).toBe(false);
  });

  it("reads a CSV path relative to the definition's folder, not the current directory", async () => {
    const dir = await makeTempDir('cli-csv-');
    await writeFile(join(dir, 'line.csv'), `x,y\n${Array.from({ length: 20 }, (_, i) => `${i},${2 * i + 1}`).join('\n')}\n`);
    await writeFile(join(dir, 'line.json'), JSON.stringify(csvDefinition('line.csv')));
    // runCli starts in the repository root: line.csv is found beside line.json all the same.
    const json = await trainJson(join(dir, 'line.json'));
    expect(json.status).toBe('succeeded');
  });

  it('a CSV file that is not there: the full path tried, exit code 2, nothing trained', async () => {
    const dir = await makeTempDir('cli-csv-');
    const file = join(dir, 'csv.json');
    await writeFile(file, JSON.stringify(csvDefinition('data/nope.csv')));
    const result = await runCli(['train', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${file}: dataset.path: no such file: ${join(dir, 'data', 'nope.csv')} (a relative path is read from the definition's folder, ${dir})\n`);
  });

  it('a registered dataset: one line saying train reads local files, and how to get it or submit it', async () => {
    const dir = await makeTempDir('cli-registered-');
    const file = join(dir, 'house.json');
    await writeFile(file, JSON.stringify({ ...csvDefinition(''), dataset: { name: 'apartments@2', target: 'price' } }));
    const result = await runCli(['train', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/train reads local files: run "trainyard dataset get apartments@2 --out \S+apartments\.csv" .* or train it on the workers with "trainyard submit /);
  });

  it('validate accepts an example and rejects an unknown backend flag', async () => {
    const ok = await runCli(['validate', 'examples/iris.json'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid definition "iris"');
    const bad = await runCli(['train', 'examples/iris.json', '--backend', 'gpu'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--backend must be one of auto, tensorflow, wasm, cpu/);
  });

  it('--set and --epochs change the file\'s definition before it is checked, and name the field when the result is wrong', async () => {
    const ok = await runCli(['validate', 'examples/iris.json', '--json', '--epochs', '5', '--set', 'optimizer.learningRate=0.1', '--set', 'split={"test":0.3}'], env);
    expect(ok.code).toBe(0);
    const { definition } = JSON.parse(ok.stdout) as { definition: { epochs: number; optimizer: { learningRate: number }; split: { test: number } } };
    expect(definition).toMatchObject({ epochs: 5, optimizer: { learningRate: 0.1 }, split: { test: 0.3 } });
    const bad = await runCli(['validate', 'examples/iris.json', '--set', 'epochs=ten', '--set', 'batch_size=8'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('epochs: must be number, got string');
    expect(bad.stderr).toContain('batch_size: unknown field (did you mean "batchSize"?)');
    const malformed = await runCli(['validate', 'examples/iris.json', '--set', 'epochs'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('must be FIELD=VALUE');
  });
});
