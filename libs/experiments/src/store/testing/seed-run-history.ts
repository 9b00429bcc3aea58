import type { Database } from '../open-database.js';

export interface RunHistoryShape {
  /** Runs to write; the first half belong to sweeps of 50 trials. Default 10,000. */
  runs?: number;
  /** Epoch rows of a typical run (every 20th run is QUEUED with none, every 20th + 1 has twice as many). Default 100. */
  epochsPerRun?: number;
}

export interface RunHistoryCounts {
  runs: number;
  succeeded: number;
  epochs: number;
  sweeps: number;
}

const DATASETS = `ARRAY['california_housing', 'california_housing', 'sum', 'multiply', 'iris', 'digits']`;
const LEARNING_RATES = 'ARRAY[0.001, 0.003, 0.01, 0.03, 0.1]';

/*
 * In SQL so that a million rows take seconds, not a million ORM calls. Ids are md5-derived
 * UUIDs (version 4 bits set) so that the statements can refer to each other's rows; setseed makes the random
 * statuses and metrics the same every time. Run i is queued 3 minutes after run i - 1, so
 * the newest-first order is run N, N - 1, ..., 1; names end in the run's number.
 */
function seedSql(n: number, e: number): string {
  return `
SELECT setseed(0.42);

-- An md5-derived id with the version (4) and variant bits of a random UUID, so that the API's id checks accept it.
CREATE FUNCTION pg_temp.seed_uuid(key text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (substr(md5(key), 1, 12) || '4' || substr(md5(key), 14, 3) || '8' || substr(md5(key), 18, 15))::uuid
$$;

CREATE TEMP TABLE seed_plan ON COMMIT DROP AS
SELECT i,
  pg_temp.seed_uuid('run' || i) AS run_id,
  pg_temp.seed_uuid('exp' || i) AS experiment_id,
  CASE WHEN i <= ${n} / 2 THEN pg_temp.seed_uuid('sweep' || ((i - 1) / 50 + 1)) END AS sweep_id,
  CASE WHEN i <= ${n} / 2 THEN (${DATASETS})[((i - 1) / 50) % 6 + 1] ELSE (${DATASETS})[i % 6 + 1] END AS dataset,
  CASE WHEN i % 20 = 0 THEN 'QUEUED' WHEN i % 20 = 1 THEN 'SUCCEEDED'
       WHEN u < 0.78 THEN 'SUCCEEDED' WHEN u < 0.88 THEN 'FAILED' WHEN u < 0.95 THEN 'CANCELLED' ELSE 'RUNNING' END AS status,
  CASE WHEN i % 20 = 0 THEN 0 WHEN i % 20 = 1 THEN ${2 * e} ELSE ${e} END AS n,
  0.05 + 0.9 * random() AS quality,
  now() - ((${n} - i) * interval '3 minutes') AS queued_at
FROM (SELECT i, random() AS u FROM generate_series(1, ${n}) i) x;

INSERT INTO "Sweep" ("id", "name", "spec", "specHash", "createdAt")
SELECT pg_temp.seed_uuid('sweep' || k), 'seed-sweep-' || k,
  jsonb_build_object('name', 'seed-sweep-' || k, 'grid', jsonb_build_object('optimizer.learningRate', jsonb_build_array(0.001, 0.003, 0.01, 0.03, 0.1)),
    'repeats', 10, 'baseSeed', k, 'base', jsonb_build_object('name', 'seed', 'epochs', ${e})),
  md5('sweepspec' || k), now() - ((${n} - (k - 1) * 50) * interval '3 minutes')
FROM generate_series(1, ${n} / 100) k;

INSERT INTO "Experiment" ("id", "name", "definition", "specHash", "dataset", "sweepId", "trialKey", "params", "createdAt")
SELECT experiment_id,
  CASE WHEN sweep_id IS NULL THEN dataset || '-' || i ELSE 'seed-sweep-' || ((i - 1) / 50 + 1) || ' lr=' || (${LEARNING_RATES})[i % 5 + 1] || ' seed ' || i END,
  jsonb_build_object('name', dataset || '-' || i, 'seed', i, 'dataset', jsonb_build_object('name', dataset),
    'preprocessing', jsonb_build_object('features', 'minmax', 'target', 'none'), 'split', jsonb_build_object('test', 0.2, 'validation', 0.1, 'stratify', false),
    'model', jsonb_build_object('layers', jsonb_build_array(jsonb_build_object('type', 'dense', 'units', 16, 'activation', 'relu'),
      jsonb_build_object('type', 'dense', 'units', 12, 'activation', 'relu'), jsonb_build_object('type', 'dense', 'units', 1))),
    'optimizer', jsonb_build_object('name', 'sgd', 'learningRate', (${LEARNING_RATES})[i % 5 + 1]),
    'loss', 'mse', 'metrics', jsonb_build_array('mae'), 'epochs', n, 'batchSize', 32),
  md5('spec' || i), dataset, sweep_id,
  CASE WHEN sweep_id IS NOT NULL THEN '{"params":{"optimizer.learningRate":' || (${LEARNING_RATES})[i % 5 + 1] || '},"repeat":' || ((i - 1) % 50) / 5 || '}' END,
  CASE WHEN sweep_id IS NOT NULL THEN jsonb_build_object('optimizer.learningRate', (${LEARNING_RATES})[i % 5 + 1]) END,
  queued_at
FROM seed_plan;

INSERT INTO "Run" ("id", "experimentId", "status", "seed", "epochs", "currentEpoch", "attempt", "queuedAt", "startedAt", "finishedAt", "heartbeatAt",
  "workerId", "host", "backend", "env", "datasetHash", "error", "errorKind", "errorCode", "testMetrics", "summary", "evaluation", "stoppedEarly", "bestEpoch", "durationMs")
SELECT run_id, experiment_id, status::"RunStatus", i, CASE WHEN status IN ('SUCCEEDED', 'QUEUED') THEN GREATEST(n, ${e}) ELSE ${Math.ceil(1.5 * e)} END, n,
  CASE WHEN status = 'QUEUED' THEN 0 ELSE 1 END,
  queued_at,
  CASE WHEN status <> 'QUEUED' THEN queued_at + interval '2 seconds' END,
  CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN queued_at + interval '2 minutes' END,
  CASE WHEN status <> 'QUEUED' THEN queued_at + interval '2 minutes' END,
  CASE WHEN status <> 'QUEUED' THEN 'worker-' || i % 4 END,
  CASE WHEN status <> 'QUEUED' THEN 'host-' || i % 4 END,
  CASE WHEN status <> 'QUEUED' THEN 'tensorflow' END,
  CASE WHEN status <> 'QUEUED' THEN jsonb_build_object('backend', jsonb_build_object('name', 'tensorflow', 'versions', jsonb_build_object('tfjs', '4.22.0', 'node', '20.20.2'), 'unavailable', jsonb_build_array()),
    'dataset', jsonb_build_object('name', dataset, 'task', CASE WHEN dataset IN ('iris', 'digits') THEN 'classification' ELSE 'regression' END, 'hash', md5(dataset) || md5(dataset),
      'rows', 20640, 'featureNames', jsonb_build_array('MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude'), 'targetNames', jsonb_build_array('MedHouseVal')),
    'split', jsonb_build_object('train', 14860, 'validation', 1652, 'test', 4128)) END,
  CASE WHEN status <> 'QUEUED' THEN md5(dataset) || md5(dataset) END,
  CASE WHEN status = 'FAILED' THEN 'loss became NaN at epoch ' || n END,
  CASE WHEN status = 'FAILED' THEN 'training' END,
  CASE WHEN status = 'FAILED' THEN 'NAN_LOSS' END,
  CASE WHEN status <> 'SUCCEEDED' THEN NULL
       WHEN dataset IN ('iris', 'digits') THEN jsonb_build_object('loss', 1 - quality, 'accuracy', quality, 'macro_f1', quality * 0.98)
       ELSE jsonb_build_object('loss', quality * quality * 1.3, 'mae', quality, 'mse', quality * quality * 1.3, 'rmse', sqrt(quality * quality * 1.3), 'r2', 1 - quality * quality) END,
  CASE WHEN status = 'SUCCEEDED' THEN jsonb_build_object('layers', jsonb_build_array(
      jsonb_build_object('name', 'dense_1', 'className', 'Dense', 'outputShape', jsonb_build_array(NULL, 16), 'params', 144),
      jsonb_build_object('name', 'dense_2', 'className', 'Dense', 'outputShape', jsonb_build_array(NULL, 12), 'params', 204),
      jsonb_build_object('name', 'dense_3', 'className', 'Dense', 'outputShape', jsonb_build_array(NULL, 1), 'params', 13)),
    'totalParams', 361, 'trainableParams', 361, 'nonTrainableParams', 0) END,
  CASE WHEN status = 'SUCCEEDED' THEN jsonb_build_object('kind', 'regression', 'mae', quality, 'mse', quality * quality * 1.3, 'rmse', sqrt(quality * quality * 1.3), 'r2', 1 - quality * quality) END,
  CASE WHEN status = 'SUCCEEDED' THEN false END,
  CASE WHEN status = 'SUCCEEDED' THEN n END,
  CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN 120000 * random() END
FROM seed_plan;

INSERT INTO "EpochMetric" ("runId", "epoch", "metrics", "durationMs", "createdAt")
SELECT p.run_id, e,
  CASE WHEN p.dataset IN ('iris', 'digits')
    THEN jsonb_build_object('loss', 2.0 / e, 'accuracy', 1 - 0.5 / e, 'val_loss', 2.1 / e, 'val_accuracy', 1 - 0.55 / e)
    ELSE jsonb_build_object('loss', p.quality + 1.0 / e, 'mae', p.quality + 0.5 / e, 'val_loss', p.quality + 1.1 / e, 'val_mae', p.quality + 0.55 / e) END,
  10 + 5 * random(), p.queued_at + e * interval '1 second'
FROM seed_plan p CROSS JOIN LATERAL generate_series(1, p.n) e;

ANALYZE "Sweep", "Experiment", "Run", "EpochMetric";
`;
}

