import { RUN_RECORD_VERSION, type ExperimentDefinition } from '@trainyard/contract';
import type { RunStatus } from '../runs/run-ledger.js';
import type { DbClient } from './prisma-client.js';
import { encodeRunCursor, runPageSql, sortSignature } from './run-list-query.js';
import { runningByWorkerSql, toRunningByWorker, type RunningByWorker, type RunningByWorkerQuery, type RunningSqlRow } from './running-runs-query.js';
import { RUN_DETAIL_SELECT, RUN_LIST_SELECT, toDetail, toListItem } from './run-rows.js';
import { StoreError, storeCall } from './store-error.js';
import type { RunDetail, RunListItem, RunPageQuery, RunPage, StaleRun } from './store-types.js';

export interface NewRun {
  experimentId: string;
  seed: number;
  epochs: number;
  /** For a rerun: the run whose numbers this one should reproduce. */
  reproducesRunId?: string;
}

/** Runs as submissions, lists, cancel and the reaper see them. A worker's writes go through the ledger. */
export class RunRepository {
  constructor(private readonly db: DbClient) {}

  createQueued(input: NewRun): Promise<{ id: string; status: RunStatus; queuedAt: Date }> {
    return storeCall('creating a run', () =>
      this.db.run.create({
        data: { experimentId: input.experimentId, seed: input.seed, epochs: input.epochs, reproducesRunId: input.reproducesRunId ?? null, recordVersion: RUN_RECORD_VERSION },
        select: { id: true, status: true, queuedAt: true },
      }),
    );
  }

  /** Whether the run exists, without reading its record. */
  async exists(id: string): Promise<boolean> {
    const row = await storeCall('finding a run', () => this.db.run.findUnique({ where: { id }, select: { id: true } }));
    return row !== null;
  }

  /** The run as lists show it, without the large columns of its detail (samples, weights, env...). */
  async find(id: string): Promise<RunListItem | null> {
    const row = await storeCall('reading a run', () => this.db.run.findUnique({ where: { id }, select: RUN_LIST_SELECT }));
    return row ? toListItem(row) : null;
  }

  async get(id: string): Promise<RunDetail | null> {
    const row = await storeCall('reading a run', () => this.db.run.findUnique({ where: { id }, select: RUN_DETAIL_SELECT }));
    return row ? toDetail(row) : null;
  }

  /** One page of runs, filtered and sorted (see RunPageQuery); nextCursor is null on the last page. */
  async list(query: RunPageQuery = {}): Promise<RunPage> {
    const { sql, sort, size } = runPageSql(query);
    return storeCall('listing runs', async () => {
      const keys = await this.db.$queryRaw<{ id: string; key: string | null }[]>(sql);
      const page = keys.slice(0, size);
      const rows = await this.db.run.findMany({ where: { id: { in: page.map((k) => k.id) } }, select: RUN_LIST_SELECT });
      const byId = new Map(rows.map((row) => [row.id, toListItem(row)]));
      const items = page.flatMap((k) => byId.get(k.id) ?? []);
      const last = page[page.length - 1];
      const nextCursor = keys.length > size && last ? encodeRunCursor({ s: sortSignature(sort), v: last.key, id: last.id }) : null;
      return { items, nextCursor };
    });
  }

  /** Marks runs whose jobs could not be enqueued as FAILED; runs a worker already took are left alone. */
  markFailed(ids: string[], kind: string, code: string, message: string): Promise<number> {
    return storeCall('marking runs failed', async () => {
      const { count } = await this.db.run.updateMany({
        where: { id: { in: ids }, status: 'QUEUED' },
        data: { status: 'FAILED', errorKind: kind, errorCode: code, error: message, finishedAt: new Date() },
      });
      return count;
    });
  }

