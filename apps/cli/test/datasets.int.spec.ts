import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, makeZip, pngBytes, seedDataHome } from '@trainyard/data/testing';
import { openDatabase, type Database } from '@trainyard/experiments';
import { startProcess, TEST_DATABASE_URL, TEST_REDIS_URL, testSchemaName, type StartedProcess } from '@trainyard/experiments/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, type CliResult } from './run-cli.js';

const BIN = fileURLToPath(new URL('../bin/trainyard.js', import.meta.url));
const API_READY = /API and dashboard on http:\/\/\S+:(\d+)/;

/**
 * A table as people bring them: a category with a comma inside quotes, a yes/no column,
 * missing cells (an empty area, an empty district) and a price that depends on all three.
 */
function flatsCsv(rows: number): string {
  const districts = ['north', 'south', '"east, old town"', 'west'];
  const lines = ['area,district,balcony,price'];
  for (let i = 0; i < rows; i++) {
    const area = 30 + ((i * 37) % 90);
    const district = i % 4;
    const balcony = i % 3 === 0;
    const price = 2 * area + 25 * district + (balcony ? 15 : 0);
    lines.push(`${i % 17 === 5 ? '' : area},${i % 23 === 7 ? '' : districts[district]},${balcony ? 'yes' : 'no'},${price}`);
  }
  return `${lines.join('\n')}\n`;
}

const sha256 = (bytes: string | Buffer): string => createHash('sha256').update(bytes).digest('hex');

function flatsDefinition(path: string, name = 'flats price'): Record<string, unknown> {
  return {
    name,
    seed: 3,
    dataset: { name: 'csv', path, target: 'price' },
    preprocessing: { features: 'standard', target: 'standard' },
    model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 1 }] },
    optimizer: { name: 'adam', learningRate: 0.01 },
    loss: 'mse',
    metrics: ['mae'],
    epochs: 30,
    split: { test: 0.2 },
  };
}

async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runCli(args, env);
}