/**
 * A team's history, written straight into an empty, migrated database (PostgreSQL or PGlite)
 * for benchmarks and scale tests: sweeps of 50 trials and lone runs across the six built-in
 * datasets; statuses mixed (about 3/4 SUCCEEDED with regression or classification test
 * metrics, some FAILED, CANCELLED, RUNNING; every 20th QUEUED) and per-epoch curves. The
 * same shape gives the same rows every time. With the defaults: 10,000 runs, 100 sweeps,
 * 1,000,000 epoch rows.
 */
export async function seedRunHistory(db: Database, shape: RunHistoryShape = {}): Promise<RunHistoryCounts> {
  const runs = shape.runs ?? 10_000;
  const epochsPerRun = shape.epochsPerRun ?? 100;
  if (!Number.isInteger(runs) || runs < 100 || runs % 100 !== 0) throw new Error(`runs must be a positive multiple of 100, got ${runs}`);
  if (!Number.isInteger(epochsPerRun) || epochsPerRun < 1) throw new Error(`epochsPerRun must be a positive integer, got ${epochsPerRun}`);
  await db.sql.transaction((session) => session.exec(seedSql(runs, epochsPerRun)));
  const counts = await db.sql.transaction((session) =>
    session.query<RunHistoryCounts>(
      `SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "Run" WHERE "status" = 'SUCCEEDED')::int AS succeeded,
              (SELECT count(*) FROM "EpochMetric")::int AS epochs, (SELECT count(*) FROM "Sweep")::int AS sweeps`,
    ),
  );
  const row = counts[0];
  if (!row) throw new Error('the seeded database returned no counts');
  return row;
}
