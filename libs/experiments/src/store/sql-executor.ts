import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';

/** Plain SQL on one connection inside a transaction: what migrations need and Prisma cannot give (multi-statement scripts). */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (simple query protocol), as psql would. */
  exec(script: string): Promise<void>;
}

/** Runs a function in one transaction on the driver underneath Prisma (pg pool or PGlite). */
export interface SqlExecutor {
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

export function pgExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
          // No parameters: pg uses the simple protocol, which accepts several statements.
          exec: async (script) => void (await client.query(script)),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: drop it instead of pooling it.
        client.release(broken);
      }
    },
  };
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    transaction: (work) =>
      db.transaction((tx: PGliteTransaction) =>
        work({
          query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
          exec: async (script) => void (await tx.exec(script)),
        }),
      ),
  };
}
