/**
 * bench/worker-memory: hundreds of small runs through one worker process; prints its
 * memory every 50 runs: the process' RSS (all threads, from /proc), the main thread's V8
 * heap, each training thread's V8 heap and live TensorFlow.js tensors (as the worker logs
 * them with WORKER_MEMORY_LOG_EVERY). Flat is the goal; asserts nothing.
 *
 *   npm run worker-memory -w @trainyard/bench [-- --runs 300]
 *
 * Needs Redis (REDIS_URL) and PostgreSQL (DATABASE_URL, default the machine's): the
 * embedded PGlite would live in the worker process and its growth would be counted too.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SERVER_LIMITS, openDatabase, RunProducer, submitRuns } from '@trainyard/experiments';
import { deleteQueueKeys, sumDefinition, TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';

const WORKER_MAIN = fileURLToPath(new URL('../apps/worker/src/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const EVERY = 50;

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '300' } } });
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < EVERY || runs % EVERY !== 0) {
  // The worker reports memory every EVERY runs; the bench ends on the report of the last one.
  console.error(`--runs: must be a multiple of ${EVERY} (memory is reported every ${EVERY} runs), got ${args.runs}`);
  process.exit(2);
}
const redisUrl = process.env['REDIS_URL'] ?? TEST_REDIS_URL;
const databaseUrl = process.env['DATABASE_URL'] ?? TEST_DATABASE_URL;
const id = randomBytes(4).toString('hex');
const schema = `bench_memory_${id}`;
const prefix = `bench-memory-${id}`;

// The notebook's 2-3-1 adder, 20 epochs: a fraction of a second each, so hundreds fit in minutes.
const definition = { ...sumDefinition('memory-sum', 200), epochs: 20, predict: [[4, 2]] };

const database = await openDatabase({ databaseUrl, schema });
const producer = new RunProducer({ redisUrl, prefix });
// --expose-gc: the worker collects garbage before it reports, so the figures are live memory.
const child = spawn(process.execPath, ['--expose-gc', '--conditions=development', '--import', TSX_LOADER, WORKER_MAIN], {
  env: {
    ...process.env,
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
    TRAINYARD_DB_SCHEMA: schema,
    TRAINYARD_QUEUE_PREFIX: prefix,
    WORKER_NAME: `bench-memory-${id}`,
    WORKER_CONCURRENCY: '1',
    WORKER_MEMORY_LOG_EVERY: String(EVERY),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise((resolve) => child.once('exit', resolve));

console.log(`bench/worker-memory: ${runs} runs of ${definition.name} (${definition.epochs} epochs) through one worker, memory every ${EVERY}`);
console.log('| jobs | RSS MiB (/proc) | main heap MiB | thread heap MiB | tensors |');
console.log('| --- | --- | --- | --- | --- |');
const started = performance.now();
let reported = 0;
await new Promise<void>((resolve, reject) => {
  let buffer = '';
  let submitted = false;
  child.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!submitted && line.includes(' ready: ')) {
        submitted = true;
        const seeds = Array.from({ length: runs }, (_, i) => i);
        submitRuns({ name: `memory-${id}`, base: definition, grid: { seed: seeds } }, { prisma: database.prisma, queue: producer, limits: DEFAULT_SERVER_LIMITS }).catch(reject);
      }
      const memory = /memory after (\d+) jobs: rss ([\d.]+) MiB, main heap ([\d.]+) MiB, thread heap ([\d./]+) MiB, tensors ([\d/]+)/.exec(line);
      if (!memory) continue;
      console.log(`| ${memory[1]} | ${rssMiB(child.pid)} | ${memory[3]} | ${memory[4]} | ${memory[5]} |`);
      reported = Number(memory[1]);
      if (reported >= runs) resolve();
    }
  });
});
console.log(`${reported} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);

child.kill('SIGTERM');
await exited;
await producer.close();
await deleteQueueKeys(redisUrl, prefix);
await database.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
await database.close();

/** The whole process' resident memory, threads included (Linux). */
function rssMiB(pid: number | undefined): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return (kb / 1024).toFixed(1);
  } catch {
    return '?';
  }
}
