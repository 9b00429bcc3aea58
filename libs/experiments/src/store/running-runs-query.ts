import { Prisma } from './prisma-client.js';
import { StoreError } from './store-error.js';

/** Most workers one query lists runs for (the queue view shows at most 200 workers). */
export const MAX_LISTED_WORKERS = 200;
/** Most runs listed per worker: its concurrency, usually a handful. */
export const MAX_RUNS_PER_WORKER = 50;
/** Most RUNNING runs of no connected worker one query lists. */
export const MAX_ORPHAN_RUNS = 200;

/** A RUNNING run as the queue view shows it: who runs it and how far it got. */
export interface RunningRun {
  id: string;
  name: string;
  /** The worker that claimed the run (its BullMQ worker name). */
  workerId: string | null;
  host: string | null;
  /** The last epoch recorded. */
  currentEpoch: number;
  epochs: number;
  heartbeatAt: Date | null;
  startedAt: Date | null;
  /**
   * How many runs train as one pack with it, itself included (env.pack.size, recorded at its
   * start); null for a run trained alone. A claim keeps the old env, so until a new attempt's
   * start is recorded this is its previous attempt's.
   */
  packSize: number | null;
}

/** The first runs of a group, longest running first, and how many the group has in all. */
export interface RunningRuns {
  runs: RunningRun[];
  total: number;
}

export interface RunningByWorkerQuery {
  /** The workers whose runs to list. */
  workerIds: string[];
  /**
   * Every worker connected now (workerIds and those not listed): a RUNNING run recorded on
   * none of them is an orphan. Default: workerIds.
   */
  connectedWorkerIds?: string[];
  /** 1..MAX_RUNS_PER_WORKER */
  perWorker: number;
  /** 1..MAX_ORPHAN_RUNS */
  orphanLimit: number;
}

export interface RunningByWorker {
  /** Each listed worker that has RUNNING runs, by its id. */
  byWorker: Map<string, RunningRuns>;
  /** RUNNING runs whose worker is not connected: it died or lost Redis (the reaper requeues them once their heartbeat is stale). */
  orphans: RunningRuns;
}

export interface RunningSqlRow extends RunningRun {
  /** The listed worker the row belongs to; null for an orphan. */
  listedWorker: string | null;
  total: number;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new StoreError('INVALID', `${name}: must be an integer from ${min} to ${max}`);
}

/**
 * One statement: the RUNNING runs (few: as many as the workers' threads, plus orphans)
 * grouped into one partition per listed worker and one of orphans, numbered and counted per
 * partition, so that every group is cut to its limit and still knows its size. Runs of a
 * connected worker that is not listed are in neither.
 */
export function runningByWorkerSql(query: RunningByWorkerQuery): Prisma.Sql {
  if (query.workerIds.length > MAX_LISTED_WORKERS) throw new StoreError('INVALID', `workerIds: at most ${MAX_LISTED_WORKERS}`);
  checkRange('perWorker', query.perWorker, 1, MAX_RUNS_PER_WORKER);
  checkRange('orphanLimit', query.orphanLimit, 1, MAX_ORPHAN_RUNS);
  const connected = [...new Set([...query.workerIds, ...(query.connectedWorkerIds ?? [])])];
  return Prisma.sql`WITH running AS (
      SELECT r."id"::text AS "id", e."name", r."workerId", r."host", r."currentEpoch", r."epochs", r."heartbeatAt", r."startedAt",
          (r."env"->'pack'->>'size')::int AS "packSize",
          CASE WHEN r."workerId" = ANY(${query.workerIds}::text[]) THEN r."workerId" END AS "listedWorker",
          (r."workerId" IS NULL OR NOT (r."workerId" = ANY(${connected}::text[]))) AS "orphan"
        FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId"
        WHERE r."status" = 'RUNNING'::"RunStatus"
    ), ranked AS (
      SELECT *,
          row_number() OVER (PARTITION BY "listedWorker" ORDER BY "startedAt" NULLS LAST, "id") AS "rank",
          count(*) OVER (PARTITION BY "listedWorker") AS "total"
        FROM running
        WHERE "listedWorker" IS NOT NULL OR "orphan"
    )
    SELECT "id", "name", "workerId", "host", "currentEpoch", "epochs", "heartbeatAt", "startedAt", "packSize", "listedWorker", "total"::int AS "total"
      FROM ranked
      WHERE "rank" <= CASE WHEN "listedWorker" IS NULL THEN ${query.orphanLimit}::int ELSE ${query.perWorker}::int END
      ORDER BY "listedWorker" NULLS LAST, "rank"`;
}

export function toRunningByWorker(rows: RunningSqlRow[]): RunningByWorker {
  const byWorker = new Map<string, RunningRuns>();
  const orphans: RunningRuns = { runs: [], total: 0 };
  for (const { listedWorker, total, ...run } of rows) {
    let group = orphans;
    if (listedWorker !== null) {
      group = byWorker.get(listedWorker) ?? { runs: [], total: 0 };
      byWorker.set(listedWorker, group);
    }
    group.total = total;
    group.runs.push(run);
  }
  return { byWorker, orphans };
}
