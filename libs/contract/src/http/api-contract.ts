import { z } from 'zod';
import type { DefinitionIssue } from '../definition/definition-error.js';
import { experimentDefinitionSchema } from '../definition/experiment-definition.schema.js';
import { safeText } from '../definition/safe-text.js';
import { DATASET_NAME_PATTERN, DATASET_NAME_RULE, isBuiltInDatasetName, SHA256_PATTERN } from '../datasets/dataset-ref.js';
import { datasetProfileSchema } from '../datasets/image-profile.schema.js';
import { cellSchema } from '../datasets/table-profile.schema.js';
import { preprocessorStateSchema } from '../record/preprocessor-state.schema.js';
import {
  evaluationSchema,
  layerWeightsSchema,
  modelSummarySchema,
  predictionSchema,
  reproductionSchema,
  runEnvSchema,
  runReleaseSchema,
  sampleSchema,
} from '../record/run-record.schema.js';

/*
 * The HTTP API's shapes, shared by the server (apps/dashboard) and its clients (apps/cli,
 * the web UI): zod schemas for what comes in and for what goes out (routes.ts pairs them
 * with methods and paths).
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

const commaList = <T extends z.ZodType>(item: T, most?: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    most === undefined ? z.array(item) : z.array(item).max(most, `at most ${most}`),
  );

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
  /** `failed`, `FAILED,cancelled`: any case. */
  status: commaList(z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(RUN_STATUSES))).optional(),
  name: safeText().max(200).optional(),
  dataset: safeText().max(100).optional(),
  sweep: z.uuid().optional(),
  /** Only these runs (comma-separated ids, at most a page): how a client follows the runs it submitted. */
  ids: commaList(z.uuid('must be a run id (a UUID)'), MAX_PAGE_SIZE).optional(),
  /** Runs whose id starts with this (at least 4 hex digits), as git and docker take a short id. */
  idPrefix: z.string().regex(/^[0-9a-f]{4}[0-9a-f-]{0,32}$/, 'must be the start of a run id: at least 4 of its hex digits').optional(),
  sort: runSortSchema.optional().transform((sort) => sort ?? ({ field: 'queuedAt', descending: true } as const)),
  ...pageFields,
});
export type RunListQuery = z.output<typeof runListQuerySchema>;

export const runIdParamsSchema = z.strictObject({ id: z.uuid('must be a run id (a UUID)') });

export const predictBodySchema = z.strictObject({
  /**
   * Raw input rows, as in the dataset: numbers, texts (a category column's values) and null for
   * a missing cell. The run's fitted preprocessing (imputing, one-hot encoding, scaling) is applied.
   */
  inputs: z.array(z.array(cellSchema)).min(1).max(1_000),
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

/** Any JSON value: what a client may send where the use case parses the rest (a definition or a sweep). */
export const jsonValueSchema = z.json();
export type JsonValue = z.output<typeof jsonValueSchema>;

// --- What the API answers. Every answer is parsed against these on both sides: the server
// serializes through them (fields they do not name are dropped), the clients parse with them.

/** The `code` of a 4xx/5xx answer: a closed list, so clients can switch on it. */
export const API_ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_DEFINITION',
  'INVALID_JSON',
  'INVALID',
  'UNAUTHORIZED',
  'HOST_NOT_ALLOWED',
  'ORIGIN_NOT_ALLOWED',
  'NOT_FOUND',
  'NOT_TRAINED',
  'CONFLICT',
  'UNSUPPORTED_CHARSET',
  'UNSUPPORTED_MEDIA_TYPE',
  'BODY_TOO_LARGE',
  'UNAVAILABLE',
  'QUEUE_UNAVAILABLE',
  'BACKEND_UNAVAILABLE',
  'DOWNLOAD_FAILED',
  'CHECKSUM_MISMATCH',
  'PARSE_ERROR',
  'MISSING_COLUMN',
  'EMPTY',
  'INVALID_SPEC',
  'NON_FINITE_LOSS',
  'SHAPE_MISMATCH',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const definitionIssueSchema = z.object({ path: z.string(), message: z.string() }) satisfies z.ZodType<DefinitionIssue>;

export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string(), issues: z.array(definitionIssueSchema).optional() }),
});
export type ApiErrorBody = z.output<typeof apiErrorBodySchema>;

