/**
 * Dashboard queries on a full database: 10,000 runs (100 sweeps of 50 trials, 5,000 lone
 * runs; statuses mixed; regression and classification test metrics) and 1,000,000 epoch
 * rows in a PostgreSQL schema of its own, dropped at the end. Times, as the API runs them:
 *
 * - the runs page: RunRepository.list({status: ['SUCCEEDED'], sort by test MAE ascending,
 *   limit: 50}), the first page and page 20 (through the cursor of page 19);
 * - one run's curves: EpochMetricRepository.list(runId) for a run with 100 epochs;
 * - the sweep page's query (SweepRepository.summary) and the sweep list.
 *
 * Goal (issue 4): p95 under 100 ms (runs page) and 50 ms (curves) on PostgreSQL.
 * Prints figures and the plans (EXPLAIN ANALYZE) of the runs page query; asserts nothing.
 *
 *   npm run dashboard -w @trainyard/bench [-- --reps 300 --database-url postgresql://...]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EpochMetricRepository, openDatabase, RunRepository, SweepRepository, type Database, type RunPageQuery } from '@trainyard/experiments';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '300' },
    'database-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/test' },
  },
});
const REPS = Number(values.reps);

/*
 * The seed, in SQL so that 1M rows take seconds, not 1M ORM calls. Ids are md5-derived
 * UUIDs so that the statements can refer to each other's rows; setseed makes the random
 * statuses and metrics the same on every run of the bench.
 *
 * Epoch rows: every 20th run is QUEUED (no epochs), every 20th + 1 SUCCEEDED with 200
 * epochs, every other run has 100 epoch rows: 9,000 x 100 + 500 x 200 = 1,000,000.
 */
