import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations, ensureSchema, type MigrationReport } from './apply-migrations.js';
import { PrismaClient } from './prisma-client.js';
import { lockPgliteDir } from './pglite-lock.js';
import { pgExecutor, pgliteExecutor, type SqlExecutor } from './sql-executor.js';
import { storeCall } from './store-error.js';

export interface DatabaseConfig {
  /** PostgreSQL (team mode). When absent, the embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite's directory (e.g. `.trainyard/db`), or `memory://` for a database that lives in memory. */
  dataDir?: string;
  /** PostgreSQL schema to use instead of `public` (tests isolate themselves this way); created when missing. */
  schema?: string;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  /** What applying migrations at open did. */
  migrations: MigrationReport;
  /** Plain SQL on the driver, in a transaction (migrations, tests). */
  sql: SqlExecutor;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connects (PostgreSQL when databaseUrl is set, else PGlite), applies pending migrations, returns the client. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const schema = config.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
  return storeCall('opening the database', () => (config.databaseUrl ? openPostgres(config.databaseUrl, schema) : openPglite(config.dataDir, schema)));
}

async function openPostgres(databaseUrl: string, schema: string): Promise<Database> {
  // search_path on every pooled connection: the migrations' SQL and our raw queries name
  // tables without a schema; the adapter's `schema` makes Prisma's own queries agree.
  const pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path="${schema}"`, max: 10 });
  // An idle pooled client losing its server (a restart) emits 'error' on the pool; without
  // a listener Node would exit. The next query reports the failure instead.
  pool.on('error', () => undefined);
  const sql = pgExecutor(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }) });
  const close = async () => {
    await prisma.$disconnect();
    await pool.end();
  };
  try {
    if (schema !== 'public') await ensureSchema(sql, schema);
    const migrations = await applyMigrations(sql);
    return { prisma, kind: 'postgres', migrations, sql, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

async function openPglite(dataDir: string | undefined, schema: string): Promise<Database> {
  const dir = dataDir ?? 'memory://';
  const inMemory = dir.startsWith('memory://');
  if (!inMemory) await mkdir(dir, { recursive: true });
  const unlock = inMemory ? async () => undefined : await lockPgliteDir(dir);
  const db = await PGlite.create(dir).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  const sql = pgliteExecutor(db);
  const close = async () => {
    await prisma.$disconnect();
    await db.close();
    await unlock();
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  try {
    if (schema !== 'public') {
      // PGlite is one connection: setting search_path once holds for Prisma's queries too.
      await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"`);
    }
    const migrations = await applyMigrations(sql);
    return { prisma, kind: 'pglite', migrations, sql, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