async function json<T>(args: string[], env: Record<string, string>): Promise<{ value: T; result: CliResult }> {
  const result = await cli([...args, '--json'], env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return { value: JSON.parse(result.stdout) as T, result };
}

interface UploadJson {
  created: boolean;
  version: { name: string; version: number; sha256: string; size: number; rows: number; profile: { columns: { name: string; type: string; missing: number }[] } };
}
interface RunJson {
  id: string;
  status: string;
  error?: { message: string } | null;
  definition?: { dataset: Record<string, unknown> };
}

/**
 * A folder of images as people bring them, zipped: one folder per class under a top folder,
 * 8x8 PNGs of a bar, across (`across/`) or down (`down/`), at a position that varies.
 */
function barsZip(perClass: number): Uint8Array {
  const bar = (down: boolean, at: number) => (x: number, y: number) => ((down ? x : y) === at ? [255, 255, 255] : [0, 0, 0]) as [number, number, number];
  return makeZip(
    ['across', 'down'].flatMap((name, c) =>
      Array.from({ length: perClass }, (_, i) => ({ path: `bars/${name}/${String(i).padStart(3, '0')}.png`, data: pngBytes(8, 8, bar(c === 1, (i * 5) % 8)) })),
    ),
  );
}

describe('trainyard dataset add, ls, show, get, rm against `trainyard up`', () => {
  let up: StartedProcess;
  let env: Record<string, string>;
  let dir: string;
  const csv = flatsCsv(200);

  beforeAll(async () => {
    dir = await makeTempDir('cli-datasets-');
    await writeFile(join(dir, 'Flats.csv'), csv);
    const serverEnv = {
      PORT: '0',
      TRAINYARD_DB_DIR: join(dir, 'db'),
      TRAINYARD_QUEUE_PREFIX: `test-cli-ds-${randomBytes(4).toString('hex')}`,
      TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('cli-datasets-up-')),
      WORKER_HEARTBEAT_MS: '500',
    };
    up = await startProcess(process.execPath, [BIN, 'up'], { cwd: REPO_ROOT, env: { ...process.env, ...serverEnv }, ready: API_READY });
    env = { TRAINYARD_URL: `http://127.0.0.1:${up.ready[1]}` };
  });
  afterAll(async () => {
    await up?.stop();
  });

  it('add uploads a table and prints its version, rows and each column with its inferred type and missing cells; the same bytes again are the same version', async () => {
    const added = await cli(['dataset', 'add', join(dir, 'Flats.csv')], env);
    expect(added.code, added.stderr).toBe(0);
    const lines = added.stdout.split('\n');
    expect(lines[0]).toBe('flats@1 (new)');
    expect(lines[1]).toMatch(/^200 rows · 4 columns · csv · /);
    expect(added.stdout).toMatch(/\narea\s+number\s+12\s+min 30 /);
    expect(added.stdout).toMatch(/\ndistrict\s+category\s+9\s+/);
    expect(added.stdout).toMatch(/\nbalcony\s+boolean\s+0\s+/);

    const again = await json<UploadJson>(['dataset', 'add', join(dir, 'Flats.csv'), '--name', 'flats'], env);
    expect(again.value.created).toBe(false);
    expect(again.value.version).toMatchObject({ name: 'flats', version: 1, sha256: sha256(csv), size: Buffer.byteLength(csv), rows: 200 });
    expect((await cli(['dataset', 'add', join(dir, 'Flats.csv')], env)).stdout.split('\n')[0]).toBe('flats@1 (already there: same bytes)');

    await writeFile(join(dir, 'flats-v2.csv'), flatsCsv(220));
    const second = await json<UploadJson>(['dataset', 'add', join(dir, 'flats-v2.csv'), '--name', 'flats'], env);
    expect(second.value).toMatchObject({ created: true, version: { name: 'flats', version: 2, rows: 220 } });
  });

  it('add uploads a zip of class folders as a folder of images; a definition with an image size trains on it through the worker', async () => {
    await writeFile(join(dir, 'bars.zip'), barsZip(24));
    const added = await cli(['dataset', 'add', join(dir, 'bars.zip')], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.split('\n').slice(0, 2)).toEqual(['bars@1 (new)', expect.stringMatching(/^48 images · 2 classes · images · /)]);
    expect(added.stdout).toMatch(/\nacross\s+24\n/);
    expect(added.stdout).toContain('8 x 8 pixels (width x height) · grayscale · 48 PNG · zip');

    const definition = {
      name: 'bars',
      seed: 5,
      dataset: { name: 'bars', image: { height: 8, width: 8, channels: 1 } },
      preprocessing: { features: 'pixels' },
      split: { test: 0.25, stratify: true },
      // Across vs down is not linearly separable in the pixels (every bar's pixels sum alike): a small convnet.
      model: {
        layers: [
          { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
          { type: 'maxPooling2d', poolSize: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 2, activation: 'softmax' },
        ],
      },
      optimizer: { name: 'adam', learningRate: 0.02 },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      epochs: 40,
    };
    await writeFile(join(dir, 'bars.json'), JSON.stringify(definition));
    const submitted = await cli(['submit', join(dir, 'bars.json'), '--wait', '--json'], env);
    expect(submitted.code, submitted.stderr).toBe(0);
    const [run] = (JSON.parse(submitted.stdout) as { runs: (RunJson & { testMetrics: Record<string, number> })[] }).runs;
    expect(run?.status, run?.error?.message).toBe('SUCCEEDED');
    expect(run?.testMetrics['accuracy']).toBeGreaterThanOrEqual(0.9);
    const shown = await json<RunJson & { env: { dataset: Record<string, unknown> }; samples: { input: number[]; truth: string }[] }>(['show', run?.id ?? ''], env);
    expect(shown.value.definition?.dataset).toMatchObject({ name: 'bars', version: 1, image: { height: 8, width: 8, channels: 1 } });
    expect(shown.value.env.dataset).toMatchObject({ imageShape: [8, 8, 1], pixelMax: 255, classNames: ['across', 'down'] });
    expect(shown.value.samples[0]?.input).toHaveLength(64);
  });

  it('ls and show list datasets, versions, and a version with its columns and first rows', async () => {
    const list = await json<{ items: { name: string; versions: number; latest: { version: number } }[] }>(['dataset', 'ls'], env);
    expect(list.value.items.find((d) => d.name === 'flats')).toMatchObject({ versions: 2, latest: { version: 2 } });
    expect((await cli(['dataset', 'ls'], env)).stdout).toMatch(/^name\s+latest\s+versions/);

    const versions = await json<{ versions: { version: number; sha256: string }[] }>(['dataset', 'show', 'flats'], env);
    expect(versions.value.versions.map((v) => v.version)).toEqual([2, 1]);
    const shown = await cli(['dataset', 'show', 'flats@1'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^flats@1 {2}200 rows · 4 columns/);
    expect(shown.stdout).toMatch(/First 10 rows:\narea\s+district\s+balcony\s+price\n/);
    const detail = await json<UploadJson['version']>(['dataset', 'show', 'flats@1'], env);
    expect(detail.value.profile.columns.map((c) => [c.name, c.type])).toEqual([
      ['area', 'number'],
      ['district', 'category'],
      ['balcony', 'boolean'],
      ['price', 'number'],
    ]);
  });

  it('get writes the exact bytes, to a file or to stdout', async () => {
    const out = join(dir, 'back.csv');
    const got = await cli(['dataset', 'get', 'flats@1', '--out', out], env);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(/^flats@1 -> .*back\.csv \(.*verified\)/);
    expect(sha256(await readFile(out))).toBe(sha256(csv));
    const piped = await cli(['dataset', 'get', 'flats@1'], env);
    expect(piped.stdout).toBe(csv);
  });

  it('rm deletes a version no run used; what is not there is named, with a non-zero exit', async () => {
    const removed = await cli(['dataset', 'rm', 'flats@2'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('deleted flats@2\n');
    const gone = await cli(['dataset', 'show', 'flats@2'], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^trainyard: .*flats/);
    const missing = await cli(['dataset', 'get', 'nosuch@1', '--out', join(dir, 'nosuch.csv')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nosuch/);
    expect(existsSync(join(dir, 'nosuch.csv'))).toBe(false);
    const noFile = await cli(['dataset', 'add', join(dir, 'absent.csv')], env);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(`trainyard: no such file: ${join(dir, 'absent.csv')}\n`);
    await writeFile(join(dir, 'broken.csv'), 'a,b\n1,2\n3\n');
    const broken = await cli(['dataset', 'add', join(dir, 'broken.csv')], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^trainyard: broken\.csv: line 3\b.*\n$/);
  });
});

describe('an upload over the server limit (TRAINYARD_MAX_UPLOAD_MB=1)', () => {
  let api: StartedProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    const dir = await makeTempDir('cli-datasets-limit-');
    api = await startProcess(process.execPath, [BIN, 'dashboard'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', TRAINYARD_DB_DIR: join(dir, 'db'), TRAINYARD_MAX_UPLOAD_MB: '1', TRAINYARD_QUEUE_PREFIX: `test-cli-limit-${randomBytes(4).toString('hex')}` },
      ready: API_READY,
    });
    env = { TRAINYARD_URL: `http://127.0.0.1:${api.ready[1]}` };
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('is refused before it is sent: one line naming the limit, exit 2, no dataset', async () => {
    const file = join(await makeTempDir('cli-datasets-big-'), 'big.csv');
    await writeFile(file, flatsCsv(80_000));
    const started = Date.now();
    const result = await cli(['dataset', 'add', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^trainyard: .*limit of 1 MiB \(TRAINYARD_MAX_UPLOAD_MB\)\n$/);
    // Not the client's five-minute timeout of a server that stopped reading.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await json<{ items: unknown[] }>(['dataset', 'ls'], env)).value.items).toEqual([]);
  });
});

/**
 * Team mode as it is meant to run: `trainyard dashboard` and `trainyard worker` over PostgreSQL
 * (a schema of their own) and Redis, the worker in another working directory with its own
 * TRAINYARD_DATA_HOME; the CLI runs from the repository with yet another, so the worker can
 * reach the table only through the API's store.
 */
describe('team mode: submit of a definition with a local CSV path', () => {
  const token = randomBytes(32).toString('hex');
  const schema = testSchemaName('cli_ds');
  let api: StartedProcess;
  let worker: StartedProcess;
  let db: Database;
  let env: Record<string, string>;
  let project: string;
  const csv = flatsCsv(240);

  beforeAll(async () => {
    const shared = {
      DATABASE_URL: TEST_DATABASE_URL,
      TRAINYARD_DB_SCHEMA: schema,
      REDIS_URL: TEST_REDIS_URL,
      TRAINYARD_QUEUE_PREFIX: `test-cli-team-${randomBytes(4).toString('hex')}`,
      TRAINYARD_API_TOKEN: token,
      WORKER_HEARTBEAT_MS: '500',
    };
    api = await startProcess(process.execPath, [BIN, 'dashboard'], { cwd: REPO_ROOT, env: { ...process.env, ...shared, PORT: '0', TRAINYARD_DATA_HOME: await makeTempDir('cli-team-api-') }, ready: API_READY });
    worker = await startProcess(process.execPath, [BIN, 'worker'], {
      cwd: await makeTempDir('cli-team-worker-cwd-'),
      env: { ...process.env, ...shared, TRAINYARD_DATA_HOME: await seedDataHome(await makeTempDir('cli-team-worker-data-')) },
      ready: /worker \S+ ready/,
    });
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema });
    env = { TRAINYARD_URL: `http://127.0.0.1:${api.ready[1]}`, TRAINYARD_API_TOKEN: token, TRAINYARD_DATA_HOME: await makeTempDir('cli-team-cli-data-') };
    project = await makeTempDir('cli-team-project-');
    await mkdir(join(project, 'data'));
    await writeFile(join(project, 'data', 'flats.csv'), csv);
    await writeFile(join(project, 'house.json'), JSON.stringify(flatsDefinition('data/flats.csv')));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    if (db) {
      await db.sql.transaction((session) => session.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await db.close();
    }
  }, 60_000);

  it("uploads the file once (found from the definition's folder), pins name, version and sha256, and trains on the worker; the second run reads the worker's cache", async () => {
    const first = await cli(['submit', join(project, 'house.json'), '--wait', '--json'], env);
    expect(first.code, `${first.stderr}\n${worker.log().slice(-2000)}`).toBe(0);
    expect(first.stderr).toContain('uploaded data/flats.csv as flats@1');
    const [run] = (JSON.parse(first.stdout) as { runs: RunJson[] }).runs;
    expect(run?.status).toBe('SUCCEEDED');

    const shown = await json<RunJson>(['show', run?.id ?? ''], env);
    expect(shown.value.definition?.dataset).toEqual({ name: 'flats', version: 1, sha256: sha256(csv), target: 'price', task: 'regression' });
    // show names the version and lists the preprocessing fitted per column.
    const text = (await cli(['show', run?.id ?? ''], env)).stdout;
    expect(text).toMatch(/\ndataset flats@1 \(sha256 /);
    expect(text).toMatch(/\npreprocessing \(fitted on the training part\):\n {2}area: number, missing -> median [\d.]+, standard/);
    expect(text).toMatch(/\n {2}district: category, one-hot 5 \(.*"east, old town".*\)/);
    expect(text).toMatch(/\n {2}price: target, standard/);

    const second = await cli(['submit', join(project, 'house.json'), '--wait', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('data/flats.csv is flats@1 already');
    const [again] = (JSON.parse(second.stdout) as { runs: RunJson[] }).runs;
    expect(again?.status).toBe('SUCCEEDED');
    const versions = await json<{ versions: unknown[] }>(['dataset', 'show', 'flats'], env);
    expect(versions.value.versions).toHaveLength(1);

    const logLines = (runId: string): string[] => worker.log().split('\n').filter((line) => line.includes(runId));
    expect(logLines(run?.id ?? '').some((line) => line.includes('dataset fetched'))).toBe(true);
    const secondLines = logLines(again?.id ?? '');
    expect(secondLines.some((line) => line.includes('dataset cached'))).toBe(true);
    expect(secondLines.some((line) => line.includes('dataset fetched'))).toBe(false);

    // A version runs trained on stays: rm says why and exits non-zero.
    const refused = await cli(['dataset', 'rm', 'flats@1'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^trainyard: flats@1 cannot be deleted: 2 runs trained on it/);
  });

  it("a sweep whose base names the file uploads nothing new and pins the base's dataset", async () => {
    const sweep = { name: `flats sweep ${randomBytes(3).toString('hex')}`, base: { ...flatsDefinition('data/flats.csv'), epochs: 2 }, grid: { 'optimizer.learningRate': [0.01, 0.02] } };
    await writeFile(join(project, 'sweep.json'), JSON.stringify(sweep));
    const submitted = await cli(['submit', join(project, 'sweep.json'), '--json'], env);
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stderr).toContain('data/flats.csv is flats@1 already');
    const { runs } = JSON.parse(submitted.stdout) as { runs: RunJson[] };
    expect(runs).toHaveLength(2);
    const shown = await json<RunJson>(['show', runs[0]?.id ?? ''], env);
    expect(shown.value.definition?.dataset).toMatchObject({ name: 'flats', version: 1, sha256: sha256(csv) });
  });

  it('a missing file: the full path tried, a non-zero exit, and nothing queued', async () => {
    await writeFile(join(project, 'missing.json'), JSON.stringify(flatsDefinition('data/absent.csv', 'missing file')));
    const before = await db.prisma.run.count();
    const result = await cli(['submit', join(project, 'missing.json')], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${join(project, 'missing.json')}: dataset.path: no such file: ${join(project, 'data', 'absent.csv')}; nothing was queued\n`);
    expect(await db.prisma.run.count()).toBe(before);
  });
});