const iso = z.iso.datetime({ offset: true });
const metricsSchema = z.record(z.string(), z.number());
const statusSchema = z.enum(RUN_STATUSES);

export const submittedRunSchema = z.object({ id: z.uuid(), name: z.string(), status: statusSchema, seed: z.number().int() });
export type SubmittedRun = z.output<typeof submittedRunSchema>;

export const submissionResponseSchema = z.object({
  sweep: z.object({ id: z.uuid(), name: z.string(), created: z.boolean(), skipped: z.number().int() }).optional(),
  runs: z.array(submittedRunSchema),
});
export type SubmissionResponse = z.output<typeof submissionResponseSchema>;

export const predictResponseSchema = z.object({ predictions: z.array(predictionSchema) });
export type PredictResponse = z.output<typeof predictResponseSchema>;

export const cancelResponseSchema = z.object({ id: z.uuid(), status: statusSchema });
export type CancelResponse = z.output<typeof cancelResponseSchema>;

export const healthResponseSchema = z.object({ ok: z.literal(true), database: z.enum(['postgres', 'pglite']), redis: z.enum(['up', 'down']) });
export type HealthResponse = z.output<typeof healthResponseSchema>;

/** What the web UI needs to know of this server before it reads or changes anything. */
export const configResponseSchema = z.object({
  /** Reads and changes need `Authorization: Bearer <token>` (TRAINYARD_API_TOKEN). */
  tokenRequired: z.boolean(),
  /** TRAINYARD_PUBLIC_READS: reads are open, changes still need the token. */
  publicReads: z.boolean(),
  /** The address the server listens on. */
  host: z.string(),
  /** Bound to a loopback address only: no one else on the network reaches it. */
  local: z.boolean(),
});
export type ConfigResponse = z.output<typeof configResponseSchema>;

export const sessionResponseSchema = z.object({ reads: z.literal(true) });

// queue: GET /api/queue

/** Most workers GET /api/queue lists (by name); `workersTotal` says how many are connected. */
export const MAX_QUEUE_WORKERS = 200;
/** Most current runs listed per worker (it runs WORKER_CONCURRENCY at once); `runsTotal` says how many it has. */
export const MAX_QUEUE_RUNS_PER_WORKER = 20;
/** Most runs listed as running on no connected worker; `orphanRuns.total` says how many there are. */
export const MAX_QUEUE_ORPHAN_RUNS = 50;

/** A RUNNING run as the queue shows it, from its record. */
export const queueRunViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The last epoch recorded, of `epochs`. */
  currentEpoch: z.number().int(),
  epochs: z.number().int(),
  /** The last time its worker reported it alive (every WORKER_HEARTBEAT_MS, and at each epoch). */
  heartbeatAt: iso.nullable(),
  host: z.string().nullable(),
  /** The worker recorded on the run (its BullMQ worker name). */
  workerId: z.string().nullable(),
  startedAt: iso.nullable(),
  /** How many runs it trains with as one computation, itself included (its record's env.pack.size); null for a run trained alone. */
  packSize: z.number().int().min(2).nullable(),
});
export type QueueRunView = z.output<typeof queueRunViewSchema>;

/** A worker connected to the queue now, as Redis sees it, with the runs it is training. */
export const queueWorkerViewSchema = z.object({
  /** The BullMQ worker name, also the `workerId` on the runs it claims. */
  name: z.string(),
  /** Its Redis connection's address (ip:port), as Redis sees it. */
  addr: z.string().nullable(),
  /** Seconds since its oldest Redis connection was opened. */
  connectedSeconds: z.number().nullable(),
  /**
   * Its machine: the host recorded on the latest run it trained, else the host part of a default
   * worker name (host:pid:hex); null for a custom name before its first run.
   */
  host: z.string().nullable(),
  /** Its newest heartbeat on any run it trained (a worker beats while it trains); null before its first run. */
  lastHeartbeatAt: iso.nullable(),
  /** The training backend (wasm, cpu, tensorflow) recorded on its latest run; null before its first run. */
  backend: z.string().nullable(),
  /** Its RUNNING runs, longest running first, at most MAX_QUEUE_RUNS_PER_WORKER. */
  runs: z.array(queueRunViewSchema),
  runsTotal: z.number().int(),
});
export type QueueWorkerView = z.output<typeof queueWorkerViewSchema>;

