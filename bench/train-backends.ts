/**
 * trainyard's training loop (Network.fit) beside a plain tfjs `model.fit` of the same network
 * on the same data, on every backend that loads. Prints seconds and the ratio; asserts nothing.
 * Goal: trainyard takes at most GOAL x the time of model.fit on the same backend.
 *
 *   npm run bench                     (3 rounds per backend)
 *   npm run bench -- -- --rounds 5    (the second -- passes the flag through the inner npm run)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, Preprocessor, Rng, splitIndices, takeRows } from '@trainyard/data';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { parseDefinitionJson, type ExperimentDefinition } from '@trainyard/experiments';
import { initBackend, Network, TrainingError, type BackendName } from '@trainyard/nn';
import { median } from './stats.js';

/** The target for trainyard / model.fit; the own loop is meant to win by skipping fit's per-batch loss read-back. */
const GOAL = 0.8;
const BACKENDS: BackendName[] = ['cpu', 'wasm', 'tensorflow'];
const DEFINITION = new URL('../examples/notebook-3-california.json', import.meta.url);
const RESULT_PREFIX = 'RESULT ';

interface Run {
  /** Wall clock: what a user waits. */
  seconds: number;
  /** Process CPU time (all threads) over the same span: far less disturbed by other load on the machine. */
  cpuSeconds: number;
  /** Training loss of the last epoch: both sides must really train for the times to compare. */
  loss: number;
}

interface Rows {
  x: number[][];
  y: number[][];
}

type Result =
  | { backend: BackendName; skipped: string }
  | { backend: BackendName; trainyard: Run[]; fit: Run[]; tensorSeconds: number; tensorsBefore: number; tensorsAfter: number };

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    // Internal: the parent runs each backend in a child process with this flag (see runInChild).
    backend: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${args.rounds}`);
const def = parseDefinitionJson(await readFile(DEFINITION, 'utf8'));
checkPlainEquivalent(def);
const seed = def.seed ?? 42;

if (args.backend !== undefined) {
  const backend = BACKENDS.find((name) => name === args.backend);
  if (!backend) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got ${args.backend}`);
  const dataHome = process.env['TRAINYARD_DATA_HOME'];
  if (!dataHome) throw new Error('the parent process sets TRAINYARD_DATA_HOME');
  const result = await benchBackend(backend, await trainingRows(def, seed, dataHome));
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} else {
  // The bench's only environment variable; without it the committed dataset fixtures
  // (libs/data/fixtures) are used, so nothing is downloaded and the machine's own cache is left alone.
  const envDataHome = process.env['TRAINYARD_DATA_HOME'];
  const dataHome = envDataHome ?? (await seedDataHome(await makeTempDir('trainyard-bench-')));
  try {
    const train = await trainingRows(def, seed, dataHome);
    console.log(`bench/train-backends: ${def.name}, ${train.x.length} training rows, ${def.epochs} epochs, batch ${def.batchSize}, ${rounds} rounds`);
    console.log(`tfjs ${tf.version.tfjs}, node ${process.versions.node}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown cpu'})`);
    const results: Result[] = [];
    for (const backend of BACKENDS) results.push(await runInChild(backend, dataHome));
    printTable(results);
  } finally {
    if (!envDataHome) await rm(dataHome, { recursive: true, force: true });
  }
}

/**
 * One fresh process per backend, as a user's run has: in a shared process the second backend
 * would inherit the first one's heap and a JIT tuned to the first one's kernels.
 */