const DATASETS = `ARRAY['california_housing', 'california_housing', 'sum', 'multiply', 'iris', 'digits']`;
const SEED_SQL = `
SELECT setseed(0.42);

CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
SELECT i,
  md5('run' || i)::uuid AS run_id,
  md5('exp' || i)::uuid AS experiment_id,
  CASE WHEN i <= 5000 THEN md5('sweep' || ((i - 1) / 50 + 1))::uuid END AS sweep_id,
  CASE WHEN i <= 5000 THEN (${DATASETS})[((i - 1) / 50) % 6 + 1] ELSE (${DATASETS})[i % 6 + 1] END AS dataset,
  CASE WHEN i % 20 = 0 THEN 'QUEUED' WHEN i % 20 = 1 THEN 'SUCCEEDED'
       WHEN u < 0.78 THEN 'SUCCEEDED' WHEN u < 0.88 THEN 'FAILED' WHEN u < 0.95 THEN 'CANCELLED' ELSE 'RUNNING' END AS status,
  CASE WHEN i % 20 = 0 THEN 0 WHEN i % 20 = 1 THEN 200 ELSE 100 END AS n,
  0.05 + 0.9 * random() AS quality,
  now() - ((10000 - i) * interval '3 minutes') AS queued_at
FROM (SELECT i, random() AS u FROM generate_series(1, 10000) i) x;

INSERT INTO "Sweep" ("id", "name", "spec", "specHash", "createdAt")
SELECT md5('sweep' || k)::uuid, 'bench-sweep-' || k,
  jsonb_build_object('name', 'bench-sweep-' || k, 'grid', jsonb_build_object('optimizer.learningRate', jsonb_build_array(0.001, 0.003, 0.01, 0.03, 0.1)),
    'repeats', 10, 'baseSeed', k, 'base', jsonb_build_object('name', 'bench', 'epochs', 100)),
  md5('sweepspec' || k), now() - ((10000 - (k - 1) * 50) * interval '3 minutes')
FROM generate_series(1, 100) k;

INSERT INTO "Experiment" ("id", "name", "definition", "specHash", "dataset", "sweepId", "trialKey", "params", "createdAt")
SELECT experiment_id,
  CASE WHEN sweep_id IS NULL THEN dataset || '-' || i ELSE 'bench-sweep-' || ((i - 1) / 50 + 1) || ' lr=' || (ARRAY[0.001, 0.003, 0.01, 0.03, 0.1])[i % 5 + 1] || ' seed ' || i END,
  jsonb_build_object('name', dataset || '-' || i, 'seed', i, 'dataset', jsonb_build_object('name', dataset),
    'preprocessing', jsonb_build_object('features', 'minmax', 'target', 'none'), 'split', jsonb_build_object('test', 0.2, 'validation', 0.1, 'stratify', false),
    'model', jsonb_build_object('layers', jsonb_build_array(jsonb_build_object('type', 'dense', 'units', 16, 'activation', 'relu'),
      jsonb_build_object('type', 'dense', 'units', 12, 'activation', 'relu'), jsonb_build_object('type', 'dense', 'units', 1))),
    'optimizer', jsonb_build_object('name', 'sgd', 'learningRate', (ARRAY[0.001, 0.003, 0.01, 0.03, 0.1])[i % 5 + 1]),
    'loss', 'mse', 'metrics', jsonb_build_array('mae'), 'epochs', n, 'batchSize', 32),
  md5('spec' || i), dataset, sweep_id,
  CASE WHEN sweep_id IS NOT NULL THEN '{"params":{"optimizer.learningRate":' || (ARRAY[0.001, 0.003, 0.01, 0.03, 0.1])[i % 5 + 1] || '},"repeat":' || ((i - 1) % 50) / 5 || '}' END,
  CASE WHEN sweep_id IS NOT NULL THEN jsonb_build_object('optimizer.learningRate', (ARRAY[0.001, 0.003, 0.01, 0.03, 0.1])[i % 5 + 1]) END,
  queued_at
FROM bench_plan;

INSERT INTO "Run" ("id", "experimentId", "status", "seed", "epochs", "currentEpoch", "attempt", "queuedAt", "startedAt", "finishedAt", "heartbeatAt",
  "workerId", "host", "backend", "env", "datasetHash", "error", "errorKind", "errorCode", "testMetrics", "summary", "evaluation", "stoppedEarly", "bestEpoch", "durationMs")
SELECT run_id, experiment_id, status::"RunStatus", i, CASE WHEN status IN ('SUCCEEDED', 'QUEUED') THEN GREATEST(n, 100) ELSE 150 END, n,
  CASE WHEN status = 'QUEUED' THEN 0 ELSE 1 END,
  queued_at,
  CASE WHEN status <> 'QUEUED' THEN queued_at + interval '2 seconds' END,
  CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN queued_at + interval '2 minutes' END,
  CASE WHEN status <> 'QUEUED' THEN queued_at + interval '2 minutes' END,
  CASE WHEN status <> 'QUEUED' THEN 'worker-' || i % 4 END,
  CASE WHEN status <> 'QUEUED' THEN 'host-' || i % 4 END,
  CASE WHEN status <> 'QUEUED' THEN 'tensorflow' END,
  CASE WHEN status <> 'QUEUED' THEN jsonb_build_object('backend', jsonb_build_object('name', 'tensorflow', 'versions', jsonb_build_object('tfjs', '4.22.0', 'node', '20.20.2')),
    'dataset', jsonb_build_object('name', dataset, 'rows', 20640, 'featureNames', jsonb_build_array('MedInc', 'HouseAge', 'AveRooms', 'AveBedrms', 'Population', 'AveOccup', 'Latitude', 'Longitude')),
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
FROM bench_plan;

INSERT INTO "EpochMetric" ("runId", "epoch", "metrics", "durationMs", "createdAt")
SELECT p.run_id, e,
  CASE WHEN p.dataset IN ('iris', 'digits')
    THEN jsonb_build_object('loss', 2.0 / e, 'accuracy', 1 - 0.5 / e, 'val_loss', 2.1 / e, 'val_accuracy', 1 - 0.55 / e)
    ELSE jsonb_build_object('loss', p.quality + 1.0 / e, 'mae', p.quality + 0.5 / e, 'val_loss', p.quality + 1.1 / e, 'val_mae', p.quality + 0.55 / e) END,
  10 + 5 * random(), p.queued_at + e * interval '1 second'
FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) e;
`;

/** The runs page's key query as run-list-query.ts builds it for the first page (for EXPLAIN only). */
const FIRST_PAGE_SQL = `SELECT r."id"::text AS "id", ((CASE WHEN jsonb_typeof(r."testMetrics" -> 'mae'::text) = 'number' THEN (r."testMetrics" ->> 'mae'::text)::double precision END))::text AS "key"
  FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId"
  WHERE r."status"::text IN ('SUCCEEDED')
  ORDER BY (CASE WHEN jsonb_typeof(r."testMetrics" -> 'mae'::text) = 'number' THEN (r."testMetrics" ->> 'mae'::text)::double precision END) ASC NULLS LAST, r."id" ASC
  LIMIT 51`;

/*
 * The same query with the status compared as the enum rather than as text and without the
 * join that no filter needs here: what run-list-query.ts could build (a proposal, printed
 * for comparison; the cast hides the column's statistics from the planner, which then
 * expects 50 rows instead of 7,470 and joins every row to "Experiment" by a nested loop).
 */
const FIRST_PAGE_PROPOSED_SQL = FIRST_PAGE_SQL.replace(`r."status"::text IN ('SUCCEEDED')`, `r."status" IN ('SUCCEEDED'::"RunStatus")`).replace(
  `JOIN "Experiment" e ON e."id" = r."experimentId"`,
  '',
);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function time(label: string, goalMs: number | null, work: (rep: number) => Promise<unknown>): Promise<void> {
  for (let rep = 0; rep < 20; rep++) await work(rep); // warm-up: pool connections, Prisma's query compiler, PostgreSQL's caches
  const ms: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const start = performance.now();
    await work(rep);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const p95 = quantile(ms, 0.95);
  const verdict = goalMs === null ? '' : p95 < goalMs ? `under ${goalMs} ms` : `OVER ${goalMs} ms`;
  console.log(
    [label.padEnd(44), String(REPS).padStart(5), quantile(ms, 0.5).toFixed(1).padStart(8), p95.toFixed(1).padStart(8), (ms[ms.length - 1] ?? NaN).toFixed(1).padStart(8), verdict.padStart(14)].join(' '),
  );
}

