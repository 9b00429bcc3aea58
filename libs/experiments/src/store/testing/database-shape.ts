import type { SqlExecutor } from '../sql-executor.js';

/**
 * A schema as sorted lines, one per column, enum, index and foreign key, so that two shapes
 * compare with toEqual and a difference reads as a diff of lines:
 *   column Run.startedAt timestamp(3) null
 *   enum RunStatus QUEUED,RUNNING,...
 *   index Artifact(runId,kind) unique
 *   fk Run(experimentId) -> Experiment(id) on delete cascade
 */
export type Shape = string[];

const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The shape of the tables in the connection's current schema, from information_schema and pg_catalog. */
export async function databaseShape(sql: SqlExecutor): Promise<Shape> {
  return sql.transaction(async (session) => {
    const lines: string[] = [];
    const columns = await session.query<{ table: string; column: string; type: string; udt: string; precision: number | null; nullable: string; hasDefault: boolean }>(`
      SELECT table_name AS "table", column_name AS "column", data_type AS "type", udt_name AS "udt",
             datetime_precision AS "precision", is_nullable AS "nullable", column_default IS NOT NULL AS "hasDefault"
      FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`);
    for (const c of columns) {
      const type = c.type === 'USER-DEFINED' ? c.udt : c.type.startsWith('timestamp') ? `${c.type.split(' ')[0]}(${c.precision})` : c.type;
      lines.push(`column ${c.table}.${c.column} ${type} ${c.nullable === 'YES' ? 'null' : 'not null'}${c.hasDefault ? ' default' : ''}`);
    }
    const enums = await session.query<{ name: string; values: string }>(`
      SELECT t.typname AS "name", string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS "values"
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() GROUP BY t.typname`);
    for (const e of enums) lines.push(`enum ${e.name} ${e.values}`);
    const indexes = await session.query<{ table: string; columns: string; unique: boolean; primary: boolean }>(`
      SELECT t.relname AS "table", ix.indisunique AS "unique", ix.indisprimary AS "primary",
             string_agg(a.attname, ',' ORDER BY k.ord) AS "columns"
      FROM pg_index ix
      JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`);
    for (const i of indexes) lines.push(`index ${i.table}(${i.columns}) ${i.primary ? 'primary' : i.unique ? 'unique' : 'normal'}`);
    const fks = await session.query<{ table: string; columns: string; refTable: string; refColumns: string; onDelete: string }>(`
      SELECT t.relname AS "table", ft.relname AS "refTable", c.confdeltype::text AS "onDelete",
        (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS "columns",
        (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS "refColumns"
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
      JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`);
    for (const f of fks) lines.push(`fk ${f.table}(${f.columns}) -> ${f.refTable}(${f.refColumns}) on delete ${ON_DELETE[f.onDelete] ?? f.onDelete}`);
    return lines.sort();
  });
}
