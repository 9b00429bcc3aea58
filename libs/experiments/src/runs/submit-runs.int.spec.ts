import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_LIMITS, DefinitionError, LOCAL_FILE_REFUSED } from '@trainyard/contract';
import { addDatasetVersion } from '../datasets/add-dataset-version.js';
import { specHash } from '../definition/spec-hash.js';
import { QueueError } from '../queue/queue-error.js';
import { RunProducer } from '../queue/run-producer.js';
import { ExperimentRepository } from '../store/experiment.repository.js';
import { RunRepository } from '../store/run.repository.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../store/testing/test-databases.js';
import { rerunRun } from './run-actions.js';
import { submitRuns, type RunQueue } from './submit-runs.js';

const definition = {
  name: 'submit test',
  seed: 3,
  dataset: { name: 'multiply' },
  split: { test: 0 },
  model: { layers: [{ type: 'dense', units: 1 }] },
  optimizer: 'sgd',
  loss: 'mse',
  epochs: 5,
};

describe('submitRuns on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(() => db.close());

  it('marks the runs FAILED with the reason when the queue cannot take them, instead of leaving them QUEUED', async () => {
    // A real producer pointed at a port where no Redis listens: the add fails fast.
    const queue = new RunProducer({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const submission = submitRuns({ name: 'no-redis', base: definition, repeats: 2 }, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS });
      await expect(submission).rejects.toThrow(QueueError);
    } finally {
      await queue.close();
    }
    const page = await new RunRepository(db.prisma).list({ name: 'no-redis' });
    expect(page.items).toHaveLength(2);
    for (const run of page.items) {
      expect(run.status).toBe('FAILED');
      expect(run.errorCode).toBe('ENQUEUE_FAILED');
      expect(run.error).toMatch(/could not queue the run/);
    }
  });

  it('writes nothing for an invalid sweep, not even the sweep row', async () => {
    const queue = { enqueue: async () => undefined };
    const before = await db.prisma.run.count();
    const invalid = submitRuns({ name: 'bad-sweep', base: definition, grid: { epochs: [5, 0] } }, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS });
    await expect(invalid).rejects.toThrow(DefinitionError);
    expect(await db.prisma.run.count()).toBe(before);
    expect(await db.prisma.sweep.count({ where: { name: 'bad-sweep' } })).toBe(0);
  });
});

/** A queue that records what it was given (the submission logic under test ends at RunQueue). */
function recordingQueue(): RunQueue & { ids: string[] } {
  const ids: string[] = [];
  return { ids, enqueue: async (runIds) => void ids.push(...runIds) };
}

async function sweepRuns(db: TestDatabase, name: string) {
  return db.prisma.run.findMany({
    where: { experiment: { sweep: { name } } },
    select: { id: true, status: true, seed: true, experiment: { select: { trialKey: true } } },
  });
}

describe.each(TEST_DATABASE_KINDS)('sweep resubmission on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  it('queues each missing trial once when identical resubmissions arrive at the same time', async () => {
    const sweep = { name: 'concurrent', base: definition, grid: { epochs: [1, 2, 3, 4, 5] } };
    const queue = recordingQueue();
    const first = await submitRuns(sweep, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS });
    expect(first.runs).toHaveLength(5);
    await new RunRepository(db.prisma).markFailed(first.runs.map((run) => run.id), 'training', 'TEST', 'failed for the test');

    const again = await Promise.all(
      Array.from({ length: 5 }, () => submitRuns(sweep, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS })),
    );
    const queuedAgain = again.flatMap((response) => response.runs.map((run) => run.id));
    expect(queuedAgain).toHaveLength(5);
    expect(again.map((response) => response.sweep?.skipped).sort()).toEqual([0, 5, 5, 5, 5]);
    expect(new Set(queue.ids).size).toBe(10);

    const rows = await sweepRuns(db, 'concurrent');
    expect(rows).toHaveLength(10);
    const queuedKeys = rows.filter((row) => row.status === 'QUEUED').map((row) => row.experiment.trialKey);
    expect(queuedKeys).toHaveLength(5);
    expect(new Set(queuedKeys).size).toBe(5);
  });

  it('reuses the stored seed on resubmission and refuses the name with another spec', async () => {
    const { seed: _seed, ...unseeded } = definition;
    const sweep = { name: 'reseed', base: unseeded, repeats: 3 };
    const queue = recordingQueue();
    const deps = { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS };
    const first = await submitRuns(sweep, deps);
    await new RunRepository(db.prisma).markFailed(first.runs.map((run) => run.id), 'training', 'TEST', 'failed for the test');
    const second = await submitRuns(sweep, deps);
    expect(second.sweep).toMatchObject({ created: false, skipped: 0 });
    expect(second.runs.map((run) => run.seed)).toEqual(first.runs.map((run) => run.seed));

    const before = queue.ids.length;
    const other = submitRuns({ ...sweep, repeats: 4 }, deps);
    await expect(other).rejects.toThrow(/a sweep named "reseed" already exists with a different spec/);
    expect(queue.ids).toHaveLength(before);
    expect(await sweepRuns(db, 'reseed')).toHaveLength(6);
  });
});

