import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@trainyard/data';
import type { SqlExecutor, SqlSession } from './sql-executor.js';
import { StoreError } from './store-error.js';

/** prisma/migrations at the repository root, found from this file (the workspace runs from its sources). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations/', import.meta.url));

// Prisma Migrate's own advisory lock key: holding it keeps this applier and a
// `prisma migrate deploy` (or a second trainyard process) from migrating at the same time.
const PRISMA_MIGRATE_LOCK = 72707369;

// The bookkeeping table exactly as Prisma's schema engine creates it on PostgreSQL, so
// `prisma migrate deploy` and `prisma migrate status` read our rows as their own.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  script: string;
  /** sha256 hex of migration.sql, as Prisma computes it. */
  checksum: string;
}

export interface MigrationReport {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Applied migrations whose migration.sql changed since (Prisma warns about these too). */
  modified: string[];
}

/** Reads prisma/migrations/<name>/migration.sql in name order, as Prisma does. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(`${dir}/${name}/migration.sql`);
      return { name, script: bytes.toString('utf8'), checksum: sha256Hex(bytes) };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations, each in its own transaction that also records it in
 * `_prisma_migrations`: a migration is either applied and recorded or neither. Safe when
 * several processes start at once: each transaction first takes Prisma's advisory lock and
 * re-reads what is applied.
 */
export async function applyMigrations(executor: SqlExecutor, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await readMigrations());
  const report: MigrationReport = { applied: [], modified: [] };
  await executor.transaction(async (session) => {
    await lock(session);
    await session.exec(CREATE_MIGRATIONS_TABLE);
  });
  for (const migration of all) {
    await executor.transaction(async (session) => {
      await lock(session);
      const rows = await session.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
        [migration.name],
      );
      const done = rows.find((row) => row.finished_at !== null);
      if (done) {
        if (done.checksum !== migration.checksum) report.modified.push(migration.name);
        return;
      }
      if (rows.length > 0) {
        // What Prisma calls P3009: a migration failed half-way (under prisma migrate). Only a
        // person can tell whether to roll it back or mark it applied.
        throw new StoreError(
          'CONFLICT',
          `migration ${migration.name} failed earlier and is not rolled back; resolve it with \`prisma migrate resolve\``,
        );
      }
      const id = randomUUID();
      await session.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
        id,
        migration.checksum,
        migration.name,
      ]);
      try {
        await session.exec(migration.script);
      } catch (error) {
        throw new Error(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      // clock_timestamp(): now() would be the transaction's start, before the script ran.
      await session.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
      report.applied.push(migration.name);
    });
  }
  return report;
}

/** Creates a PostgreSQL schema if missing, under the migration lock (two concurrent CREATE SCHEMA IF NOT EXISTS can still collide). */
export async function ensureSchema(executor: SqlExecutor, schema: string): Promise<void> {
  await executor.transaction(async (session) => {
    await lock(session);
    await session.exec(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
  });
}

async function lock(session: SqlSession): Promise<void> {
  await session.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK]);
}
