/**
 * The California example through the whole service path — HTTP API, BullMQ queue, a warm
 * worker thread, per-epoch writes to the database — beside the same definition trained
 * in-process (runPipeline, as `trainyard train` does), alternating in one run. Prints
 * seconds and the ratio; asserts nothing. Goal (issue): at most 1.05x the in-process time.
 *
 *   npm run overhead -w @trainyard/bench [-- --rounds 3]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { parseDefinition, runPipeline, withSeed, type RunView, type SubmissionResponse } from '@trainyard/experiments';
import { freePort } from '@trainyard/experiments/testing';
import { median } from './stats.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(args.rounds);
const BIN = fileURLToPath(new URL('../apps/cli/bin/trainyard.js', import.meta.url));
const definition: unknown = JSON.parse(await readFile(new URL('../examples/notebook-3-california.json', import.meta.url), 'utf8'));
const dataHome = process.env['TRAINYARD_DATA_HOME'] ?? (await seedDataHome(await makeTempDir('bench-overhead-')));

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
// The service path as a user runs it: `trainyard up` (embedded PGlite, warm worker) in its own process.
const up = spawn(process.execPath, [BIN, 'up'], {
  env: {
    ...process.env,
    PORT: String(port),
    TRAINYARD_DB_DIR: await makeTempDir('bench-overhead-db-'),
    TRAINYARD_QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    TRAINYARD_DATA_HOME: dataHome,
    TRAINYARD_BACKEND: 'wasm',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let upLog = '';
up.stderr.on('data', (chunk: Buffer) => (upLog += chunk.toString()));
while (!upLog.includes('API and dashboard on')) {
  if (up.exitCode !== null) throw new Error(`trainyard up failed:\n${upLog}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function throughService(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/experiments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) });
  const { runs } = (await response.json()) as SubmissionResponse;
  const id = runs[0]?.id ?? '';
  for (;;) {
    const run = (await (await fetch(`${url}/api/runs/${id}`)).json()) as RunView;
    if (run.status === 'SUCCEEDED') return (performance.now() - started) / 1000;
    if (run.status !== 'QUEUED' && run.status !== 'RUNNING') throw new Error(`run ${id} ended ${run.status}`);
    // Polling every 20 ms adds at most 20 ms to a ~5 s run.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function inProcess(): Promise<number> {
  const started = performance.now();
  for await (const event of runPipeline(withSeed(parseDefinition(definition)), { backend: 'wasm', dataHome })) {
    if (event.type === 'failed') throw new Error(event.error.message);
  }
  return (performance.now() - started) / 1000;
}

const service: number[] = [];
const local: number[] = [];
// Warm-up of both paths (dataset cache, JIT, the worker thread's first run), not timed.
await throughService();
await inProcess();
for (let round = 0; round < rounds; round++) {
  local.push(await inProcess());
  service.push(await throughService());
  console.log(`round ${round + 1}: in-process ${local.at(-1)?.toFixed(2)} s, through API+queue+worker+db ${service.at(-1)?.toFixed(2)} s`);
}
up.kill('SIGTERM');
const ratio = median(service) / median(local);
console.log(`\nbench/overhead: notebook-3-california on wasm, ${rounds} rounds, ${new Date().toISOString().slice(0, 10)}`);
console.log('| path | median s | min s |');
console.log('| --- | --- | --- |');
console.log(`| in-process (runPipeline) | ${median(local).toFixed(2)} | ${Math.min(...local).toFixed(2)} |`);
console.log(`| API + queue + worker + PGlite | ${median(service).toFixed(2)} | ${Math.min(...service).toFixed(2)} |`);
console.log(`ratio ${ratio.toFixed(3)} (goal <= 1.05: ${ratio <= 1.05 ? 'met' : 'missed'})`);
