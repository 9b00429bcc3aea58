import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { must } from './testing/store-fixtures.js';
import { applyMigrations, readMigrations } from './apply-migrations.js';
import { openDatabase, type Database } from './open-database.js';
import { StoreError } from './store-error.js';
import { TEST_DATABASE_URL, testSchemaName } from './testing/test-databases.js';

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const opened: Database[] = [];
const dropSchemas: string[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const schema of dropSchemas.splice(0)) {
    const db = opened[0];
    await db?.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  }
  await Promise.all(opened.splice(0).map((db) => db.close()));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function open(config: Parameters<typeof openDatabase>[0]): Promise<Database> {
  const db = await openDatabase(config);
  opened.push(db);
  return db;
}

const migrationRows = (db: Database) =>
  db.sql.transaction((s) => s.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name'));

describe('applyMigrations', () => {
  // PGlite in a directory (not memory://) so that the second open sees the first one's database.
  const configs = {
    postgres: async () => {
      const schema = testSchemaName('mig');
      dropSchemas.push(schema);
      return { databaseUrl: TEST_DATABASE_URL, schema };
    },
    pglite: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trainyard-db-'));
      tempDirs.push(dir);
      return { dataDir: join(dir, 'db') };
    },
  };

  describe.each(Object.keys(configs) as (keyof typeof configs)[])('%s', (kind) => {
    it('records each migration as Prisma does and applies nothing on the second open', async () => {
      const config = await configs[kind]();
      const migrations = await readMigrations();
      const first = await open(config);
      expect(first.migrations.applied).toEqual(migrations.map((m) => m.name));
      const rows = await migrationRows(first);
      expect(rows).toHaveLength(migrations.length);
      rows.forEach((row, i) => {
        expect(row.migration_name).toBe(must(migrations[i]).name);
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.checksum).toBe(must(migrations[i]).checksum);
        expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(must(row.finished_at).getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
        expect(row.applied_steps_count).toBe(1);
        expect(row.logs).toBeNull();
        expect(row.rolled_back_at).toBeNull();
      });
      await first.close();
      opened.splice(opened.indexOf(first), 1);

      const second = await open(config);
      expect(second.migrations).toEqual({ applied: [], modified: [] });
      expect(await migrationRows(second)).toEqual(rows);
    });

    it('reports an applied migration whose file changed, and applies none twice', async () => {
      const db = await open(await configs[kind]());
      const migrations = await readMigrations();
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      expect(await applyMigrations(db.sql, edited)).toEqual({ applied: [], modified: [must(migrations[0]).name] });
    });

    it('rolls back a migration that fails, leaving neither its tables nor its row', async () => {
      const db = await open(await configs[kind]());
      const broken = { name: '29990101000000_broken', script: 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();', checksum: '0'.repeat(64) };
      await expect(applyMigrations(db.sql, [...(await readMigrations()), broken])).rejects.toThrow(/29990101000000_broken/);
      const [half] = await db.sql.transaction((s) => s.query<{ t: string | null }>(`SELECT to_regclass('"Half"')::text AS t`));
      expect(half?.t).toBeNull();
      expect((await migrationRows(db)).map((r) => r.migration_name)).not.toContain(broken.name);
    });
  });

  it('refuses to go on past a migration Prisma recorded as failed', async () => {
    const schema = testSchemaName('mig');
    dropSchemas.push(schema);
    const db = await open({ databaseUrl: TEST_DATABASE_URL, schema });
    const next = { name: '29990101000000_next', script: 'SELECT 1;', checksum: '1'.repeat(64) };
    await db.sql.transaction((s) =>
      s.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES (gen_random_uuid()::text, $1, $2, 'boom')`, [
        next.checksum,
        next.name,
      ]),
    );
    const error = await applyMigrations(db.sql, [next]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('CONFLICT');
  });

  it('applies each migration once when two processes start at once on PostgreSQL', async () => {
    const schema = testSchemaName('mig');
    dropSchemas.push(schema);
    const [a, b] = await Promise.all([open({ databaseUrl: TEST_DATABASE_URL, schema }), open({ databaseUrl: TEST_DATABASE_URL, schema })]);
    const names = (await readMigrations()).map((m) => m.name);
    expect([...must(a).migrations.applied, ...must(b).migrations.applied].sort()).toEqual(names);
    expect((await migrationRows(must(a))).map((r) => r.migration_name)).toEqual(names);
  });
});