describe("submissions against the server's limits", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(() => db.close());

  const csv = { ...definition, name: 'reads a file', dataset: { name: 'csv', path: '/etc/passwd', target: 'x' } };

  async function rowCounts() {
    return { experiments: await db.prisma.experiment.count(), runs: await db.prisma.run.count(), sweeps: await db.prisma.sweep.count() };
  }

  function issuesOf(error: unknown): Record<string, string> {
    expect(error).toBeInstanceOf(DefinitionError);
    return Object.fromEntries((error as DefinitionError).issues.map((issue) => [issue.path, issue.message]));
  }

  it('refuses a definition that names a file, writing and queueing nothing', async () => {
    const queue = recordingQueue();
    const before = await rowCounts();
    const error = await submitRuns(csv, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS }).catch((e: unknown) => e);
    expect(issuesOf(error)['dataset.path']).toBe(LOCAL_FILE_REFUSED);
    expect(await rowCounts()).toEqual(before);
    expect(queue.ids).toEqual([]);
  });

  it('refuses a whole sweep when one trial is over a limit, naming the trial, with no sweep row', async () => {
    const queue = recordingQueue();
    const before = await rowCounts();
    const limits = { ...DEFAULT_SERVER_LIMITS, maxRunSeconds: 60 };
    const sweep = { name: 'too-long', base: definition, grid: { timeLimitSeconds: [30, 90] } };
    const error = await submitRuns(sweep, { prisma: db.prisma, queue, limits }).catch((e: unknown) => e);
    expect(issuesOf(error)).toEqual({
      'base.timeLimitSeconds (trial timeLimitSeconds=90)': "must be <= 60 (this server's TRAINYARD_MAX_RUN_SECONDS)",
    });
    expect(await rowCounts()).toEqual(before);
    expect(queue.ids).toEqual([]);

    const fileSweep = { name: 'files', base: csv, repeats: 2 };
    expect(issuesOf(await submitRuns(fileSweep, { prisma: db.prisma, queue, limits }).catch((e: unknown) => e))).toHaveProperty(['base.dataset.path']);
    expect(await rowCounts()).toEqual(before);
    expect(queue.ids).toEqual([]);
  });

  it('does not rerun a stored definition this server would refuse now, and reruns one it accepts', async () => {
    // A run recorded before files were refused: written as an old server did.
    const parsedCsv = { ...csv, seed: 3, split: { test: 0, validation: 0, stratify: false }, dataset: { ...csv.dataset, task: 'regression' } };
    const experiment = await new ExperimentRepository(db.prisma).create({ name: csv.name, definition: parsedCsv, specHash: specHash(parsedCsv), dataset: 'csv' });
    const old = await new RunRepository(db.prisma).createQueued({ experimentId: experiment.id, seed: 3, epochs: 5 });
    const queue = recordingQueue();
    const before = await rowCounts();
    const error = await rerunRun(old.id, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS }).catch((e: unknown) => e);
    expect(issuesOf(error)['dataset.path']).toBe(LOCAL_FILE_REFUSED);
    expect(await rowCounts()).toEqual(before);
    expect(queue.ids).toEqual([]);

    const accepted = await submitRuns(definition, { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS });
    const rerun = await rerunRun(accepted.runs[0]?.id ?? '', { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS });
    expect(rerun.runs).toMatchObject([{ status: 'QUEUED', seed: 3 }]);
    expect(queue.ids).toHaveLength(2);
  });
});

