import { z } from 'zod';
import type { DefinitionIssue } from '../definition/definition-error.js';
import { safeText } from '../definition/safe-text.js';

/*
 * The HTTP API's shapes, shared by the server (apps/dashboard) and its clients (apps/cli,
 * the web UI): zod schemas for what comes in, TypeScript types for what goes out.
 */

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a run never leaves. */
export const FINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Most rows one page returns; no endpoint returns unbounded lists. */
export const MAX_PAGE_SIZE = 200;
/** Rows per page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 50;

/** `?cursor=...&limit=...`, the same on every paged list. */
const pageFields = {
  cursor: z.string().max(500).regex(/^[\w-]*$/, 'must be a cursor from a previous page (nextCursor)').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
};

const commaList = <T extends z.ZodType>(item: T, most = Infinity) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(item).max(most, `at most ${most}`));

/** `sort=queuedAt`, `sort=-finishedAt`, `sort=metric:mae`, `sort=-metric:accuracy`. */
export const runSortSchema = z
  .string()
  .regex(/^-?(queuedAt|startedAt|finishedAt|name|metric:[a-z_0-9]+)$/, 'must be queuedAt, startedAt, finishedAt, name or metric:<name>, with - for descending')
  .transform((sort) => {
    const descending = sort.startsWith('-');
    const key = descending ? sort.slice(1) : sort;
    return key.startsWith('metric:')
      ? { field: 'metric' as const, metric: key.slice('metric:'.length), descending }
      : { field: key as 'queuedAt' | 'startedAt' | 'finishedAt' | 'name', descending };
  });
export type RunSort = z.output<typeof runSortSchema>;

export const runListQuerySchema = z.strictObject({
  status: commaList(z.enum(RUN_STATUSES)).optional(),
  name: safeText().max(200).optional(),
  dataset: safeText().max(100).optional(),
  sweep: z.uuid().optional(),
  /** Only these runs (comma-separated ids, at most a page): how a client follows the runs it submitted. */
  ids: commaList(z.uuid('must be a run id (a UUID)'), MAX_PAGE_SIZE).optional(),
  sort: runSortSchema.optional().transform((sort) => sort ?? ({ field: 'queuedAt', descending: true } as const)),
  ...pageFields,
});
export type RunListQuery = z.output<typeof runListQuerySchema>;

export const runIdParamsSchema = z.strictObject({ id: z.uuid('must be a run id (a UUID)') });

export const predictBodySchema = z.strictObject({
  /** Raw input rows, as in the dataset (the run's fitted preprocessing is applied). */
  inputs: z.array(z.array(z.number())).min(1).max(1_000),
});
export type PredictBody = z.output<typeof predictBodySchema>;

// events: GET /api/events (server-sent events)

/** Most run ids GET /api/events takes in `?runs=`; with more, ask for every run and filter. */
export const MAX_EVENT_RUNS = 200;

/** `?runs=id,id,...`: only these runs' events; every run's when absent (or empty). */
export const eventsQuerySchema = z.strictObject({
  runs: commaList(z.uuid('must be a run id (a UUID)'), MAX_EVENT_RUNS).optional(),
});

/** The events path for these runs: every run's for null or more than MAX_EVENT_RUNS ids (then the client filters). */
export function eventsPath(runIds: readonly string[] | null): string {
  if (runIds === null || runIds.length > MAX_EVENT_RUNS) return '/api/events';
  return `/api/events?runs=${encodeURIComponent(runIds.join(','))}`;
}

/** A live update about a run. Best effort: the database is the record, this is for views. */
export const liveRunEventSchema = z.object({
  runId: z.uuid(),
  type: z.enum(['status', 'epoch', 'batch']),
  status: z.enum(RUN_STATUSES).optional(),
  epoch: z.number().int().nonnegative().optional(),
  epochs: z.number().int().positive().optional(),
  /** Batch progress inside `epoch` (type batch). */
  batch: z.number().int().nonnegative().optional(),
  batches: z.number().int().positive().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  /** Status FAILED: why. */
  message: z.string().optional(),
  attempt: z.number().int().positive().optional(),
  /** ISO time the event happened. */
  at: z.iso.datetime(),
});
export type LiveRunEvent = z.infer<typeof liveRunEventSchema>;

export interface ApiErrorBody {
  error: { code: string; message: string; issues?: DefinitionIssue[] };
}

export interface SubmittedRun {
  id: string;
  name: string;
  status: RunStatus;
  seed: number;
}

export interface SubmissionResponse {
  sweep?: { id: string; name: string; created: boolean; skipped: number };
  runs: SubmittedRun[];
}

export interface PredictResponse {
  predictions: { input: number[]; output: number[]; label?: string }[];
}

// queue: GET /api/queue

/** Most workers GET /api/queue lists (by name); `workersTotal` says how many are connected. */
export const MAX_QUEUE_WORKERS = 200;
/** Most current runs listed per worker (it runs WORKER_CONCURRENCY at once); `runsTotal` says how many it has. */
export const MAX_QUEUE_RUNS_PER_WORKER = 20;
/** Most runs listed as running on no connected worker; `orphanRuns.total` says how many there are. */
export const MAX_QUEUE_ORPHAN_RUNS = 50;

