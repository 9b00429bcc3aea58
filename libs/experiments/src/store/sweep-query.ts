import { MAX_SWEEP_RUNS, metricsRecordSchema, trialParamsSchema, type SweepTrialView } from '@trainyard/contract';
import { z } from 'zod';
import type { RunStatus } from '../runs/run-ledger.js';
import { decodeCursor, encodeCursor } from './paging.js';
import { Prisma } from './prisma-client.js';

/** A sweep as lists show it, with how many of its runs are in each status. */
export interface SweepListItem {
  id: string;
  name: string;
  createdAt: Date;
  runs: Record<RunStatus, number>;
}

/** One trial of a sweep: its parameter values and its latest run (as the API shows it: no dates to convert). */
export type SweepTrialRow = SweepTrialView;

export interface SweepWithTrials {
  id: string;
  name: string;
  spec: unknown;
  createdAt: Date;
  trials: SweepTrialRow[];
}

/**
 * One row per trial, in one statement: a resubmitted sweep makes a new experiment for a trial
 * whose run was cancelled or failed, and a rerun adds a run to the same experiment, so a
 * trial (its trialKey; the experiment when it has none) shows its most recently queued run.
 * Trial keys are unique per sweep and a sweep expands to at most MAX_SWEEP_RUNS of them;
 * the LIMIT keeps the answer bounded even so.
 */
export function sweepTrialsSql(sweepId: string): Prisma.Sql {
  return Prisma.sql`SELECT s."id"::text AS "id", s."name", s."spec", s."createdAt",
      t."runId", t."trialName", t."status", t."params", t."seed", t."testMetrics"
    FROM "Sweep" s
    LEFT JOIN LATERAL (
      SELECT * FROM (
        SELECT DISTINCT ON (COALESCE(e."trialKey", e."id"::text))
            r."id"::text AS "runId", e."name" AS "trialName", r."status"::text AS "status", e."params", r."seed", r."testMetrics",
            e."createdAt" AS "experimentCreatedAt"
          FROM "Experiment" e JOIN "Run" r ON r."experimentId" = e."id"
          WHERE e."sweepId" = s."id"
          ORDER BY COALESCE(e."trialKey", e."id"::text), r."queuedAt" DESC, r."id" DESC
      ) latest
      ORDER BY latest."experimentCreatedAt", latest."trialName", latest."seed", latest."runId"
      LIMIT ${MAX_SWEEP_RUNS}
    ) t ON true
    WHERE s."id" = ${sweepId}::uuid`;
}

/** Where a page of the sweep list ends: the last sweep's creation time and id (newest first). */
export interface SweepListCursor {
  createdAt: Date;
  id: string;
}

const sweepCursorSchema = z.object({ t: z.iso.datetime(), id: z.uuid() });

export function encodeSweepCursor(cursor: SweepListCursor): string {
  return encodeCursor({ t: cursor.createdAt.toISOString(), id: cursor.id });
}

export function decodeSweepCursor(text: string): SweepListCursor {
  const { t, id } = decodeCursor(text, sweepCursorSchema);
  return { createdAt: new Date(t), id };
}

/** Newest sweeps first with run counts by status, `limit` after the cursor; the sweeps are limited before the join. */
export function sweepListSql(limit: number, after?: SweepListCursor): Prisma.Sql {
  const where = after ? Prisma.sql`WHERE ("createdAt", "id") < (${after.createdAt.toISOString()}::timestamp, ${after.id}::uuid)` : Prisma.empty;
  return Prisma.sql`SELECT s."id"::text AS "id", s."name", s."createdAt",
      count(r."id") FILTER (WHERE r."status" = 'QUEUED')::int AS "QUEUED",
      count(r."id") FILTER (WHERE r."status" = 'RUNNING')::int AS "RUNNING",
      count(r."id") FILTER (WHERE r."status" = 'SUCCEEDED')::int AS "SUCCEEDED",
      count(r."id") FILTER (WHERE r."status" = 'FAILED')::int AS "FAILED",
      count(r."id") FILTER (WHERE r."status" = 'CANCELLED')::int AS "CANCELLED"
    FROM (SELECT "id", "name", "createdAt" FROM "Sweep" ${where} ORDER BY "createdAt" DESC, "id" DESC LIMIT ${limit}) s
    LEFT JOIN "Experiment" e ON e."sweepId" = s."id"
    LEFT JOIN "Run" r ON r."experimentId" = e."id"
    GROUP BY s."id", s."name", s."createdAt"
    ORDER BY s."createdAt" DESC, s."id" DESC`;
}

export interface SweepTrialSqlRow {
  id: string;
  name: string;
  spec: unknown;
  createdAt: Date;
  runId: string | null;
  trialName: string | null;
  status: string | null;
  params: unknown;
  seed: number | null;
  testMetrics: unknown;
}

export type SweepListSqlRow = { id: string; name: string; createdAt: Date } & Record<RunStatus, number>;

/** The rows of sweepTrialsSql as one sweep (null: no such sweep). */
export function toSweepWithTrials(rows: SweepTrialSqlRow[]): SweepWithTrials | null {
  const [first] = rows;
  if (!first) return null;
  const trials = rows.flatMap((row): SweepTrialRow[] =>
    row.runId === null
      ? []
      : [
          {
            runId: row.runId,
            name: row.trialName ?? '',
            status: row.status as RunStatus,
            params: trialParamsSchema.parse(row.params ?? {}),
            seed: row.seed ?? 0,
            testMetrics: row.testMetrics === null || row.testMetrics === undefined ? null : metricsRecordSchema.parse(row.testMetrics),
          },
        ],
  );
  return { id: first.id, name: first.name, spec: first.spec, createdAt: new Date(first.createdAt), trials };
}

export function toSweepListItem(row: SweepListSqlRow): SweepListItem {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt),
    runs: { QUEUED: row.QUEUED, RUNNING: row.RUNNING, SUCCEEDED: row.SUCCEEDED, FAILED: row.FAILED, CANCELLED: row.CANCELLED },
  };
}