export const queueResponseSchema = z.object({
  counts: z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int(), completed: z.number().int() }),
  /** The connected workers sorted by name, at most MAX_QUEUE_WORKERS. */
  workers: z.array(queueWorkerViewSchema),
  /** How many workers are connected (more than `workers.length` when the list is cut). */
  workersTotal: z.number().int(),
  /**
   * RUNNING runs whose worker is not connected: it died, or lost Redis for a while. A dead
   * worker's runs go to another worker through BullMQ's stall check, or the reaper once their
   * heartbeat is older than WORKER_STALE_AFTER_MS. Longest running first, at most MAX_QUEUE_ORPHAN_RUNS.
   */
  orphanRuns: z.object({ runs: z.array(queueRunViewSchema), total: z.number().int() }),
});
export type QueueResponse = z.output<typeof queueResponseSchema>;

// runs

/** A varied field's value: any JSON (a learning rate, a layer's units, an activation name). */
export const trialParamsSchema = z.record(z.string(), z.json());
export type TrialParams = z.output<typeof trialParamsSchema>;

/** A run as lists show it. Dates are ISO strings. */
export const runViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: statusSchema,
  experimentId: z.uuid(),
  sweepId: z.uuid().nullable(),
  sweepName: z.string().nullable(),
  dataset: z.string(),
  seed: z.number().int(),
  attempt: z.number().int(),
  currentEpoch: z.number().int(),
  epochs: z.number().int(),
  backend: z.string().nullable(),
  testMetrics: metricsSchema.nullable(),
  queuedAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  /** Training time of a run that succeeded; finished minus started for one that failed or was cancelled; null before it ends. */
  durationMs: z.number().nullable(),
  error: z.object({ kind: z.string().nullable(), code: z.string().nullable(), message: z.string() }).nullable(),
  reproducesRunId: z.uuid().nullable(),
  /** For a rerun: whether every per-epoch metric matched the original exactly. */
  reproduction: reproductionSchema.nullable(),
  /**
   * A sweep trial's varied parameters (field path -> value, e.g. `optimizer.learningRate: 0.01`);
   * null for a run outside a sweep.
   */
  params: trialParamsSchema.nullable(),
});
export type RunView = z.output<typeof runViewSchema>;

export const ARTIFACT_KINDS = ['MODEL_TOPOLOGY', 'WEIGHTS', 'PREPROCESSOR'] as const;
export type ArtifactKindName = (typeof ARTIFACT_KINDS)[number];

/** The files of an exported model, by the names model.json's weightsManifest uses, and what each holds. */
export const MODEL_FILES = {
  'model.json': { kind: 'MODEL_TOPOLOGY', type: 'application/json' },
  'weights.bin': { kind: 'WEIGHTS', type: 'application/octet-stream' },
  'preprocessor.json': { kind: 'PREPROCESSOR', type: 'application/json' },
} as const satisfies Record<string, { kind: ArtifactKindName; type: string }>;
export type ModelFileName = keyof typeof MODEL_FILES;
export const MODEL_FILE_NAMES = Object.keys(MODEL_FILES) as ModelFileName[];

/** Everything recorded about one run. */
export const runDetailViewSchema = runViewSchema.extend({
  definition: experimentDefinitionSchema,
  datasetHash: z.string().nullable(),
  env: runEnvSchema.nullable(),
  host: z.string().nullable(),
  workerId: z.string().nullable(),
  heartbeatAt: iso.nullable(),
  summary: modelSummarySchema.nullable(),
  evaluation: evaluationSchema.nullable(),
  samples: z.array(sampleSchema).nullable(),
  predictions: z.array(predictionSchema).nullable(),
  weights: z.array(layerWeightsSchema).nullable(),
  stoppedEarly: z.boolean().nullable(),
  bestEpoch: z.number().int().nullable(),
  releases: z.array(runReleaseSchema),
  artifacts: z.array(z.object({ kind: z.enum(ARTIFACT_KINDS), size: z.number().int(), sha256: z.string() })),
  /** The version of the record's JSON shapes the row was written with (read as the current one). */
  recordVersion: z.number().int(),
  /** The fitted preprocessing saved with the model (per column: imputed value, categories, scaling); absent until the run has a model. */
  preprocessor: preprocessorStateSchema.optional(),
});
export type RunDetailView = z.output<typeof runDetailViewSchema>;

