import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../open-database.js';

/** The machine's PostgreSQL (trust auth); CI and these machines start it before the tests. */
export const TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export type TestDatabaseKind = 'postgres' | 'pglite';
export const TEST_DATABASE_KINDS: TestDatabaseKind[] = ['postgres', 'pglite'];

export interface TestDatabase extends Database {
  /** The PostgreSQL schema (postgres) the test owns; dropped by close(). */
  schema: string;
}

export function testSchemaName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A fresh, migrated database: its own schema on PostgreSQL (dropped on close), or an in-memory PGlite. */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { ...(await openDatabase({ dataDir: 'memory://' })), schema: 'public' };
  const schema = testSchemaName();
  const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema });
  return {
    ...db,
    schema,
    close: async () => {
      await db.sql.transaction((session) => session.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch(() => undefined);
      await db.close();
    },
  };
}