/** A RUNNING run as the queue shows it, from its record. Dates are ISO strings. */
export interface QueueRunView {
  id: string;
  name: string;
  /** The last epoch recorded, of `epochs`. */
  currentEpoch: number;
  epochs: number;
  /** The last time its worker reported it alive (every WORKER_HEARTBEAT_MS, and at each epoch). */
  heartbeatAt: string | null;
  host: string | null;
  /** The worker recorded on the run (its BullMQ worker name). */
  workerId: string | null;
  startedAt: string | null;
}

/** A worker connected to the queue now, as Redis sees it, with the runs it is training. */
export interface QueueWorkerView {
  /** The BullMQ worker name, which is also the `workerId` on the runs it claims (host:pid:suffix unless WORKER_NAME is set). */
  name: string;
  /** Its Redis connection's address (ip:port), as Redis sees it. */
  addr: string | null;
  /** Seconds since its oldest Redis connection was opened. */
  connectedSeconds: number | null;
  /** Its RUNNING runs, longest running first, at most MAX_QUEUE_RUNS_PER_WORKER. */
  runs: QueueRunView[];
  runsTotal: number;
}

export interface QueueResponse {
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  /** The connected workers sorted by name, at most MAX_QUEUE_WORKERS. */
  workers: QueueWorkerView[];
  /** How many workers are connected (more than `workers.length` when the list is cut). */
  workersTotal: number;
  /**
   * RUNNING runs whose worker is not connected: it died, or lost Redis for a while (then it
   * carries on when it is back). A dead worker's runs go to another worker through BullMQ's
   * stall check, or the reaper once their heartbeat is older than WORKER_STALE_AFTER_MS.
   * Longest running first, at most MAX_QUEUE_ORPHAN_RUNS.
   */
  orphanRuns: { runs: QueueRunView[]; total: number };
}

/** A run as lists show it. Dates are ISO strings. */
export interface RunView {
  id: string;
  name: string;
  status: RunStatus;
  experimentId: string;
  sweepId: string | null;
  sweepName: string | null;
  dataset: string;
  seed: number;
  attempt: number;
  currentEpoch: number;
  epochs: number;
  backend: string | null;
  testMetrics: Record<string, number> | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Training time of a run that succeeded; finished minus started for one that failed or was cancelled; null before it ends. */
  durationMs: number | null;
  error: { kind: string | null; code: string | null; message: string } | null;
  reproducesRunId: string | null;
  /** For a rerun: whether every per-epoch metric matched the original exactly. */
  reproduction: unknown;
}

/** Everything recorded about one run. */
export interface RunDetailView extends RunView {
  definition: unknown;
  datasetHash: string | null;
  env: unknown;
  host: string | null;
  workerId: string | null;
  heartbeatAt: string | null;
  summary: unknown;
  evaluation: unknown;
  samples: unknown;
  predictions: unknown;
  weights: unknown;
  stoppedEarly: boolean | null;
  bestEpoch: number | null;
  releases: unknown;
  artifacts: { kind: string; size: number; sha256: string }[];
}

export interface RunListResponse {
  items: RunView[];
  nextCursor: string | null;
}

export interface EpochView {
  epoch: number;
  metrics: Record<string, number>;
  durationMs: number;
}

export interface EpochListResponse {
  epochs: EpochView[];
}

// sweeps: GET /api/sweeps and GET /api/sweeps/:id

export const sweepIdParamsSchema = z.strictObject({ id: z.uuid('must be a sweep id (a UUID)') });

/** `?metric=mae`: the metric the best trial is chosen by (default: the first test metric other than loss). */
export const sweepQuerySchema = z.strictObject({
  metric: z.string().regex(/^[a-z_0-9]{1,50}$/, 'must be a metric name such as mae, r2 or accuracy').optional(),
});
export type SweepQuery = z.output<typeof sweepQuerySchema>;

/** `GET /api/sweeps?limit=50&cursor=...`: a page of the sweep list, newest first. */
export const sweepListQuerySchema = z.strictObject(pageFields);

/** A sweep as lists show it; newest first, at most 200 a page. */
export interface SweepListItemView {
  id: string;
  name: string;
  createdAt: string;
  runs: Record<RunStatus, number>;
}

export interface SweepListResponse {
  items: SweepListItemView[];
  /** Pass as `cursor` for the next page; null: this was the last. */
  nextCursor: string | null;
}

/** One trial: its parameter values (field path -> value) and its latest run. */
export interface SweepTrialView {
  runId: string;
  name: string;
  status: RunStatus;
  params: Record<string, unknown>;
  seed: number;
  testMetrics: Record<string, number> | null;
}

/** The trials of one configuration (its repeats); mean and sample std over the SUCCEEDED ones (std 0 for one run). */
export interface SweepGroupView {
  params: Record<string, unknown>;
  /** Run ids of every trial of this configuration, whatever their status. */
  runs: string[];
  /** How many of them SUCCEEDED (the n of the statistics). */
  succeeded: number;
  metrics: Record<string, { mean: number; std: number }>;
}

export interface SweepDetailResponse {
  id: string;
  name: string;
  /** The sweep as submitted (base definition + grid/random/repeats, baseSeed). */
  spec: unknown;
  createdAt: string;
  /** The varied field paths, e.g. `optimizer.learningRate`. */
  params: string[];
  /** The metric `best` is chosen by: `?metric`, else the first test metric other than loss (null: no results yet). */
  metric: string | null;
  trials: SweepTrialView[];
  groups: SweepGroupView[];
  /** The SUCCEEDED trial with the best value of `metric` (max for accuracy, macro_f1, r2; min otherwise). */
  best: { runId: string; metric: string; value: number } | null;
}
