import { RUN_RECORD_VERSION } from '@trainyard/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaRunLedger } from './prisma-run-ledger.js';
import { RunRepository } from './run.repository.js';
import { must, seedRun, startEvent } from './testing/store-fixtures.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';

const worker = { workerId: 'w1', host: 'h' };

describe.each(TEST_DATABASE_KINDS)('JSON columns read through the contract on %s', (kind) => {
  let db: TestDatabase;
  let runs: RunRepository;
  let ledger: PrismaRunLedger;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    runs = new RunRepository(db.prisma);
    ledger = new PrismaRunLedger(db.prisma);
  });
  afterAll(() => db.close());

  it('writes new runs at the current version, release entries with their crash flag', async () => {
    const { runId } = await seedRun(db.prisma);
    const { attempt } = must(await ledger.claim(runId, worker));
    await ledger.release(runId, attempt, 'worker shutdown');
    const run = must(await runs.get(runId));
    expect(run.recordVersion).toBe(RUN_RECORD_VERSION);
    expect(run.releases).toEqual([{ attempt: 1, reason: 'worker shutdown', at: expect.any(String) as string, crashed: false }]);
  });

  it('reads a row written before versions existed (version 0): release entries without `crashed` come back upgraded', async () => {
    const { runId } = await seedRun(db.prisma);
    // The row as the previous release of trainyard left it: no recordVersion (the migration's
    // default 0), release entries of three fields, an env of that time.
    const { type: _type, seed: _seed, summary, ...env } = startEvent;
    await db.prisma.$executeRaw`
      UPDATE "Run" SET "recordVersion" = 0, "status" = 'FAILED',
        "releases" = ${JSON.stringify([{ attempt: 1, reason: 'worker shutdown', at: '2026-11-20T10:00:00.000Z' }])}::jsonb,
        "env" = ${JSON.stringify(env)}::jsonb, "summary" = ${JSON.stringify(summary)}::jsonb
      WHERE "id" = ${runId}::uuid`;
    const run = must(await runs.get(runId));
    expect(run.recordVersion).toBe(0);
    expect(run.releases).toEqual([{ attempt: 1, reason: 'worker shutdown', at: '2026-11-20T10:00:00.000Z', crashed: false }]);
    expect(run.env?.backend.name).toBe('cpu');
    expect(run.summary?.totalParams).toBe(2);
  });

  it('refuses a JSON column that fits no version, naming the column and field', async () => {
    const { runId } = await seedRun(db.prisma);
    await db.prisma.$executeRaw`UPDATE "Run" SET "summary" = '{"layers": "two"}'::jsonb WHERE "id" = ${runId}::uuid`;
    await expect(runs.get(runId)).rejects.toThrow(/summary[\s\S]*layers/);
  });
});