async function seed(db: Database): Promise<void> {
  const start = performance.now();
  await db.sql.transaction((session) => session.exec(SEED_SQL));
  const seeded = performance.now();
  await db.sql.transaction((session) => session.exec('ANALYZE'));
  const counts = await db.sql.transaction((session) =>
    session.query<{ runs: number; epochs: number; sweeps: number; succeeded: number }>(
      `SELECT (SELECT count(*) FROM "Run")::int AS runs, (SELECT count(*) FROM "EpochMetric")::int AS epochs,
              (SELECT count(*) FROM "Sweep")::int AS sweeps, (SELECT count(*) FROM "Run" WHERE "status" = 'SUCCEEDED')::int AS succeeded`,
    ),
  );
  const size = await db.sql.transaction((session) =>
    session.query<{ run: string; epoch: string }>(`SELECT pg_size_pretty(pg_total_relation_size('"Run"')) AS run, pg_size_pretty(pg_total_relation_size('"EpochMetric"')) AS epoch`),
  );
  const c = counts[0];
  console.log(
    `seeded ${c?.runs} runs (${c?.succeeded} SUCCEEDED), ${c?.epochs} epoch rows, ${c?.sweeps} sweeps in ${((seeded - start) / 1000).toFixed(1)} s, ANALYZE ${((performance.now() - seeded) / 1000).toFixed(1)} s; ` +
      `"Run" ${size[0]?.run}, "EpochMetric" ${size[0]?.epoch}`,
  );
}

async function explain(db: Database, label: string, sql: string): Promise<void> {
  const plan = await db.sql.transaction((session) => session.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`));
  console.log(`\n${label}:\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
}

const schema = `bench_dashboard_${randomBytes(4).toString('hex')}`;
const db = await openDatabase({ databaseUrl: values['database-url'], schema });
try {
  const version = await db.sql.transaction((s) => s.query<{ v: string }>(`SELECT current_setting('server_version') AS v`));
  console.log(`bench/dashboard on PostgreSQL ${version[0]?.v}, schema ${schema}, node ${process.version}, ${REPS} timed repetitions each after 20 warm-ups`);
  await seed(db);

  const runs = new RunRepository(db.prisma);
  const epochs = new EpochMetricRepository(db.prisma);
  const sweeps = new SweepRepository(db.prisma);
  const pageQuery: RunPageQuery = { status: ['SUCCEEDED'], sort: { field: 'metric', metric: 'mae', descending: false }, limit: 50 };

  // The cursor that page 20 starts from, as a user scrolling the table would have it.
  let cursor: string | undefined;
  for (let page = 1; page < 20; page++) cursor = (await runs.list({ ...pageQuery, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
  const later = { ...pageQuery, ...(cursor ? { cursor } : {}) };
  const curveRuns = await db.sql.transaction((s) =>
    s.query<{ id: string }>(`SELECT "id"::text AS id FROM "Run" WHERE "status" = 'SUCCEEDED' AND "currentEpoch" = 100 ORDER BY "id" LIMIT 200`),
  );
  const sweepIds = (await sweeps.list()).map((s) => s.id);

  console.log(['\nquery'.padEnd(45), 'reps'.padStart(5), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'max ms'.padStart(8), 'goal (p95)'.padStart(14)].join(' '));
  await time('runs page 1 (SUCCEEDED, mae asc, 50)', 100, () => runs.list(pageQuery));
  await time('runs page 20 (through the cursor)', 100, () => runs.list(later));
  await time('one run\'s curves (100 epochs)', 50, (rep) => epochs.list(curveRuns[rep % curveRuns.length]?.id ?? ''));
  await time('sweep summary (50 trials)', null, (rep) => sweeps.summary(sweepIds[rep % sweepIds.length] ?? ''));
  await time('sweep list (100 sweeps, counts)', null, () => sweeps.list());

  await explain(db, 'EXPLAIN ANALYZE, runs page 1 key query', FIRST_PAGE_SQL);
  await explain(db, 'EXPLAIN ANALYZE, the same with the status as the enum and no join (proposal)', FIRST_PAGE_PROPOSED_SQL);
  await explain(db, 'EXPLAIN ANALYZE, one run\'s curves', `SELECT "epoch", "metrics", "durationMs", "createdAt" FROM "EpochMetric" WHERE "runId" = '${curveRuns[0]?.id ?? ''}' ORDER BY "epoch" ASC`);
} finally {
  await db.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await db.close();
}
