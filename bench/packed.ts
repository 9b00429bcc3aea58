/**
 * Packed sweeps (issue 13): P runs of one architecture trained one by one (runPipeline for each,
 * in turn, as a worker's training thread does with WORKER_PACK_SIZE=1) against the same P runs
 * as one pack (one runPackedPipeline, as a packing worker does), on every backend that loads,
 * each backend in its own child process. Prints seconds, trials per second and the throughput
 * ratio, and how far a packed trial's per-epoch metrics are from the same trial alone;
 * asserts nothing. Goal: >= 6x throughput on wasm for the 16-trial California sweep.
 *
 *   npm run packed -w @trainyard/bench                                  (sizes 4,16,64, 1 round)
 *   npm run packed -w @trainyard/bench -- --rounds 3 --sizes 16
 *   npm run packed -w @trainyard/bench -- --demo                        (the demo's two sweeps, wasm)
 */
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import {
  expandSweep,
  parseDefinitionJson,
  runPackedPipeline,
  runPipeline,
  type ExperimentDefinition,
  type PackedRunOptions,
  type RunEvent,
} from '@trainyard/experiments';
import { initBackend, TrainingError, type BackendName } from '@trainyard/nn';
import { printChildResult, runBenchChild } from './bench-child.js';
import { median } from './stats.js';

/** The issue's goal for one-by-one seconds / packed seconds of the 16-trial sweep on wasm. */
const GOAL_THROUGHPUT = 6;
const BACKENDS: BackendName[] = ['cpu', 'wasm', 'tensorflow'];
const LEARNING_RATES = [0.003, 0.01, 0.03, 0.1];
const CALIFORNIA = new URL('../examples/notebook-3-california.json', import.meta.url);
const DEMO_SWEEPS = ['sweep-sum-small.json', 'sweep-california-lr.json'].map((file) => new URL(`../examples/${file}`, import.meta.url));

type Trial = ExperimentDefinition & { seed: number };

/** One set of trials timed both ways (a size P of the California sweep, or one of the demo's sweeps). */
interface Case {
  name: string;
  trials: Trial[];
}

/** One timing of one side: wall and process CPU seconds, and the sum of the epochs' durationMs (training only). */
interface Timing {
  seconds: number;
  cpuSeconds: number;
  trainSeconds: number;
}

interface CaseResult {
  name: string;
  trials: number;
  /** How many of the trials ran one by one (the rest are scaled from them per trial). */
  soloTrials: number;
  /** One-by-one timings as measured (soloTrials runs), per round. */
  solo: Timing[];
  packed: Timing[];
  /** The pack sizes the packed runs' start events reported. */
  packSizes: number[];
  /** Largest |packed - alone| over every per-epoch metric of the trials run both ways, and how many epochs were compared. */
  maxEpochDiff: number;
  /** The same over the first epoch only: float rounding starts there small and grows over epochs of SGD. */
  maxFirstEpochDiff: number;
  comparedEpochs: number;
  identicalTrials: number;
}

type Result = { backend: BackendName; skipped: string } | { backend: BackendName; cases: CaseResult[]; tensorsBefore: number; tensorsAfter: number };

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '4,16,64' },
    // At most this many trials run one by one; a larger P is timed one by one on its first
    // trials (every learning rate, the first seeds) and scaled per trial.
    'solo-max': { type: 'string', default: '16' },
    demo: { type: 'boolean', default: false },
    backends: { type: 'string' },
    // Internal: the parent runs each backend in a child process with this flag (see runInChild).
    backend: { type: 'string' },
  },
});
const rounds = positiveInt(args.rounds, '--rounds');
const soloMax = positiveInt(args['solo-max'], '--solo-max');
const sizes = args.sizes.split(',').map((size) => positiveInt(size.trim(), '--sizes'));
for (const size of sizes) if (size % LEARNING_RATES.length !== 0) throw new Error(`--sizes: ${size} is not a multiple of ${LEARNING_RATES.length} (learning rates)`);
const backends = (args.backends ?? (args.demo ? 'wasm' : BACKENDS.join(','))).split(',').map((name) => {
  const backend = BACKENDS.find((b) => b === name.trim());
  if (!backend) throw new Error(`--backends: one of ${BACKENDS.join(', ')}, got ${name}`);
  return backend;
});

