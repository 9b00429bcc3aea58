import { PrismaPg } from '@prisma/adapter-pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { PrismaClient } from './prisma-client.js';
import { RunRepository } from './run.repository.js';
import { StoreError } from './store-error.js';

// Nothing listens on this port: what a stopped PostgreSQL looks like to a client.
const DEAD_URL = 'postgresql://postgres@127.0.0.1:1/test';

describe('StoreError UNAVAILABLE', () => {
  it('is what openDatabase throws when PostgreSQL is not there', async () => {
    const error = await openDatabase({ databaseUrl: DEAD_URL }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('is what a repository throws when a query cannot reach the database', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: DEAD_URL, connectionTimeoutMillis: 2_000 }) });
    try {
      const error = await new RunRepository(prisma).get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await prisma.$disconnect();
    }
  });
});
