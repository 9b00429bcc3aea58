import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDefinition, type ExperimentDefinition } from '@trainyard/contract';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { trainDataset } from './train-dataset.js';

const def = (dataset: Record<string, unknown>): ExperimentDefinition =>
  parseDefinition({ name: 'd', dataset, model: { layers: [{ type: 'dense', units: 1 }] }, optimizer: 'adam', loss: 'mse', epochs: 1 });

describe('trainDataset', () => {
  it("resolves a CSV path against the definition's folder", async () => {
    const dir = await makeTempDir('cli-train-ds-');
    await writeFile(join(dir, 'lin.csv'), 'x,y\n1,2\n');
    const result = await trainDataset(def({ name: 'csv', path: 'lin.csv', target: 'y' }), join(dir, 'def.json'));
    expect(result).toMatchObject({ ok: true, def: { dataset: { name: 'csv', path: join(dir, 'lin.csv'), target: 'y' } } });
  });

  it('a missing file: the full path tried and the folder relative paths are read from', async () => {
    const dir = await makeTempDir('cli-train-ds-');
    const result = await trainDataset(def({ name: 'csv', path: 'data/lin.csv', target: 'y' }), join(dir, 'def.json'));
    expect(result).toEqual({ ok: false, message: `dataset.path: no such file: ${join(dir, 'data', 'lin.csv')} (a relative path is read from the definition's folder, ${dir})` });
  });

  it('a registered dataset: one line saying train reads local files, how to download it, or to submit', async () => {
    const file = join('examples', 'house.json');
    const result = await trainDataset(def({ name: 'housing@2', target: 'price' }), file);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('train reads local files');
    expect(message).toContain(`trainyard dataset get housing@2 --out ${relative(process.cwd(), join('examples', 'housing.csv'))}`);
    expect(message).toContain('"path": "housing.csv"');
    expect(message).toContain(`trainyard submit ${file}`);
  });

  it('leaves a built-in dataset as it is', async () => {
    const builtIn = def({ name: 'multiply' });
    expect(await trainDataset(builtIn, 'x.json')).toEqual({ ok: true, def: builtIn });
  });
});