if (args.backend !== undefined) {
  const backend = BACKENDS.find((name) => name === args.backend);
  if (!backend) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got ${args.backend}`);
  const dataHome = process.env['TRAINYARD_DATA_HOME'];
  if (!dataHome) throw new Error('the parent process sets TRAINYARD_DATA_HOME');
  const result = await benchBackend(backend, dataHome, await cases());
  printChildResult(result);
} else {
  const envDataHome = process.env['TRAINYARD_DATA_HOME'];
  const dataHome = envDataHome ?? (await seedDataHome(await makeTempDir('trainyard-bench-packed-')));
  try {
    const what = args.demo ? "the demo's sweeps (sweep-sum-small, sweep-california-lr)" : `California sweep, P = ${sizes.join(', ')} (${LEARNING_RATES.join(', ')} x P/4 seeds)`;
    console.log(`bench/packed: ${what}, ${rounds} round(s), one by one at most ${soloMax} trials (more: scaled per trial)`);
    console.log(`tfjs ${tf.version.tfjs}, node ${process.versions.node}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const results: Result[] = [];
    for (const backend of backends) results.push(await runInChild(backend, dataHome));
    printTable(results);
    console.log(`load at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    if (!envDataHome) await rm(dataHome, { recursive: true, force: true });
  }
}

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got ${text}`);
  return value;
}

/** One fresh process per backend, as a worker's thread has one backend. */
async function runInChild(backend: BackendName, dataHome: string): Promise<Result> {
  const forwarded = ['--rounds', String(rounds), '--sizes', sizes.join(','), '--solo-max', String(soloMax), ...(args.demo ? ['--demo'] : [])];
  return runBenchChild<Result>(import.meta.url, ['--backend', backend, ...forwarded], { ...process.env, TRAINYARD_DATA_HOME: dataHome }, backend);
}

/** What the child times: the California sweep at each size, or the demo's two sweeps expanded as the API expands them. */
async function cases(): Promise<Case[]> {
  if (args.demo) {
    return Promise.all(
      DEMO_SWEEPS.map(async (url) => {
        const expanded = expandSweep(JSON.parse(await readFile(url, 'utf8')), 1);
        return { name: expanded.spec.name, trials: expanded.trials.map((trial) => trial.definition) };
      }),
    );
  }
  const base = parseDefinitionJson(await readFile(CALIFORNIA, 'utf8'));
  const baseSeed = base.seed ?? 42;
  return sizes.map((size) => {
    const trials: Trial[] = [];
    // Seed-major, so the first trials (the one-by-one subset of a large P) cover every rate.
    for (let s = 0; s < size / LEARNING_RATES.length; s++) {
      for (const learningRate of LEARNING_RATES) {
        const seed = baseSeed + s;
        trials.push({ ...base, name: `california lr=${learningRate} seed=${seed}`, seed, optimizer: { ...base.optimizer, learningRate } } as Trial);
      }
    }
    return { name: `P=${size}`, trials };
  });
}