export const runListResponseSchema = z.object({ items: z.array(runViewSchema), nextCursor: z.string().nullable() });
export type RunListResponse = z.output<typeof runListResponseSchema>;

export const epochViewSchema = z.object({ epoch: z.number().int(), metrics: metricsSchema, durationMs: z.number() });
export type EpochView = z.output<typeof epochViewSchema>;

export const epochListResponseSchema = z.object({ epochs: z.array(epochViewSchema) });
export type EpochListResponse = z.output<typeof epochListResponseSchema>;

// sweeps: GET /api/sweeps and GET /api/sweeps/:id

export const sweepIdParamsSchema = z.strictObject({ id: z.uuid('must be a sweep id (a UUID)') });

/** `?metric=mae`: the metric the best trial is chosen by (default: the first test metric other than loss). */
export const sweepQuerySchema = z.strictObject({
  metric: z.string().regex(/^[a-z_0-9]{1,50}$/, 'must be a metric name such as mae, r2 or accuracy').optional(),
});
export type SweepQuery = z.output<typeof sweepQuerySchema>;

/** `GET /api/sweeps?limit=50&cursor=...`: a page of the sweep list, newest first. */
export const sweepListQuerySchema = z.strictObject(pageFields);

const runCountsSchema = z.object(Object.fromEntries(RUN_STATUSES.map((status) => [status, z.number().int()])) as Record<RunStatus, z.ZodNumber>);

/** A sweep as lists show it; newest first, at most 200 a page. */
export const sweepListItemViewSchema = z.object({ id: z.uuid(), name: z.string(), createdAt: iso, runs: runCountsSchema });
export type SweepListItemView = z.output<typeof sweepListItemViewSchema>;

export const sweepListResponseSchema = z.object({
  items: z.array(sweepListItemViewSchema),
  /** Pass as `cursor` for the next page; null: this was the last. */
  nextCursor: z.string().nullable(),
});
export type SweepListResponse = z.output<typeof sweepListResponseSchema>;

const paramsSchema = trialParamsSchema;

/** One trial: its parameter values (field path -> value) and its latest run. */
export const sweepTrialViewSchema = z.object({
  runId: z.uuid(),
  name: z.string(),
  status: statusSchema,
  params: paramsSchema,
  seed: z.number().int(),
  testMetrics: metricsSchema.nullable(),
});
export type SweepTrialView = z.output<typeof sweepTrialViewSchema>;

/** The trials of one configuration (its repeats); mean and sample std over the SUCCEEDED ones (std 0 for one run). */
export const sweepGroupViewSchema = z.object({
  params: paramsSchema,
  /** Run ids of every trial of this configuration, whatever their status. */
  runs: z.array(z.uuid()),
  /** How many of them SUCCEEDED (the n of the statistics). */
  succeeded: z.number().int(),
  metrics: z.record(z.string(), z.object({ mean: z.number(), std: z.number() })),
});
export type SweepGroupView = z.output<typeof sweepGroupViewSchema>;

/** The sweep as submitted (base definition + grid/random/repeats) and the seed of its repeat 0. */
export const storedSweepSpecSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  base: z.record(z.string(), z.json()),
  grid: z.record(z.string(), z.array(z.json())).optional(),
  random: z.looseObject({ params: z.record(z.string(), z.json()), trials: z.number().int(), seed: z.number().int() }).optional(),
  repeats: z.number().int(),
  baseSeed: z.number().int(),
});

