import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetUploadResponse, DatasetVersionDetail, DatasetView, JsonValue } from '@trainyard/contract';
import { makeTempDir } from '@trainyard/data/testing';
import { describe, expect, it } from 'vitest';
import { describePinned, LocalDatasetError, pinLocalDatasets, type DatasetApi } from './pin-local-datasets.js';

const CSV = 'area,rooms,price\n50,2,200\n70,3,260\n';
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A registry in memory behind the calls pinning makes; it records what was uploaded. */
function registry(): DatasetApi & { uploads: { name: string; bytes: string; filename?: string }[] } {
  const versions: DatasetVersionDetail[] = [];
  const uploads: { name: string; bytes: string; filename?: string }[] = [];
  const view = (name: string): DatasetView | undefined => {
    const mine = versions.filter((v) => v.name === name);
    const latest = mine.at(-1);
    return latest && { name, createdAt: latest.createdAt, versions: mine.length, runs: 0, latest };
  };
  return {
    uploads,
    listDatasets: async (query = {}) => ({
      items: [...new Set(versions.filter((v) => v.sha256 === query.sha256).map((v) => v.name))].flatMap((name) => view(name) ?? []),
      nextCursor: null,
    }),
    getDataset: async (name) => ({ name, createdAt: '2026-01-01T00:00:00.000Z', versions: versions.filter((v) => v.name === name).reverse() }),
    addDatasetVersion: async (name, upload): Promise<DatasetUploadResponse> => {
      const bytes = await new Response(upload.data).text();
      uploads.push({ name, bytes, ...(upload.filename ? { filename: upload.filename } : {}) });
      const same = versions.find((v) => v.name === name && v.sha256 === sha(bytes));
      if (same) return { created: false, version: same };
      const version: DatasetVersionDetail = {
        name,
        version: versions.filter((v) => v.name === name).length + 1,
        sha256: sha(bytes),
        size: bytes.length,
        filename: upload.filename ?? null,
        format: 'csv',
        rows: 2,
        columns: 3,
        createdAt: '2026-01-01T00:00:00.000Z',
        runs: 0,
        profile: { format: 'csv', delimiter: ',', rows: 2, columns: [{ name: 'area', type: 'number', missing: 0, distinct: 2, distinctCapped: false }], preview: [] },
      };
      versions.push(version);
      return { created: true, version };
    },
    reachable: async () => true,
  };
}

async function project(): Promise<{ dir: string; def: string }> {
  const dir = await makeTempDir('cli-pin-');
  await mkdir(join(dir, 'defs', 'data'), { recursive: true });
  await writeFile(join(dir, 'defs', 'data', 'Apartments.csv'), CSV);
  return { dir, def: join(dir, 'defs', 'house.json') };
}

const definition = (dataset: { [key: string]: JsonValue }): { [key: string]: JsonValue } => ({ name: 'house', dataset, epochs: 3 });

describe('pinLocalDatasets', () => {
  it("uploads a local CSV (found from the definition's folder) once, and replaces it by the version it is", async () => {
    const { def } = await project();
    const api = registry();
    const local = definition({ name: 'csv', path: 'data/Apartments.csv', target: 'price', task: 'regression' });
    const first = await pinLocalDatasets(local, def, {}, api);
    expect(first.body).toEqual({ name: 'house', dataset: { name: 'apartments', version: 1, sha256: sha(CSV), target: 'price', task: 'regression' }, epochs: 3 });
    expect(api.uploads).toEqual([{ name: 'apartments', bytes: CSV, filename: 'Apartments.csv' }]);
    expect(describePinned(first.pinned[0] ?? ({} as never))).toBe('uploaded data/Apartments.csv as apartments@1');

    // The same bytes again: asked by hash, nothing sent.
    const second = await pinLocalDatasets(local, def, {}, api);
    expect(second.body).toEqual(first.body);
    expect(api.uploads).toHaveLength(1);
    expect(describePinned(second.pinned[0] ?? ({} as never))).toBe('data/Apartments.csv is apartments@1 already');
  });

  it("pins a sweep's base and keeps its features; --dataset-name chooses the name", async () => {
    const { def } = await project();
    const api = registry();
    const sweep = { name: 's', base: definition({ name: 'csv', path: 'data/Apartments.csv', target: 'price', features: ['area'] }), grid: { epochs: [1, 2] } };
    const { body, pinned } = await pinLocalDatasets(sweep, def, { datasetName: 'flats' }, api);
    expect(body).toEqual({ ...sweep, base: { ...sweep.base, dataset: { name: 'flats', version: 1, sha256: sha(CSV), target: 'price', features: ['area'] } } });
    expect(pinned.map((p) => p.field)).toEqual(['base.dataset']);
  });

  it('the same bytes under another name are uploaded under this name', async () => {
    const { def } = await project();
    const api = registry();
    await pinLocalDatasets(definition({ name: 'csv', path: 'data/Apartments.csv', target: 'price' }), def, { datasetName: 'other' }, api);
    const { pinned } = await pinLocalDatasets(definition({ name: 'csv', path: 'data/Apartments.csv', target: 'price' }), def, {}, api);
    expect(pinned[0]).toMatchObject({ name: 'apartments', version: 1, uploaded: true });
    expect(api.uploads.map((u) => u.name)).toEqual(['other', 'apartments']);
  });

  it('a missing file names the field and the full path tried, and sends nothing', async () => {
    const { dir, def } = await project();
    const api = registry();
    const error = await pinLocalDatasets(definition({ name: 'csv', path: 'apartments.csv', target: 'price' }), def, {}, api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalDatasetError);
    expect((error as Error).message).toBe(`dataset.path: no such file: ${join(dir, 'defs', 'apartments.csv')}`);
    expect(api.uploads).toEqual([]);
  });

  it('a bad --dataset-name is refused before anything is sent', async () => {
    const { def } = await project();
    const api = registry();
    await expect(pinLocalDatasets(definition({ name: 'csv', path: 'data/Apartments.csv', target: 'price' }), def, { datasetName: 'Flats!' }, api)).rejects.toThrow(/--dataset-name/);
    expect(api.uploads).toEqual([]);
  });

  it('leaves built-in and registered datasets, and anything that is not a definition, as they are', async () => {
    const api = registry();
    for (const body of [definition({ name: 'iris' }), definition({ name: 'housing@2', target: 'price' }), [], 'x', null] as JsonValue[]) {
      expect(await pinLocalDatasets(body, '/nowhere/def.json', {}, api)).toEqual({ body, pinned: [] });
    }
  });
});
