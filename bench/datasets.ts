/**
 * bench/datasets: a generated ~100 MB CSV (numbers, a category text column, a boolean, missing
 * cells; bench/generate-table.ts) through the dataset path, in one run:
 *
 * 1. parse: DelimitedParser alone and profileTable (what the server does after storing: two
 *    passes), over the file in memory in pieces of BLOB_CHUNK_BYTES (the blob store.s), MB/s, median of rounds;
 * 2. upload: POST /api/datasets/:name through the contract's ApiClient, the file streamed from
 *    disk, to the API server (apps/dashboard/src/main.ts, what `trainyard dashboard` starts)
 *    running as a child process, so that its memory is its own: its RSS (/proc/<pid>/status)
 *    before, peak during (VmRSS sampled every 50 ms, and VmHWM after resetting it), and after;
 *    end-to-end MB/s (transfer, sha256, BLOB_CHUNK_BYTES chunk rows, then profiling read back from the
 *    database). The same server idle over the same kind of window is the baseline. PostgreSQL
 *    (team mode), and the embedded PGlite (in the server's own process) with the quarter-size
 *    file only (--pglite-full for the 100 MB one: about two minutes, ~1 MB/s);
 * 3. worker fetch: the worker's DatasetCache.acquire() of the 100 MB version from PostgreSQL,
 *    cold (empty cache: download, sha256 check, rename) vs cached (a stat and a touch).
 *
 *   npm run datasets -w @trainyard/bench [-- --size-mb 100 --rounds 3 --pglite-full --skip-pglite]
 *
 * Needs Redis (REDIS_URL, the API server checks it at start) and PostgreSQL (DATABASE_URL,
 * default the machine's TEST_DATABASE_URL); its schema, queue prefix and temp files are
 * removed afterwards. MB = 10^6 bytes (sizes, throughput), MiB = 2^20 (memory). Prints
 * figures, asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient } from '@trainyard/contract';
import { DelimitedParser, profileTable } from '@trainyard/data';
import { BLOB_CHUNK_BYTES, openDatabase, PrismaBlobStore } from '@trainyard/experiments';
import { deleteQueueKeys, freePort, TEST_DATABASE_URL, TEST_REDIS_URL } from '@trainyard/experiments/testing';
import { writeTable } from './generate-table.js';
import { median } from './stats.js';

const SERVER_MAIN = fileURLToPath(new URL('../apps/dashboard/src/main.ts', import.meta.url));
// The worker's cache, loaded by path: bench may import the dashboard app but not the worker
// (eslint's module boundaries), as bench/throughput starts the worker by its path.
const DATASET_CACHE = pathToFileURL(fileURLToPath(new URL('../apps/worker/src/datasets/dataset-cache.ts', import.meta.url))).href;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const { values: args } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    'database-url': { type: 'string', default: process.env['DATABASE_URL'] ?? TEST_DATABASE_URL },
    'skip-pglite': { type: 'boolean', default: false },
    // PGlite stores ~1 MB/s: the 100 MB file takes two minutes there, so by default only the quarter.
    'pglite-full': { type: 'boolean', default: false },
  },
});
const SIZE = Number(args['size-mb']) * 1e6;
const ROUNDS = Number(args.rounds);
const databaseUrl = args['database-url'];
const redisUrl = process.env['REDIS_URL'] ?? TEST_REDIS_URL;
const id = randomBytes(4).toString('hex');
const MIB = 2 ** 20;
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const mib = (bytes: number): string => (bytes / MIB).toFixed(0);
const rate = (bytes: number, ms: number): string => (bytes / 1e6 / (ms / 1000)).toFixed(1);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface DatasetLease {
  fetched: boolean;
  bytes: number;
  ms: number;
  release(): void;
}
type DatasetCacheClass = new (options: { dataHome: string; maxBytes: number; source: { open(sha256: string): AsyncIterable<Uint8Array> } }) => {
  acquire(sha256: string): Promise<DatasetLease>;
};

const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-datasets-'));
const started = performance.now();
const cleanups: (() => Promise<void>)[] = [async () => rm(dir, { recursive: true, force: true })];

try {
  // --- the tables -------------------------------------------------------------------------
  const big = join(dir, 'big.csv');
  const quarter = join(dir, 'quarter.csv');
  const generating = performance.now();
  const bigTable = await writeTable(big, SIZE, 1);
  const quarterTable = await writeTable(quarter, SIZE / 4, 2);
  writeFileSync(join(dir, 'warmup.csv'), 'a,b,color\n1,2,red\n3,,blue\n');
  console.log(
    `bench/datasets: ${mb(bigTable.bytes)} MB CSV (${bigTable.rows.toLocaleString('en')} rows x 9 columns: numbers, a category, a boolean, ~1 % missing in two)` +
      ` and a ${mb(quarterTable.bytes)} MB one, generated in ${((performance.now() - generating) / 1000).toFixed(1)} s; node ${process.version}`,
  );

  // --- 1. parsing ---------------------------------------------------------------------------
  {
    const bytes = await readFile(big);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.byteLength; at += BLOB_CHUNK_BYTES) yield bytes.subarray(at, at + BLOB_CHUNK_BYTES);
    }
    const parseOnly = async (): Promise<number> => {
      const parser = new DelimitedParser();
      let records = 0;
      for await (const chunk of chunks()) records += parser.push(chunk).length;
      records += parser.end().length;
      return records - 1;
    };
    const times = { parse: [] as number[], profile: [] as number[] };
    let rows = 0;
    let passes = 1;
    for (let round = 0; round < ROUNDS; round++) {
      let at = performance.now();
      rows = await parseOnly();
      times.parse.push(performance.now() - at);
      at = performance.now();
      passes = 0;
      const profile = await profileTable(() => {
        passes += 1;
        return chunks();
      });
      times.profile.push(performance.now() - at);
      if (profile.rows !== rows) throw new Error(`profileTable counted ${profile.rows} rows, the parser ${rows}`);
    }
    console.log(`\n1. parsing in memory, ${BLOB_CHUNK_BYTES / 1024} KiB pieces, median of ${ROUNDS}`);
    console.log('| step | median s | MB/s of the file |');
    console.log('| --- | --- | --- |');
    console.log(`| DelimitedParser (records only) | ${(median(times.parse) / 1000).toFixed(2)} | ${rate(bytes.byteLength, median(times.parse))} |`);
    console.log(`| profileTable (${passes} passes: stats, then histograms) | ${(median(times.profile) / 1000).toFixed(2)} | ${rate(bytes.byteLength, median(times.profile))} |`);
  }

  // --- 2. uploads -----------------------------------------------------------------------------
  const schema = `bench_datasets_${id}`;
  const postgres = await openDatabase({ databaseUrl, schema });
  cleanups.push(async () => {
    await postgres.sql.transaction((s) => s.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await postgres.close();
  });
  cleanups.push(() => deleteQueueKeys(redisUrl, `bench-datasets-${id}`));

  console.log(`\n2. uploads over HTTP to the API server in a child process (its RSS, MiB)`);
  console.log('| database | upload | MB | s | MB/s | RSS before | peak | after | peak - before | peak - idle |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const uploaded = await uploads('postgres', { DATABASE_URL: databaseUrl, TRAINYARD_DB_SCHEMA: schema }, 'all');
  if (!args['skip-pglite']) await uploads('pglite', { TRAINYARD_DB_DIR: join(dir, 'pglite') }, args['pglite-full'] ? 'big' : 'quarter');

  // --- 3. worker fetch --------------------------------------------------------------------------
  const { DatasetCache } = (await import(DATASET_CACHE)) as { DatasetCache: DatasetCacheClass };
  const source = new PrismaBlobStore(postgres.prisma);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dataHome = join(dir, `data-home-${round}`);
    const cache = new DatasetCache({ dataHome, maxBytes: 2048 * MIB, source });
    const first = await cache.acquire(uploaded.sha256);
    first.release();
    const again = await cache.acquire(uploaded.sha256);
    again.release();
    if (!first.fetched || again.fetched || first.bytes !== uploaded.size) throw new Error('the cache did not fetch once then reuse');
    cold.push(first.ms);
    warm.push(again.ms);
    await rm(dataHome, { recursive: true, force: true });
  }
  console.log(`\n3. worker DatasetCache.acquire() of the ${mb(uploaded.size)} MB version from PostgreSQL, median of ${ROUNDS}`);
  console.log('| cache | median ms | min ms | MB/s |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| cold (download + sha256 + rename) | ${median(cold).toFixed(0)} | ${Math.min(...cold).toFixed(0)} | ${rate(uploaded.size, median(cold))} |`);
  console.log(`| cached (stat + touch) | ${median(warm).toFixed(2)} | ${Math.min(...warm).toFixed(2)} | - |`);
  console.log(`cold / cached: ${Math.round(median(cold) / median(warm)).toLocaleString('en')}x`);
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);

  /**
   * Starts the server on `database`, uploads the tables (all: the big one, a new version of it,
   * the same bytes again, the quarter), stops it; the first upload's version.
   */
  async function uploads(database: string, env: Record<string, string>, which: 'all' | 'big' | 'quarter'): Promise<{ sha256: string; size: number }> {
    const server = await startServer(env);
    try {
      const client = new ApiClient(server.url);
      // Untimed: loads the route, the parser and the database client's paths.
      await client.call('addDatasetVersion', { params: { name: 'warmup' }, query: { filename: 'warmup.csv' }, upload: { data: fileStream(join(dir, 'warmup.csv')), type: 'text/csv' } });
      await sleep(1000);
      // The baseline: the same server idle, sampled the same way for a few seconds.
      const idle = await watch(server.pid, () => sleep(3000));
      console.log(`| ${database} | (idle 3 s, baseline) | - | - | - | ${mib(idle.before)} | ${mib(idle.peak)} | ${mib(idle.after)} | ${mib(idle.peak - idle.before)} | - |`);
      const row = async (label: string, bytes: number, data: () => ReadableStream<Uint8Array>, name = 'table'): Promise<{ sha256: string; size: number }> => {
        let answer: { created: boolean; sha256: string; size: number } | undefined;
        const seen = await watch(server.pid, async () => {
          const { created, version } = await client.call('addDatasetVersion', { params: { name }, query: { filename: `${name}.csv` }, upload: { data: data(), type: 'text/csv' } });
          answer = { created, sha256: version.sha256, size: version.size };
        });
        if (!answer || answer.size !== bytes) throw new Error(`${label}: the server stored ${answer?.size} bytes, not ${bytes}`);
        console.log(
          `| ${database} | ${label}${answer.created ? '' : ' (same bytes: stored, then dropped)'} | ${mb(bytes)} | ${(seen.ms / 1000).toFixed(2)} | ${rate(bytes, seen.ms)} | ${mib(seen.before)} | ${mib(seen.peak)} | ${mib(seen.after)} | ${mib(seen.peak - seen.before)} | ${mib(seen.peak - idle.before)} |`,
        );
        return answer;
      };
      const extra = Buffer.from(`${bigTable.rows + 1},1,1,1,1,1,red,true,1\n`);
      let first: { sha256: string; size: number } | undefined;
      if (which !== 'quarter') first = await row('new version', bigTable.bytes, () => fileStream(big));
      if (which === 'all') {
        await row('one more row: new version', bigTable.bytes + extra.length, () => fileStream(big, extra));
        await row('the first file again', bigTable.bytes, () => fileStream(big));
      }
      const quarterVersion = await row('a quarter of the size: new version', quarterTable.bytes, () => fileStream(quarter), 'quarter');
      // Small requests afterwards: Prisma keeps the arguments of its last 100 debug calls (even
      // with DEBUG unset), query plans with a chunk's bytes inlined among them; these push them
      // out. (RSS hardly falls: the allocator keeps the freed pages; see README.md.)
      const flushed = await watch(server.pid, async () => {
        for (let i = 0; i < 200; i++) await client.call('listDatasets', { query: {} });
      });
      console.log(`| ${database} | (then 200 GET /api/datasets) | - | ${(flushed.ms / 1000).toFixed(2)} | - | ${mib(flushed.before)} | ${mib(flushed.peak)} | ${mib(flushed.after)} | ${mib(flushed.peak - flushed.before)} | ${mib(flushed.peak - idle.before)} |`);
      return first ?? quarterVersion;
    } finally {
      await server.stop();
    }
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
}