export const sweepDetailResponseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  spec: storedSweepSpecSchema,
  createdAt: iso,
  /** The varied field paths, e.g. `optimizer.learningRate`. */
  params: z.array(z.string()),
  /** The metric `best` is chosen by: `?metric`, else the first test metric other than loss (null: no results yet). */
  metric: z.string().nullable(),
  trials: z.array(sweepTrialViewSchema),
  groups: z.array(sweepGroupViewSchema),
  /** The SUCCEEDED trial with the best value of `metric` (max for accuracy, macro_f1, r2; min otherwise). */
  best: z.object({ runId: z.uuid(), metric: z.string(), value: z.number() }).nullable(),
});
export type SweepDetailResponse = z.output<typeof sweepDetailResponseSchema>;

// datasets: /api/datasets (registered tables, versioned and content-addressed)

/** Largest upload a server takes unless TRAINYARD_MAX_UPLOAD_MB says otherwise: 256 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Media types an upload may have; the content decides the format (delimiter detected from the header). */
export const DATASET_UPLOAD_TYPES = ['text/csv', 'text/tab-separated-values', 'text/plain', 'application/zip', 'application/x-tar', 'application/gzip', 'application/octet-stream'] as const;

const datasetName = z.string().regex(DATASET_NAME_PATTERN, DATASET_NAME_RULE).refine((name) => !isBuiltInDatasetName(name), 'is the name of a built-in dataset');
export const datasetNameParamsSchema = z.strictObject({ name: datasetName });
export const datasetVersionParamsSchema = z.strictObject({
  name: datasetName,
  version: z.coerce.number().int().min(1, 'must be a version number (1, 2, ...)').max(999_999_999),
});

/** `?filename=housing.csv`: the uploaded file's own name, kept for people (the bytes decide everything else). */
export const datasetUploadQuerySchema = z.strictObject({ filename: safeText().min(1).max(200).optional() });

/** `?sha256=...`: only the datasets with a version of these bytes (how `submit` uploads a file once per content). */
export const datasetListQuerySchema = z.strictObject({
  sha256: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits').optional(),
  ...pageFields,
});

/** One immutable version of a dataset, as lists show it. */
export const datasetVersionViewSchema = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  /** sha256 of the bytes: the version's identity. */
  sha256: z.string(),
  /** Bytes. */
  size: z.number().int().nonnegative(),
  filename: z.string().nullable(),
  /** csv, tsv, or images: a folder of images (zip or tar of one folder per class). */
  format: z.enum(['csv', 'tsv', 'images']),
  /** A table's rows; a folder's images. */
  rows: z.number().int().nonnegative(),
  /** A table's columns; a folder's classes. */
  columns: z.number().int().positive(),
  createdAt: iso,
  /** Runs whose definition pinned this version; a version with runs cannot be deleted. */
  runs: z.number().int().nonnegative(),
});
export type DatasetVersionView = z.output<typeof datasetVersionViewSchema>;

/** A version with its profile: a table's columns (inferred types, statistics) and first rows, or a folder's classes and thumbnails. */
export const datasetVersionDetailSchema = datasetVersionViewSchema.extend({ profile: datasetProfileSchema });
export type DatasetVersionDetail = z.output<typeof datasetVersionDetailSchema>;

/** A dataset as the list shows it: its latest version, how many versions, how many runs used any. */
export const datasetViewSchema = z.object({
  name: z.string(),
  createdAt: iso,
  versions: z.number().int().positive(),
  runs: z.number().int().nonnegative(),
  latest: datasetVersionViewSchema,
});
export type DatasetView = z.output<typeof datasetViewSchema>;

export const datasetListResponseSchema = z.object({ items: z.array(datasetViewSchema), nextCursor: z.string().nullable() });
export type DatasetListResponse = z.output<typeof datasetListResponseSchema>;

/** A dataset with every version, newest first. */
export const datasetDetailResponseSchema = z.object({ name: z.string(), createdAt: iso, versions: z.array(datasetVersionViewSchema) });
export type DatasetDetailResponse = z.output<typeof datasetDetailResponseSchema>;

/** What an upload made: a new version, or (the same bytes again) the version that has them. */
export const datasetUploadResponseSchema = z.object({ created: z.boolean(), version: datasetVersionDetailSchema });
export type DatasetUploadResponse = z.output<typeof datasetUploadResponseSchema>;
