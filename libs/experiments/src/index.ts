// The contract (definition, sweeps, job payload, HTTP shapes), re-exported for the apps.
export * from '@trainyard/contract';
// What trains (also the subpath ./pipeline) and the shared configuration (also ./config).
export * from './pipeline.js';
export * from './config.js';
// runs: sweeps, submission, the ledger interface
export { type RunLedger, type ClaimedRun, type ClaimOptions, type AttemptInfo } from './runs/run-ledger.js';
// api: the HTTP contract shared by the server and its clients
// queue
export { queueNames, RUN_QUEUE, TRAIN_JOB, DEFAULT_PREFIX, type QueueNames } from './queue/queue-names.js';
export { QueueError, type QueueErrorCode } from './queue/queue-error.js';
export { createRedis, assertRedisReachable, redactRedisUrl, type RedisRole } from './queue/redis-connection.js';
export {
  RunProducer,
  RUN_JOB_OPTIONS,
  type RunProducerOptions,
  type QueueCounts,
  type QueueWorkerInfo,
} from './queue/run-producer.js';
// liveRunEventSchema and LiveRunEvent come with the api contract above.
export { RunEventBus, type LiveRunEventInput, type RunEventBusOptions } from './queue/run-event-bus.js';
// runs: submission use cases
export { submitRuns, enqueue, type RunQueue, type SubmissionDeps } from './runs/submit-runs.js';
export { cancelRun, rerunRun, type CancelDeps } from './runs/run-actions.js';
export { predictRun, type PredictDeps } from './runs/predict-run.js';
export { ModelCache } from './runs/model-cache.js';
export { sweepReport } from './runs/sweep-report.js';
export { predictRows } from './pipeline/evaluate-run.js';
// store
export { openDatabase, type Database, type DatabaseConfig } from './store/open-database.js';
export { applyMigrations, readMigrations, MIGRATIONS_DIR, type Migration, type MigrationReport } from './store/apply-migrations.js';
export type { SqlExecutor, SqlSession } from './store/sql-executor.js';
export { StoreError, isUnavailableError, type StoreErrorCode } from './store/store-error.js';
export type { PrismaClient, DbClient } from './store/prisma-client.js';
export { SweepRepository } from './store/sweep.repository.js';
export { ExperimentRepository, type NewExperiment } from './store/experiment.repository.js';
export { RunRepository, type NewRun } from './store/run.repository.js';
export type { RunningRun, RunningByWorker } from './store/running-runs-query.js';
export { EpochMetricRepository } from './store/epoch-metric.repository.js';
export { ArtifactRepository } from './store/artifact.repository.js';
export { compareEpochs } from './store/compare-epochs.js';
export type * from './store/store-types.js';
export { PrismaRunLedger } from './store/prisma-run-ledger.js';
// sweeps
export { type SweepListItem, type SweepWithTrials } from './store/sweep-query.js';
export {
  summarizeSweep,
  defaultSweepMetric,
  isMaximized,
  type SweepSummary,
  type SweepGroup,
  type SweepTrialInput,
  type MetricStats,
} from './runs/sweep-summary.js';

// datasets: registered tables, their versions and their bytes
export { addDatasetVersion, type DatasetUpload } from './datasets/add-dataset-version.js';
export { listDatasets, getDataset, getDatasetVersion, readDatasetFile, type DatasetListQuery } from './datasets/read-datasets.js';
export { deleteDatasetVersion } from './datasets/delete-dataset-version.js';
export { DatasetResolver } from './datasets/dataset-resolver.js';
export { PrismaBlobStore, BLOB_CHUNK_BYTES, type BlobStore, type StoredBlob } from './store/blob-store.js';
export { DatasetRepository } from './store/dataset.repository.js';