  /**
   * Asks a run to stop and answers the status it had: QUEUED becomes CANCELLED at once,
   * RUNNING gets cancelRequested (its worker sees it at the next heartbeat), a finished run is
   * left as it is. Each step is one conditional UPDATE, so a run that changes status between
   * them is caught by the next one.
   */
  requestCancel(id: string): Promise<RunStatus> {
    return storeCall('cancelling a run', async () => {
      const queued = await this.db.run.updateMany({
        where: { id, status: 'QUEUED' },
        data: { status: 'CANCELLED', cancelRequested: true, finishedAt: new Date() },
      });
      if (queued.count === 1) return 'QUEUED';
      const running = await this.db.run.updateMany({ where: { id, status: 'RUNNING' }, data: { cancelRequested: true } });
      if (running.count === 1) return 'RUNNING';
      const run = await this.db.run.findUnique({ where: { id }, select: { status: true } });
      if (!run) throw new StoreError('NOT_FOUND', `run ${id} does not exist`);
      return run.status;
    });
  }

  /** RUNNING runs whose heartbeat is older than the given time (or that never beat since): their worker vanished. */
  findStale(options: { heartbeatOlderThan: Date }): Promise<StaleRun[]> {
    const before = options.heartbeatOlderThan;
    return storeCall('finding stale runs', () =>
      this.db.run.findMany({
        where: { status: 'RUNNING', OR: [{ heartbeatAt: { lt: before } }, { heartbeatAt: null, startedAt: { lt: before } }] },
        orderBy: { heartbeatAt: 'asc' },
        select: { id: true, attempt: true, workerId: true, heartbeatAt: true },
      }),
    );
  }

  /**
   * The RUNNING runs of the given workers (the queue view's workers online), at most
   * `perWorker` each, longest running first; and those of no connected worker. One query.
   */
  async runningByWorker(query: RunningByWorkerQuery): Promise<RunningByWorker> {
    const sql = runningByWorkerSql(query);
    const rows = await storeCall('listing running runs', () => this.db.$queryRaw<RunningSqlRow[]>(sql));
    return toRunningByWorker(rows);
  }

  /**
   * Ids of QUEUED runs, oldest first, for a reconciler that re-enqueues what Redis lost.
   * `queuedBefore` leaves out runs so new that their job may not be added yet.
   */
  async findQueued(options: { queuedBefore?: Date } = {}): Promise<string[]> {
    const rows = await storeCall('finding queued runs', () =>
      this.db.run.findMany({
        where: { status: 'QUEUED', ...(options.queuedBefore ? { queuedAt: { lt: options.queuedBefore } } : {}) },
        orderBy: [{ queuedAt: 'asc' }, { id: 'asc' }],
        select: { id: true },
      }),
    );
    return rows.map((row) => row.id);
  }

  /**
   * QUEUED runs of the same sweep as `runId` (not `runId` itself, none with a cancel asked
   * for), oldest first, at most `limit`, with their definitions and seeds: what a worker may
   * take into a pack with `runId`. None when `runId` is not in a sweep.
   */
  async findQueuedSweepSiblings(runId: string, limit: number): Promise<{ runId: string; definition: ExperimentDefinition & { seed: number } }[]> {
    const rows = await storeCall('finding runs to pack', () =>
      this.db.run.findMany({
        where: {
          id: { not: runId },
          status: 'QUEUED',
          cancelRequested: false,
          experiment: { sweepId: { not: null }, sweep: { experiments: { some: { runs: { some: { id: runId } } } } } },
        },
        orderBy: [{ queuedAt: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true, seed: true, experiment: { select: { definition: true } } },
      }),
    );
    // Stored after validation at submission; the seed lives on the run, as claim() reads it.
    return rows.map((row) => ({ runId: row.id, definition: { ...(row.experiment.definition as ExperimentDefinition), seed: row.seed } }));
  }

  /** Trial keys of a sweep that have a QUEUED, RUNNING or SUCCEEDED run: a resubmitted sweep skips them. */
  async activeOrSucceededTrialKeys(sweepId: string): Promise<Set<string>> {
    const rows = await storeCall('reading a sweep', () =>
      this.db.experiment.findMany({
        where: { sweepId, trialKey: { not: null }, runs: { some: { status: { in: ['QUEUED', 'RUNNING', 'SUCCEEDED'] } } } },
        select: { trialKey: true },
        distinct: ['trialKey'],
      }),
    );
    return new Set(rows.flatMap((row) => (row.trialKey === null ? [] : [row.trialKey])));
  }
}