describe.each(TEST_DATABASE_KINDS)('submissions on a registered dataset on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  function table(rows: number, slope: number): string {
    const lines = ['size,color,price'];
    for (let i = 0; i < rows; i++) lines.push(`${i},${i % 3 ? 'red' : 'blue'},${i * slope}`);
    return `${lines.join('\n')}\n`;
  }
  async function upload(name: string, text: string) {
    const bytes = new TextEncoder().encode(text);
    const body = (async function* () {
      yield bytes;
    })();
    return (await addDatasetVersion(db.prisma, { name, body, maxBytes: 1 << 20 })).version;
  }
  const onTable = (dataset: Record<string, unknown>) => ({ ...definition, name: 'on a table', dataset: { target: 'price', ...dataset } });

  async function rowCounts() {
    return { experiments: await db.prisma.experiment.count(), runs: await db.prisma.run.count(), sweeps: await db.prisma.sweep.count() };
  }
  function issuesOf(error: unknown): Record<string, string> {
    expect(error).toBeInstanceOf(DefinitionError);
    return Object.fromEntries((error as DefinitionError).issues.map((issue) => [issue.path, issue.message]));
  }
  async function storedOf(runId: string) {
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { experiment: { select: { definition: true, datasetVersionId: true, dataset: true } } } });
    return run.experiment;
  }

  it('pins the latest version and its sha256; a rerun after a new version trains on the pinned one', async () => {
    const v1 = await upload('homes', table(30, 2));
    const queue = recordingQueue();
    const deps = { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS };
    const submitted = await submitRuns(onTable({ name: 'homes' }), deps);
    const runId = submitted.runs[0]?.id ?? '';
    const stored = await storedOf(runId);
    expect(stored.dataset).toBe('homes');
    expect(stored.definition).toMatchObject({ dataset: { name: 'homes', version: 1, sha256: v1.sha256, target: 'price' } });
    const v1Row = await db.prisma.datasetVersion.findFirstOrThrow({ where: { sha256: v1.sha256 } });
    expect(stored.datasetVersionId).toBe(v1Row.id);

    const v2 = await upload('homes', table(30, 3));
    expect(v2.version).toBe(2);
    const rerun = await rerunRun(runId, deps);
    const again = await storedOf(rerun.runs[0]?.id ?? '');
    expect(again.definition).toMatchObject({ dataset: { name: 'homes', version: 1, sha256: v1.sha256 } });
    expect(again.datasetVersionId).toBe(v1Row.id);

    // name@version and a sweep over versions pin each trial's own.
    const at2 = await submitRuns(onTable({ name: 'homes@1' }), deps);
    expect((await storedOf(at2.runs[0]?.id ?? '')).definition).toMatchObject({ dataset: { name: 'homes', version: 1 } });
    const sweep = await submitRuns({ name: 'over-versions', base: onTable({ name: 'homes' }), grid: { 'dataset.version': [1, 2] } }, deps);
    const pinned = await Promise.all(sweep.runs.map(async (run) => ((await storedOf(run.id)).definition as { dataset: { version: number; sha256: string } }).dataset));
    expect(pinned.map((d) => [d.version, d.sha256]).sort()).toEqual([
      [1, v1.sha256],
      [2, v2.sha256],
    ]);
    expect(queue.ids).toHaveLength(5);
  });

  it('refuses an unknown name, version or sha256, or a column the table lacks, naming the field; nothing written or queued', async () => {
    await upload('flats', table(20, 2));
    const queue = recordingQueue();
    const deps = { prisma: db.prisma, queue, limits: DEFAULT_SERVER_LIMITS };
    const before = await rowCounts();
    const refusal = async (input: unknown) => issuesOf(await submitRuns(input, deps).catch((e: unknown) => e));

    const unknownName = await refusal(onTable({ name: 'flatz' }));
    expect(unknownName['dataset.name']).toMatch(/^no dataset named "flatz" \(registered: .*flats.*; built in: multiply, sum, california_housing, iris, digits, mnist, fashion_mnist\)/);
    expect((await refusal(onTable({ name: 'flats@4' })))['dataset.version']).toBe('flats has no version 4; it has version 1');
    expect((await refusal(onTable({ name: 'flats', sha256: 'a'.repeat(64) })))['dataset.sha256']).toMatch(/^flats has no version with sha256 a{64}; flats@1 has [0-9a-f]{64}$/);
    expect((await refusal(onTable({ name: 'flats', target: 'cost' })))['dataset.target']).toMatch(/'cost' is not a column of the table; available columns: size, color, price/);
    expect(Object.keys(await refusal({ name: 'sweep-bad-column', base: onTable({ name: 'flats' }), grid: { 'dataset.target': ['price', 'cost'] } }))).toEqual(['base.dataset.target (trial dataset.target="cost")']);
    expect(await rowCounts()).toEqual(before);
    expect(queue.ids).toEqual([]);
  });
});
