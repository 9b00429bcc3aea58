/**
 * Ingestion: epoch rows per second through PrismaRunLedger.recordEpoch, the path a worker
 * takes for every epoch, into PostgreSQL and into PGlite (in memory and on disk).
 *
 *   npm run ingestion --workspace @trainyard/bench [-- --epochs 2000 --database-url postgresql://...]
 *
 * sequential: one run, one epoch after the other, each awaited (one worker, one run).
 * 4 runs at once: four runs writing concurrently (a worker with --concurrency 4, or four
 * workers); PGlite is one connection, so its writes queue behind each other.
 * Prints figures, asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ExperimentRepository, openDatabase, PrismaRunLedger, RunRepository, type Database, type DatabaseConfig } from '@trainyard/experiments';
import { TEST_DATABASE_URL } from '@trainyard/experiments/testing';
import { quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '1000' },
    'database-url': { type: 'string', default: TEST_DATABASE_URL },
  },
});
const EPOCHS = Number(values.epochs);
// A Keras-like epoch: loss and one metric, with their validation twins.
const metrics = (epoch: number) => ({ loss: 1 / epoch, mae: 0.5 / epoch, val_loss: 1.1 / epoch, val_mae: 0.55 / epoch });

async function claimedRun(db: Database): Promise<{ runId: string; attempt: number }> {
  const experiment = await new ExperimentRepository(db.prisma).create({ name: 'bench', definition: {}, specHash: 'bench', dataset: 'bench' });
  const { id } = await new RunRepository(db.prisma).createQueued({ experimentId: experiment.id, seed: 1, epochs: EPOCHS });
  const claim = await new PrismaRunLedger(db.prisma).claim(id, { workerId: 'bench', host: 'bench' });
  if (!claim) throw new Error('could not claim the bench run');
  return { runId: id, attempt: claim.attempt };
}

/** Writes `epochs` rows for one run and returns each write's latency in ms. */
async function writeEpochs(db: Database, epochs: number): Promise<number[]> {
  const ledger = new PrismaRunLedger(db.prisma);
  const { runId, attempt } = await claimedRun(db);
  const latencies: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    if (!(await ledger.recordEpoch(runId, attempt, epoch, metrics(epoch), 12.5))) throw new Error('epoch write was fenced off');
    latencies.push(performance.now() - start);
  }
  return latencies;
}


async function measure(label: string, db: Database, runs: number): Promise<void> {
  await writeEpochs(db, 50); // warm-up: connections, prepared plans, the query compiler
  const perRun = Math.ceil(EPOCHS / runs);
  const start = performance.now();
  const latencies = (await Promise.all(Array.from({ length: runs }, () => writeEpochs(db, perRun)))).flat().sort((a, b) => a - b);
  const seconds = (performance.now() - start) / 1000;
  const rows = latencies.length;
  console.log(
    [label.padEnd(34), String(rows).padStart(6), seconds.toFixed(2).padStart(8), Math.round(rows / seconds).toString().padStart(9), quantile(latencies, 0.5).toFixed(2).padStart(8), quantile(latencies, 0.99).toFixed(2).padStart(8)].join(' '),
  );
}

async function bench(name: string, config: DatabaseConfig, cleanup: (db: Database) => Promise<void> = async () => undefined): Promise<void> {
  let db: Database;
  try {
    db = await openDatabase(config);
  } catch (error) {
    console.log(`${name.padEnd(34)} skipped: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  try {
    await measure(`${name}, sequential`, db, 1);
    await measure(`${name}, 4 runs at once`, db, 4);
  } finally {
    await cleanup(db);
    await db.close();
  }
}

console.log(`PrismaRunLedger.recordEpoch, ${EPOCHS} epoch rows per line (node ${process.version})`);
console.log(['database'.padEnd(34), 'rows'.padStart(6), 'seconds'.padStart(8), 'rows/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8)].join(' '));
const schema = `bench_${randomBytes(4).toString('hex')}`;
await bench('postgres', { databaseUrl: values['database-url'], schema }, (db) => db.sql.transaction((s) => s.exec(`DROP SCHEMA "${schema}" CASCADE`)));
await bench('pglite memory://', { dataDir: 'memory://' });
const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-'));
try {
  await bench('pglite on disk', { dataDir: join(dir, 'db') });
} finally {
  await rm(dir, { recursive: true, force: true });
}
