/**
 * bench/throughput: one sweep of California runs through the whole path (submission, Redis
 * queue, worker threads, PostgreSQL) with one training thread, then with two (one process
 * at concurrency 2, and two processes at concurrency 1), in one run. Prints wall seconds
 * from submission to the last final status, the speed-up over one thread, and the worker
 * processes' CPU seconds per run (from /proc; less disturbed by other load on the machine,
 * it shows whether two threads cost more CPU per run than one). Configurations alternate
 * over rounds so that slow drift in the machine's load lands on all of them; the table
 * shows medians.
 *
 *   npm run throughput -w @trainyard/bench [-- --runs 16 --epochs 8 --rounds 2]
 *
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379) and PostgreSQL (DATABASE_URL,
 * default the machine's, TEST_DATABASE_URL): two worker processes
 * cannot share the embedded PGlite. Each configuration gets its own schema and queue
 * prefix, removed afterwards. Asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { DEFAULT_SERVER_LIMITS, FINAL_STATUSES, openDatabase, RunProducer, RunRepository, submitRuns } from '@trainyard/experiments';
import { deleteQueueKeys, TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { median } from './stats.js';

const WORKER_MAIN = fileURLToPath(new URL('../apps/worker/src/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CALIFORNIA = new URL('../examples/notebook-3-california.json', import.meta.url);
const GOAL = 1.8;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '16' }, epochs: { type: 'string', default: '8' }, rounds: { type: 'string', default: '2' } },
});
const runs = Number(args.runs);
const epochs = Number(args.epochs);
const rounds = Number(args.rounds);
const redisUrl = process.env['REDIS_URL'] ?? TEST_REDIS_URL;
const databaseUrl = process.env['DATABASE_URL'] ?? TEST_DATABASE_URL;

interface Config {
  label: string;
  processes: number;
  concurrency: number;
}
const CONFIGS: Config[] = [
  { label: '1 process x 1 thread', processes: 1, concurrency: 1 },
  { label: '1 process x 2 threads', processes: 1, concurrency: 2 },
  { label: '2 processes x 1 thread', processes: 2, concurrency: 1 },
];

const envDataHome = process.env['TRAINYARD_DATA_HOME'];
const dataHome = envDataHome ?? (await seedDataHome(await makeTempDir('trainyard-bench-')));
console.log(`bench/throughput: ${runs} California runs (${epochs} epochs, batch 32) per configuration, ${rounds} round(s)`);
console.log(`node ${process.versions.node}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), load average ${os.loadavg()[0]?.toFixed(2)}`);
interface Measured {
  seconds: number;
  trainSeconds: number;
  cpuSecondsPerRun: number;
  failed: number;
}
const measured = new Map<Config, Measured[]>(CONFIGS.map((c) => [c, []]));
try {
  for (let round = 1; round <= rounds; round++) {
    for (const config of CONFIGS) {
      const result = await measure(config);
      measured.get(config)?.push(result);
      console.log(`  round ${round}, ${config.label}: ${result.seconds.toFixed(1)} s, ${result.cpuSecondsPerRun.toFixed(2)} CPU s/run (${result.failed} failed), load ${os.loadavg()[0]?.toFixed(2)}`);
    }
  }
} finally {
  if (!envDataHome) await rm(dataHome, { recursive: true, force: true });
}

const of = (config: Config | undefined, pick: (m: Measured) => number): number => median((config ? measured.get(config) : undefined)?.map(pick) ?? []);
const base = of(CONFIGS[0], (m) => m.seconds);
console.log('');
console.log(`| workers | wall s (median) | runs/min | mean run s (in its thread) | worker CPU s per run | speed-up vs 1 thread | goal >= ${GOAL} |`);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const config of CONFIGS) {
  const seconds = of(config, (m) => m.seconds);
  const speedUp = base / seconds;
  const goal = config.concurrency * config.processes === 1 ? '' : speedUp >= GOAL ? 'met' : 'missed';
  const cells = [config.label, seconds.toFixed(1), ((runs / seconds) * 60).toFixed(1), of(config, (m) => m.trainSeconds).toFixed(2), of(config, (m) => m.cpuSecondsPerRun).toFixed(2), `${speedUp.toFixed(2)}x`, goal];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

async function measure(config: Config): Promise<Measured> {
  const id = randomBytes(4).toString('hex');
  const schema = `bench_throughput_${id}`;
  const prefix = `bench-throughput-${id}`;
  const database = await openDatabase({ databaseUrl, schema });
  const producer = new RunProducer({ redisUrl, prefix });
  const workers = Array.from({ length: config.processes }, (_, i) => startWorker(`bench-${id}-${i}`, { schema, prefix, concurrency: config.concurrency }));
  try {
    // Threads warm and connected before the clock starts: start-up is not throughput.
    await Promise.all(workers.map((w) => w.ready));
    const definition = { ...JSON.parse(readFileSync(CALIFORNIA, 'utf8')), epochs };
    const cpuBefore = workers.map((w) => cpuSeconds(w.pid));
    const started = performance.now();
    const submitted = await submitRuns({ name: `throughput-${id}`, base: definition, repeats: runs }, { prisma: database.prisma, queue: producer, limits: DEFAULT_SERVER_LIMITS });
    const repo = new RunRepository(database.prisma);
    const sweepId = submitted.sweep?.id;
    for (;;) {
      const page = await repo.list({ ...(sweepId ? { sweepId } : {}), limit: 200 });
      if (page.items.length >= runs && page.items.every((run) => FINAL_STATUSES.includes(run.status))) {
        const seconds = (performance.now() - started) / 1000;
        const trainSeconds = page.items.reduce((sum, run) => sum + (run.durationMs ?? 0), 0) / page.items.length / 1000;
        const cpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.pid) - (cpuBefore[i] ?? 0), 0);
        return { seconds, trainSeconds, cpuSecondsPerRun: cpu / runs, failed: page.items.filter((run) => run.status !== 'SUCCEEDED').length };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await producer.close();
    await deleteQueueKeys(redisUrl, prefix);
    await database.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await database.close();
  }
}

function startWorker(name: string, options: { schema: string; prefix: string; concurrency: number }) {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=development', '--import', TSX_LOADER, WORKER_MAIN], {
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      DATABASE_URL: databaseUrl,
      TRAINYARD_DB_SCHEMA: options.schema,
      TRAINYARD_QUEUE_PREFIX: options.prefix,
      TRAINYARD_DATA_HOME: dataHome,
      WORKER_NAME: name,
      WORKER_CONCURRENCY: String(options.concurrency),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(' ready: ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    ready,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User + system CPU seconds of a process, all its threads (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ", utime and stime are the 12th and 13th fields.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}