async function benchBackend(backend: BackendName, dataHome: string, todo: Case[]): Promise<Result> {
  try {
    await initBackend(backend);
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'BACKEND_UNAVAILABLE') return { backend, skipped: error.message };
    throw error;
  }
  // What a worker's training thread passes (apps/worker/src/thread/training-thread.ts).
  const options: PackedRunOptions = { backend, dataHome, batchProgress: true, localFiles: false };
  const tensorsBefore = tf.memory().numTensors;
  // Untimed warm-up of both sides: one epoch alone, one epoch as a pack of two.
  const warm = (todo[0] as Case).trials.slice(0, 2).map((trial) => ({ ...trial, epochs: 1 }));
  await solo(warm.slice(0, 1), options);
  await packed(warm, options);

  const results: CaseResult[] = todo.map((c) => ({
    name: c.name,
    trials: c.trials.length,
    soloTrials: Math.min(c.trials.length, soloMax),
    solo: [],
    packed: [],
    packSizes: [],
    maxEpochDiff: 0,
    maxFirstEpochDiff: 0,
    comparedEpochs: 0,
    identicalTrials: 0,
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, c] of todo.entries()) {
      const result = results[index] as CaseResult;
      const runSolo = async (): Promise<Epochs[]> => {
        const measured = await solo(c.trials.slice(0, result.soloTrials), options);
        result.solo.push(measured.timing);
        log(backend, c.name, round, `one by one (${result.soloTrials} trials)`, measured.timing);
        return measured.epochs;
      };
      const runPacked = async (): Promise<Epochs[]> => {
        const measured = await packed(c.trials, options);
        result.packed.push(measured.timing);
        result.packSizes = [...new Set(measured.packSizes)];
        log(backend, c.name, round, `packed (${c.trials.length} trials)`, measured.timing);
        return measured.epochs;
      };
      // Alternate which side goes first, over rounds and over cases, so drift lands on both.
      const soloFirst = (round + index) % 2 === 0;
      let alone: Epochs[];
      let together: Epochs[];
      if (soloFirst) {
        alone = await runSolo();
        together = await runPacked();
      } else {
        together = await runPacked();
        alone = await runSolo();
      }
      compare(result, alone, together);
    }
  }
  return { backend, cases: results, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

function log(backend: BackendName, name: string, round: number, side: string, t: Timing): void {
  console.error(`  ${backend} ${name} round ${round + 1}: ${side} ${t.seconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s cpu, ${t.trainSeconds.toFixed(2)} s in epochs`);
}

/** Per trial, its epochs' metrics in order. */
type Epochs = Record<string, number>[];

/** Largest absolute difference of every per-epoch metric of the trials run both ways. */
function compare(result: CaseResult, alone: Epochs[], together: Epochs[]): void {
  result.identicalTrials = 0;
  result.comparedEpochs = 0;
  for (const [trial, epochs] of alone.entries()) {
    const other = together[trial] ?? [];
    if (other.length !== epochs.length) throw new Error(`${result.name} trial ${trial}: ${epochs.length} epochs alone, ${other.length} packed`);
    let identical = true;
    for (const [e, metrics] of epochs.entries()) {
      result.comparedEpochs++;
      for (const [name, value] of Object.entries(metrics)) {
        const diff = Math.abs(value - (other[e]?.[name] ?? NaN));
        if (diff !== 0) identical = false;
        const counted = Number.isNaN(diff) ? Infinity : diff;
        result.maxEpochDiff = Math.max(result.maxEpochDiff, counted);
        if (e === 0) result.maxFirstEpochDiff = Math.max(result.maxFirstEpochDiff, counted);
      }
    }
    if (identical) result.identicalTrials++;
  }
}

/** Each trial through its own runPipeline, one after the other; the whole pipeline timed. */
async function solo(trials: Trial[], options: PackedRunOptions): Promise<{ timing: Timing; epochs: Epochs[] }> {
  const epochs: Epochs[] = [];
  let trainMs = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const trial of trials) {
    const own: Epochs = [];
    for await (const event of runPipeline(trial, options)) {
      if (event.type === 'epoch') {
        own.push(event.metrics);
        trainMs += event.durationMs;
      }
      checkEnd(trial, event);
    }
    epochs.push(own);
  }
  return { timing: timing(started, cpu, trainMs), epochs };
}