async function runInChild(backend: BackendName, dataHome: string): Promise<Result> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--backend', backend, '--rounds', String(rounds)],
    { env: { ...process.env, TRAINYARD_DATA_HOME: dataHome }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`bench of ${backend} failed (exit ${code}):\n${output}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as Result;
}

/** The example's training part, preprocessed exactly as `trainyard train` does it (same seed streams). */
async function trainingRows(definition: ExperimentDefinition, runSeed: number, dataHome: string): Promise<Rows> {
  const dataset = await loadDataset(definition.dataset, { dataHome, seed: runSeed });
  const indices = splitIndices(dataset.x.length, definition.split, Rng.derive(runSeed, 'split'));
  const raw = { x: takeRows(dataset.x, indices.train), y: takeRows(dataset.y, indices.train) };
  const preprocessor = Preprocessor.fit(definition.preprocessing, raw, dataset);
  return { x: preprocessor.transformX(raw.x), y: preprocessor.transformY(raw.y) };
}

async function benchBackend(backend: BackendName, data: Rows): Promise<Result> {
  try {
    await initBackend(backend);
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'BACKEND_UNAVAILABLE') return { backend, skipped: error.message };
    throw error;
  }
  const tensorsBefore = tf.memory().numTensors;
  // model.fit's tensors are made once, outside its timing. Network.fit takes rows and makes its
  // own inside the timing; this measures what that costs, to read the ratio against.
  const started = performance.now();
  const xs = tf.tensor2d(data.x);
  const ys = tf.tensor2d(data.y);
  await xs.data();
  const tensorSeconds = (performance.now() - started) / 1000;
  const trainyard: Run[] = [];
  const fit: Run[] = [];
  try {
    // Untimed warm-up of both: the first training on a backend pays kernel setup and JIT
    // compilation, which would otherwise all land on whichever side runs first.
    await trainWithTrainyard(data, 1);
    await trainWithFit(xs, ys, 1);
    // Alternating A/B/A/B spreads slow drift (thermal, other processes on 2 shared cores)
    // over both sides instead of charging it to one; the median drops a disturbed round.
    for (let round = 0; round < rounds; round++) {
      trainyard.push(await trainWithTrainyard(data, def.epochs));
      fit.push(await trainWithFit(xs, ys, def.epochs));
    }
  } finally {
    tf.dispose([xs, ys]);
  }
  return { backend, trainyard, fit, tensorSeconds, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

/** (A) trainyard's own loop, built and seeded as the pipeline does; only fit() is timed. */
async function trainWithTrainyard(data: Rows, epochs: number): Promise<Run> {
  const init = Rng.derive(seed, 'init');
  const shuffle = Rng.derive(seed, 'shuffle');
  const net = Network.build(
    { inputShape: [data.x[0]?.length ?? 0], layers: def.model.layers },
    { optimizer: def.optimizer, loss: def.loss, metrics: def.metrics },
    () => init.next(),
  );
  try {
    const clock = startClock();
    const result = await net.fit(data, { epochs, batchSize: def.batchSize, random: () => shuffle.next() });
    return { ...clock(), loss: result.history.at(-1)?.metrics['loss'] ?? NaN };
  } finally {
    net.dispose();
  }
}

/** (B) what a tfjs user writes: tf.sequential, compile, model.fit with Math.random shuffles. */
async function trainWithFit(xs: tf.Tensor2D, ys: tf.Tensor2D, epochs: number): Promise<Run> {
  const model = tf.sequential();
  def.model.layers.forEach((layer, i) => {
    if (layer.type !== 'dense') throw new Error(`unreachable: checked by checkPlainEquivalent`);
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: layer.activation === 'relu' ? 'relu' : 'linear',
        kernelInitializer: 'glorotUniform',
        ...(i === 0 ? { inputShape: [xs.shape[1]] } : {}),
      }),
    );
  });
  const optimizer = tf.train.sgd(0.01);
  model.compile({ optimizer, loss: 'meanSquaredError', metrics: ['mae'] });
  try {
    const clock = startClock();
    const history = await model.fit(xs, ys, { epochs, batchSize: def.batchSize, shuffle: true, verbose: 0 });
    return { ...clock(), loss: Number(history.history['loss']?.at(-1) ?? NaN) };
  } finally {
    // model.dispose() leaves the optimizer's tensors behind.
    model.dispose();
    optimizer.dispose();
  }
}

/** Side B is hand-written; fail loudly if the example drifts from what it reproduces. */
function checkPlainEquivalent(definition: ExperimentDefinition): void {
  const problems: string[] = [];
  for (const [i, layer] of definition.model.layers.entries()) {
    const plain =
      layer.type === 'dense' &&
      [undefined, 'relu', 'linear'].includes(layer.activation) &&
      [undefined, 'glorot_uniform'].includes(layer.kernelInitializer) &&
      [undefined, 'zeros'].includes(layer.biasInitializer) &&
      layer.useBias !== false &&
      !layer.kernelRegularizer &&
      !layer.biasRegularizer;
    if (!plain) problems.push(`layer ${i} is not a plain dense relu/linear layer`);
  }
  const { optimizer } = definition;
  if (optimizer.name !== 'sgd' || (optimizer.learningRate ?? 0.01) !== 0.01 || (optimizer.momentum ?? 0) !== 0) {
    problems.push('optimizer is not sgd(0.01)');
  }
  if (definition.loss !== 'mse' || definition.metrics.join() !== 'mae') problems.push('loss/metrics are not mse/[mae]');
  if (definition.preprocessing.target !== 'none' || definition.split.validation) problems.push('target scaling or validation split');
  if (problems.length > 0) throw new Error(`${DEFINITION.pathname}: the plain model.fit side no longer matches: ${problems.join('; ')}`);
}

function printTable(all: Result[]): void {
  const header = ['backend', 'trainyard s (median / min)', 'model.fit s (median / min)', 'ratio', `goal <= ${GOAL.toFixed(2)}`, 'final loss trainyard / fit', 'tensors before / after'];
  const rows = all.map((r) => {
    if ('skipped' in r) return [r.backend, `skipped: ${r.skipped}`];
    const a = r.trainyard.map((run) => run.seconds);
    const b = r.fit.map((run) => run.seconds);
    const ratio = median(a) / median(b);
    return [
      r.backend,
      `${median(a).toFixed(2)} / ${Math.min(...a).toFixed(2)}`,
      `${median(b).toFixed(2)} / ${Math.min(...b).toFixed(2)}`,
      ratio.toFixed(2),
      ratio <= GOAL ? 'met' : 'missed',
      `${median(r.trainyard.map((run) => run.loss)).toFixed(4)} / ${median(r.fit.map((run) => run.loss)).toFixed(4)}`,
      `${r.tensorsBefore} / ${r.tensorsAfter}${r.tensorsAfter === r.tensorsBefore ? '' : ' LEAK'}`,
    ];
  });
  console.log();
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log();
  for (const r of all) {
    if ('skipped' in r) continue;
    const seconds = (runs: Run[]) => runs.map((run) => `${run.seconds.toFixed(2)} (${run.cpuSeconds.toFixed(2)})`).join(' ');
    const cpuRatio = median(r.trainyard.map((run) => run.cpuSeconds)) / median(r.fit.map((run) => run.cpuSeconds));
    console.log(`${r.backend} rounds, wall s (cpu s): trainyard ${seconds(r.trainyard)}; model.fit ${seconds(r.fit)}`);
    console.log(`${r.backend}: ratio of median cpu seconds ${cpuRatio.toFixed(2)}; rows -> tensors ${r.tensorSeconds.toFixed(3)} s (inside trainyard's time only)`);
  }
  console.log('Losses are median final-epoch training MSE (target in $100,000); model.fit shuffles with Math.random, so its loss varies run to run.');
}

function startClock(): () => { seconds: number; cpuSeconds: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}
