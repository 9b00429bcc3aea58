import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionError } from '../definition/definition-error.js';
import { QueueError } from '../queue/queue-error.js';
import { RunProducer } from '../queue/run-producer.js';
import { RunRepository } from '../store/run.repository.js';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-databases.js';
import { submitRuns } from './submit-runs.js';

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
      const submission = submitRuns({ name: 'no-redis', base: definition, repeats: 2 }, { prisma: db.prisma, queue });
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
    const invalid = submitRuns({ name: 'bad-sweep', base: definition, grid: { epochs: [5, 0] } }, { prisma: db.prisma, queue });
    await expect(invalid).rejects.toThrow(DefinitionError);
    expect(await db.prisma.run.count()).toBe(before);
    expect(await db.prisma.sweep.count({ where: { name: 'bad-sweep' } })).toBe(0);
  });
});
