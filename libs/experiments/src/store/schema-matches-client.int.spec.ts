import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSchemaText, clientShape } from './testing/client-shape.js';
import { databaseShape } from './testing/database-shape.js';
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from './testing/test-databases.js';

// schema.prisma and the committed migrations are written separately (prisma migrate cannot
// run on these machines); this is what keeps them in step.
describe.each(TEST_DATABASE_KINDS)('the migrated %s database matches the generated client', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  it('has the client models’ tables, columns, nullability, defaults, enums, keys, indexes and foreign keys', async () => {
    const expected = clientShape(clientSchemaText(db.prisma));
    expect(expected.filter((line) => line.startsWith('column Run.'))).toContain('column Run.startedAt timestamp(3) null');
    expect(await databaseShape(db.sql)).toEqual(expected);
  });

  it('would catch a field added to the schema without a migration', async () => {
    const schema = clientSchemaText(db.prisma).replace(/model Sweep \{/, 'model Sweep {\n  owner String');
    expect(await databaseShape(db.sql)).not.toEqual(clientShape(schema));
  });

  it('would catch a field made optional without a migration', async () => {
    const schema = clientSchemaText(db.prisma).replace(/(\n\s*seed\s+)Int/, '$1Int?');
    expect(schema).not.toBe(clientSchemaText(db.prisma));
    expect(await databaseShape(db.sql)).not.toEqual(clientShape(schema));
  });
});