/** All trials through one runPackedPipeline. */
async function packed(trials: Trial[], options: PackedRunOptions): Promise<{ timing: Timing; epochs: Epochs[]; packSizes: number[] }> {
  const epochs: Epochs[] = trials.map(() => []);
  // A pack's epoch is one span for all of its trials (every trial reports the same durationMs):
  // the pack's training time is the sum over its epochs, not over its trials.
  const epochMs = new Map<number, number>();
  const packSizes: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for await (const { trial, event } of runPackedPipeline(trials, options)) {
    if (event.type === 'start') packSizes.push(event.pack?.size ?? 1);
    if (event.type === 'epoch') {
      epochs[trial]?.push(event.metrics);
      epochMs.set(event.epoch, Math.max(epochMs.get(event.epoch) ?? 0, event.durationMs));
    }
    checkEnd(trials[trial] as Trial, event);
  }
  const trainMs = [...epochMs.values()].reduce((a, b) => a + b, 0);
  return { timing: timing(started, cpu, trainMs), epochs, packSizes };
}

function checkEnd(trial: Trial, event: RunEvent): void {
  if (event.type === 'failed') throw new Error(`${trial.name} failed: ${event.error.message}`);
  if (event.type === 'cancelled') throw new Error(`${trial.name} was cancelled`);
}

function timing(started: number, cpu: NodeJS.CpuUsage, trainMs: number): Timing {
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, trainSeconds: trainMs / 1000 };
}

function printTable(results: Result[]): void {
  console.log('');
  console.log('Seconds are medians over rounds; one-by-one figures of a P above the one-by-one subset are scaled to P trials (marked *).');
  console.log('');
  console.log('| backend | trials | one by one s (pipeline / epochs) | packed s (pipeline / epochs) | throughput ratio (pipeline / epochs / cpu) | pipeline ratio per round | trials/s one by one / packed | pack size | max abs diff of epoch metrics, packed vs alone |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    if ('skipped' in result) {
      console.log(`| ${result.backend} | skipped: ${result.skipped} | | | | | | | |`);
      continue;
    }
    for (const c of result.cases) {
      const scale = c.trials / c.soloTrials;
      const mark = scale === 1 ? '' : '*';
      const soloWall = median(c.solo.map((t) => t.seconds)) * scale;
      const soloTrain = median(c.solo.map((t) => t.trainSeconds)) * scale;
      const soloCpu = median(c.solo.map((t) => t.cpuSeconds)) * scale;
      const packWall = median(c.packed.map((t) => t.seconds));
      const packTrain = median(c.packed.map((t) => t.trainSeconds));
      const packCpu = median(c.packed.map((t) => t.cpuSeconds));
      const ratio = soloWall / packWall;
      // Within a round the two sides ran back to back: its ratio is the least touched by drift.
      const perRound = c.packed.map((p, r) => ((c.solo[r]?.seconds ?? NaN) * scale) / p.seconds);
      const goal = result.backend === 'wasm' && c.name === 'P=16' ? ` (goal >= ${GOAL_THROUGHPUT}: ${ratio >= GOAL_THROUGHPUT ? 'met' : 'missed'})` : '';
      const diff = `${c.maxEpochDiff.toExponential(2)}, epoch 1: ${c.maxFirstEpochDiff.toExponential(2)} (${c.identicalTrials}/${c.soloTrials} trials bit-identical, ${c.comparedEpochs} epochs)`;
      console.log(
        `| ${result.backend} | ${c.name}${c.soloTrials < c.trials ? ` (${c.soloTrials} one by one)` : ''} | ${soloWall.toFixed(2)}${mark} / ${soloTrain.toFixed(2)}${mark} | ${packWall.toFixed(2)} / ${packTrain.toFixed(2)} | ` +
          `${ratio.toFixed(2)}${goal} / ${(soloTrain / packTrain).toFixed(2)} / ${(soloCpu / packCpu).toFixed(2)} | ${perRound.map((r) => r.toFixed(2)).join(', ')} | ` +
          `${(c.trials / soloWall).toFixed(2)} / ${(c.trials / packWall).toFixed(2)} | ${c.packSizes.join(', ')} | ${diff} |`,
      );
    }
    const leak = result.tensorsAfter === result.tensorsBefore ? '' : ' LEAK';
    console.log(`| ${result.backend} | tensors before / after: ${result.tensorsBefore} / ${result.tensorsAfter}${leak} | | | | | | | |`);
  }
}
