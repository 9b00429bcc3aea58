/**
 * Dashboard queries on a full database: 10,000 runs (100 sweeps of 50 trials, 5,000 lone
 * runs; statuses mixed; regression and classification test metrics) and 1,000,000 epoch
 * rows in a PostgreSQL schema of its own, dropped at the end. Times, as the API runs them:
 *
 * - the runs page: RunRepository.list({status: ['SUCCEEDED'], sort by test MAE ascending,
 *   limit: 200}: the web UI's page), the first page and page 20 (through the cursor of page 19);
 * - one run's curves: EpochMetricRepository.list(runId) for a run with 100 epochs;
 * - the sweep page's query (SweepRepository.summary) and the sweep list;
 * - the same runs pages and curves through HTTP from the real API server (startServer over
 *   the schema; Redis only for its queue client), as the browser asks for them.
 *
 * Goal (issue 4): p95 under 100 ms (runs page) and 50 ms (curves) on PostgreSQL.
 * Prints figures and the plans (EXPLAIN ANALYZE) of the runs page query; asserts nothing.
 *
 *   npm run dashboard -w @trainyard/bench [-- --reps 300 --database-url postgresql://...]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EpochMetricRepository, openDatabase, RunRepository, SweepRepository, type Database, type RunListResponse, type RunPageQuery } from '@trainyard/experiments';
import { runPageSql, seedRunHistory, TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { startServer } from '@trainyard/dashboard';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '300' },
    'database-url': { type: 'string', default: TEST_DATABASE_URL },
    'redis-url': { type: 'string', default: TEST_REDIS_URL },
  },
});
const REPS = Number(values.reps);

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
  const c = await seedRunHistory(db, { runs: 10_000, epochsPerRun: 100 });
  const size = await db.sql.transaction((session) =>
    session.query<{ run: string; epoch: string }>(`SELECT pg_size_pretty(pg_total_relation_size('"Run"')) AS run, pg_size_pretty(pg_total_relation_size('"EpochMetric"')) AS epoch`),
  );
  console.log(
    `seeded ${c.runs} runs (${c.succeeded} SUCCEEDED), ${c.epochs} epoch rows, ${c.sweeps} sweeps in ${((performance.now() - start) / 1000).toFixed(1)} s (with ANALYZE); ` +
      `"Run" ${size[0]?.run}, "EpochMetric" ${size[0]?.epoch}`,
  );
}

async function explain(db: Database, label: string, sql: string, params: unknown[] = []): Promise<void> {
  const plan = await db.sql.transaction((session) => session.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params));
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
  const pageQuery: RunPageQuery = { status: ['SUCCEEDED'], sort: { field: 'metric', metric: 'mae', descending: false }, limit: 200 };

  // The cursor that page 20 starts from, as a user scrolling the table would have it.
  let cursor: string | undefined;
  for (let page = 1; page < 20; page++) cursor = (await runs.list({ ...pageQuery, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
  const later = { ...pageQuery, ...(cursor ? { cursor } : {}) };
  const curveRuns = await db.sql.transaction((s) =>
    s.query<{ id: string }>(`SELECT "id"::text AS id FROM "Run" WHERE "status" = 'SUCCEEDED' AND "currentEpoch" = 100 ORDER BY "id" LIMIT 200`),
  );
  const sweepIds = (await sweeps.list({ limit: 200 })).items.map((s) => s.id);

  console.log(['\nquery'.padEnd(45), 'reps'.padStart(5), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'max ms'.padStart(8), 'goal (p95)'.padStart(14)].join(' '));
  await time('runs page 1 (SUCCEEDED, mae asc, 200)', 100, () => runs.list(pageQuery));
  await time('runs page 20 (through the cursor)', 100, () => runs.list(later));
  await time('one run\'s curves (100 epochs)', 50, (rep) => epochs.list(curveRuns[rep % curveRuns.length]?.id ?? ''));
  await time('sweep summary (50 trials)', null, (rep) => sweeps.summary(sweepIds[rep % sweepIds.length] ?? ''));
  await time('sweep list (100 sweeps, counts)', null, () => sweeps.list({ limit: 200 }));

  // The same through HTTP, as the web UI asks: the real server (Fastify, zod, views, JSON) on this schema.
  const server = await startServer({ prisma: db.prisma, databaseKind: db.kind, redisUrl: values['redis-url'], prefix: `bench-dashboard-${randomBytes(4).toString('hex')}`, host: '127.0.0.1', port: 0 });
  try {
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${server.url}${path}`);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const firstPage = '/api/runs?status=SUCCEEDED&sort=metric:mae&limit=200';
    let httpCursor: string | null = null;
    for (let page = 1; page < 20; page++) httpCursor = (await get<RunListResponse>(`${firstPage}${httpCursor ? `&cursor=${encodeURIComponent(httpCursor)}` : ''}`)).nextCursor;
    const laterPage = `${firstPage}${httpCursor ? `&cursor=${encodeURIComponent(httpCursor)}` : ''}`;
    await time('GET /api/runs page 1 (as the UI asks, 200)', 100, () => get(firstPage));
    await time('GET /api/runs page 20', 100, () => get(laterPage));
    await time('GET /api/runs/:id/epochs (100 epochs)', 50, (rep) => get(`/api/runs/${curveRuns[rep % curveRuns.length]?.id ?? ''}/epochs`));
  } finally {
    await server.close();
  }

  // The key query exactly as the repository builds it for page 1.
  const { sql: firstPage } = runPageSql(pageQuery);
  await explain(db, 'EXPLAIN ANALYZE, runs page 1 key query', firstPage.text, firstPage.values);
  await explain(db, 'EXPLAIN ANALYZE, one run\'s curves', `SELECT "epoch", "metrics", "durationMs", "createdAt" FROM "EpochMetric" WHERE "runId" = '${curveRuns[0]?.id ?? ''}' ORDER BY "epoch" ASC`);
} finally {
  await db.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await db.close();
}
