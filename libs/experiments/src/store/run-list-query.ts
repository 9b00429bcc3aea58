import { z } from 'zod';
import { decodeCursor, encodeCursor, pageSize } from './paging.js';
import { Prisma } from './prisma-client.js';
import { StoreError } from './store-error.js';
import type { RunPageQuery, RunListSort } from './store-types.js';

const DEFAULT_SORT: RunListSort = { field: 'queuedAt', descending: true };

const runCursorSchema = z.object({
  /** The sort the cursor belongs to, e.g. `-metric:mae`. */
  s: z.string(),
  /** The last row's sort key as PostgreSQL prints it (null: the key was NULL). */
  v: z.string().nullable(),
  id: z.uuid(),
});
type Cursor = z.output<typeof runCursorSchema>;

/** What a sort key looks like as PostgreSQL prints it, so that a forged one never reaches a cast. */
const KEY_TEXT: Record<RunListSort['field'], (v: string) => boolean> = {
  metric: isDoubleText,
  queuedAt: isTimestampText,
  startedAt: isTimestampText,
  finishedAt: isTimestampText,
  // Any text PostgreSQL can hold: no NUL.
  name: (v) => !v.includes('\u0000'),
};

/**
 * A number PostgreSQL's double precision accepts: finite, and not a non-zero literal that
 * underflows to 0 (`1e-400` is 0 to JavaScript but "out of range" to PostgreSQL).
 */
function isDoubleText(v: string): boolean {
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v)) return false;
  const n = Number(v);
  return Number.isFinite(n) && (n !== 0 || !/[1-9]/.test(v.split(/e/i)[0] ?? ''));
}

/** `2024-02-29 12:00:00.123` as PostgreSQL prints a timestamp, for a day that exists (not 2024-02-30). */
function isTimestampText(v: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(v);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 30 February over into March; a real date comes back unchanged.
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

export function sortSignature(sort: RunListSort): string {
  return `${sort.descending ? '-' : ''}${sort.field === 'metric' ? `metric:${sort.metric}` : sort.field}`;
}

export function encodeRunCursor(cursor: Cursor): string {
  return encodeCursor(cursor);
}

export function decodeRunCursor(text: string, sort: RunListSort): Cursor {
  const cursor = decodeCursor(text, runCursorSchema);
  if (cursor.s !== sortSignature(sort)) throw new StoreError('INVALID', `cursor: issued for sort ${cursor.s}, not ${sortSignature(sort)}`);
  if (cursor.v !== null && !KEY_TEXT[sort.field](cursor.v)) throw new StoreError('INVALID', 'cursor: not a cursor this server issued');
  return cursor;
}

/** The sort key as an SQL expression and the type to cast a cursor's text back to. */
function sortKey(sort: RunListSort): { key: Prisma.Sql; type: Prisma.Sql } {
  switch (sort.field) {
    case 'queuedAt':
    case 'startedAt':
    case 'finishedAt':
      return { key: Prisma.raw(`r."${sort.field}"`), type: Prisma.raw('timestamp(3)') };
    case 'name':
      return { key: Prisma.raw('e."name"'), type: Prisma.raw('text') };
    case 'metric':
      // Metrics live in the testMetrics json; anything but a number (absent, null) sorts as NULL.
      return {
        key: Prisma.sql`(CASE WHEN jsonb_typeof(r."testMetrics" -> ${sort.metric}::text) = 'number' THEN (r."testMetrics" ->> ${sort.metric}::text)::double precision END)`,
        type: Prisma.raw('double precision'),
      };
  }
}


/**
 * Keyset pagination: one page of (id, key) in sort order, NULL keys last in both directions,
 * ties broken by id so that pages neither repeat nor skip rows that share a key. Fetches one
 * row more than the page to know whether another page follows.
 */
export function runPageSql(query: RunPageQuery): { sql: Prisma.Sql; sort: RunListSort; size: number } {
  const sort = query.sort ?? DEFAULT_SORT;
  const size = pageSize(query.limit);
  const { key, type } = sortKey(sort);
  const conditions: Prisma.Sql[] = [];
  // Compared as the enum, not as text: a cast column hides the status statistics from the
  // planner (it then expects 50 rows of 7,470 and picks a worse plan).
  if (query.status && query.status.length > 0) {
    conditions.push(Prisma.sql`r."status" IN (${Prisma.join(query.status.map((status) => Prisma.sql`${status}::"RunStatus"`))})`);
  }
  if (query.name) conditions.push(Prisma.sql`strpos(lower(e."name"), lower(${query.name}::text)) > 0`);
  if (query.dataset) conditions.push(Prisma.sql`e."dataset" = ${query.dataset}::text`);
  if (query.sweepId) conditions.push(Prisma.sql`e."sweepId" = ${query.sweepId}::uuid`);
  // One array parameter whatever the count; an empty array matches nothing.
  if (query.ids) conditions.push(Prisma.sql`r."id" = ANY(${query.ids}::uuid[])`);
  // starts_with, not LIKE: the prefix is matched as text, with no wildcard in it.
  if (query.idPrefix) conditions.push(Prisma.sql`starts_with(r."id"::text, ${query.idPrefix}::text)`);
  if (query.cursor) {
    const cursor = decodeRunCursor(query.cursor, sort);
    const after = sort.descending ? Prisma.raw('<') : Prisma.raw('>');
    const id = Prisma.sql`${cursor.id}::uuid`;
    conditions.push(
      cursor.v === null
        ? Prisma.sql`(${key} IS NULL AND r."id" ${after} ${id})`
        : Prisma.sql`(${key} ${after} ${cursor.v}::${type} OR (${key} = ${cursor.v}::${type} AND r."id" ${after} ${id}) OR ${key} IS NULL)`,
    );
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const direction = Prisma.raw(sort.descending ? 'DESC' : 'ASC');
  // The experiment is joined only when a filter or the sort needs its columns.
  const needsExperiment = Boolean(query.name || query.dataset || query.sweepId) || sort.field === 'name';
  const from = needsExperiment ? Prisma.sql`"Run" r JOIN "Experiment" e ON e."id" = r."experimentId"` : Prisma.sql`"Run" r`;
  const sql = Prisma.sql`SELECT r."id"::text AS "id", (${key})::text AS "key"
    FROM ${from}
    ${where}
    ORDER BY ${key} ${direction} NULLS LAST, r."id" ${direction}
    LIMIT ${size + 1}`;
  return { sql, sort, size };
}