/** A file as the body of a fetch, read from disk as it is sent (what `trainyard dataset add` does). */
function fileStream(path: string, then?: Uint8Array): ReadableStream<Uint8Array> {
  const file = createReadStream(path);
  const stream = then
    ? Readable.from(
        (async function* () {
          yield* file;
          yield then;
        })(),
      )
    : file;
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}

interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** apps/dashboard/src/main.ts (the API server of `trainyard dashboard`) in its own process, ready once /healthz answers. */
async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--conditions=development', '--import', TSX_LOADER, SERVER_MAIN], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      REDIS_URL: redisUrl,
      TRAINYARD_QUEUE_PREFIX: `bench-datasets-${id}`,
      TRAINYARD_MAX_UPLOAD_MB: '1024',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const orphan = (): void => void child.kill('SIGKILL');
  process.once('exit', orphan);
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API server did not start:\n${log}`);
    }
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('the API server has no pid');
  return {
    url,
    pid,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', orphan);
      if (log.includes('"level":50') || /error/i.test(log)) console.log(`(server log: ${log.trim().slice(0, 2000)})`);
    },
  };
}

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb * 1024;
}

/**
 * The process' RSS before `during`, its peak while it runs (VmRSS every 50 ms, and VmHWM reset
 * just before through clear_refs when the kernel lets us), and a second after; `ms` is the
 * time `during` took.
 */
async function watch(pid: number, during: () => Promise<void>): Promise<{ before: number; peak: number; after: number; ms: number }> {
  const before = status(pid, 'VmRSS');
  let hwm = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    hwm = false;
  }
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, status(pid, 'VmRSS'))), 50);
  const at = performance.now();
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - at;
  peak = Math.max(peak, status(pid, 'VmRSS'), hwm ? status(pid, 'VmHWM') : 0);
  await sleep(1000);
  return { before, peak, after: status(pid, 'VmRSS'), ms };
}
