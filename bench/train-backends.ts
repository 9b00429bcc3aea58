/**
 * trainyard's training loop (Network.fit) beside three other ways of training the same network
 * on the same data, on every backend that loads: a plain tfjs `model.fit`, a minimal tfjs loop
 * (minimal-tfjs-loop.ts) and plain JavaScript (plain-mlp.ts, the arithmetic floor). Prints
 * seconds and ratios; asserts nothing. Goals: trainyard takes at most GOAL_FIT x the time of
 * model.fit and at most GOAL_MINIMAL x the time of the minimal loop on the same backend.
 *
 *   npm run bench                     (3 rounds per backend)
 *   npm run bench -- -- --rounds 5    (the second -- passes the flag through the inner npm run)
 */
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, Preprocessor, Rng, splitIndices, takeRows } from '@trainyard/data';
import { makeTempDir, seedDataHome } from '@trainyard/data/testing';
import { parseDefinitionJson, type ExperimentDefinition } from '@trainyard/experiments';
import { initBackend, Network, TrainingError, type BackendName } from '@trainyard/nn';
import { trainMinimalLoop } from './minimal-tfjs-loop.js';
import { flatRows } from './flat-rows.js';
import { glorotUniform, mulberry32, PlainMlp, type MlpWeights } from './plain-mlp.js';
import { printChildResult, runBenchChild } from './bench-child.js';
import { median } from './stats.js';

/** The issue's target for trainyard / model.fit; the own loop is meant to win by skipping fit's per-batch loss read-back. */
const GOAL_FIT = 0.8;
/** Issue 13's target for trainyard / the minimal tfjs loop (gather, variableGrads, assign, nothing else). */
const GOAL_MINIMAL = 1.15;
const BACKENDS: BackendName[] = ['cpu', 'wasm', 'tensorflow'];
const DEFINITION = new URL('../examples/notebook-3-california.json', import.meta.url);

interface Run {
  /** Wall clock: what a user waits. */
  seconds: number;
  /** Process CPU time (all threads) over the same span: far less disturbed by other load on the machine. */
  cpuSeconds: number;
  /** Training loss of the last epoch: both sides must really train for the times to compare. */
  loss: number;
}

interface Rows {
  x: Float32Array[];
  y: number[][];
}

type Result =
  | { backend: BackendName; skipped: string }
  | {
      backend: BackendName;
      trainyard: Run[];
      fit: Run[];
      minimal: Run[];
      plain: Run[];
      tensorSeconds: number;
      tensorsBefore: number;
      tensorsAfter: number;
    };

/** The four sides in the order each round runs them, with the names the table prints. */
const SIDES = [
  ['trainyard', 'trainyard'],
  ['fit', 'model.fit'],
  ['minimal', 'minimal loop'],
  ['plain', 'plain JS'],
] as const;

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
  printChildResult(result);
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
  return runBenchChild<Result>(import.meta.url, ['--backend', backend, '--rounds', String(rounds)], { ...process.env, TRAINYARD_DATA_HOME: dataHome }, backend);
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
  const width = data.x[0]?.length ?? 0;
  const xs = tf.tensor2d(flatRows(data.x, width), [data.x.length, width]);
  const ys = tf.tensor2d(data.y);
  await xs.data();
  const tensorSeconds = (performance.now() - started) / 1000;
  const trainyard: Run[] = [];
  const fit: Run[] = [];
  const minimal: Run[] = [];
  const plain: Run[] = [];
  try {
    // Untimed warm-up of every side: the first training on a backend pays kernel setup and JIT
    // compilation, which would otherwise all land on whichever side runs first.
    await trainWithTrainyard(data, 1);
    await trainWithFit(xs, ys, 1);
    await trainWithMinimalLoop(xs, ys, 1);
    trainWithPlainJs(data, 1);
    // Alternating A/B/C/D rounds spread slow drift (thermal, other processes on 2 shared cores)
    // over all sides instead of charging it to one; the median drops a disturbed round. Plain JS
    // does not use the backend, but runs here so that it shares each round's machine load.
    for (let round = 0; round < rounds; round++) {
      trainyard.push(await trainWithTrainyard(data, def.epochs));
      fit.push(await trainWithFit(xs, ys, def.epochs));
      minimal.push(await trainWithMinimalLoop(xs, ys, def.epochs));
      plain.push(trainWithPlainJs(data, def.epochs));
    }
  } finally {
    tf.dispose([xs, ys]);
  }
  return { backend, trainyard, fit, minimal, plain, tensorSeconds, tensorsBefore, tensorsAfter: tf.memory().numTensors };
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

/**
 * Initial weights of sides C and D: Glorot uniform kernels and zero biases (what the example's
 * layers ask for) from a small seeded generator, so both start from the same weights on every
 * run. trainyard draws its own through tfjs' seeded initializers: same scheme, other numbers.
 */
function initialWeights(inputs: number): MlpWeights {
  const units = def.model.layers.map((layer) => (layer.type === 'dense' ? layer.units : NaN));
  return glorotUniform([inputs, ...units], mulberry32(seed));
}

/**
 * (C) the minimal tfjs loop: gather, variableGrads, assign per batch, the loss read back once
 * per epoch. Given the same tensors as model.fit (made outside the timing) and trainyard's
 * shuffle stream, so it takes the same batches in the same order as trainyard.
 */
async function trainWithMinimalLoop(xs: tf.Tensor2D, ys: tf.Tensor2D, epochs: number): Promise<Run> {
  const init = initialWeights(xs.shape[1]);
  const shuffle = Rng.derive(seed, 'shuffle');
  const clock = startClock();
  const losses = await trainMinimalLoop(xs, ys, init, { epochs, batchSize: def.batchSize, learningRate: 0.01, random: () => shuffle.next() });
  return { ...clock(), loss: losses.at(-1) ?? NaN };
}

/**
 * (D) the same network, arithmetic and batches in plain JavaScript (Float32Array), no library:
 * the floor that per-op overhead is measured against. Takes rows like trainyard and copies them
 * into its arrays inside the timing, as trainyard makes its tensors inside its own.
 */
function trainWithPlainJs(data: Rows, epochs: number): Run {
  const net = new PlainMlp(initialWeights(data.x[0]?.length ?? 0));
  const shuffle = Rng.derive(seed, 'shuffle');
  const clock = startClock();
  const losses = net.fit(data, { epochs, batchSize: def.batchSize, learningRate: 0.01, random: () => shuffle.next() });
  return { ...clock(), loss: losses.at(-1) ?? NaN };
}

/** Sides B, C and D are hand-written; fail loudly if the example drifts from what they reproduce. */
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
  if (problems.length > 0) throw new Error(`${DEFINITION.pathname}: the hand-written sides (model.fit, minimal loop, plain JS) no longer match: ${problems.join('; ')}`);
}

function printTable(all: Result[]): void {
  const header = [
    'backend',
    ...SIDES.map(([, name]) => `${name} s (median / min)`),
    `trainyard / model.fit (goal <= ${GOAL_FIT.toFixed(2)})`,
    `trainyard / minimal loop (goal <= ${GOAL_MINIMAL.toFixed(2)})`,
    'trainyard / plain JS',
    `final loss ${SIDES.map(([, name]) => name).join(' / ')}`,
    'tensors before / after',
  ];
  const wall = (runs: Run[]) => median(runs.map((run) => run.seconds));
  const cpu = (runs: Run[]) => median(runs.map((run) => run.cpuSeconds));
  const verdict = (ratio: number, goal: number) => `${ratio.toFixed(2)} ${ratio <= goal ? 'met' : 'missed'}`;
  const rows = all.map((r) => {
    if ('skipped' in r) return [r.backend, `skipped: ${r.skipped}`];
    return [
      r.backend,
      ...SIDES.map(([side]) => `${wall(r[side]).toFixed(2)} / ${Math.min(...r[side].map((run) => run.seconds)).toFixed(2)}`),
      verdict(wall(r.trainyard) / wall(r.fit), GOAL_FIT),
      verdict(wall(r.trainyard) / wall(r.minimal), GOAL_MINIMAL),
      (wall(r.trainyard) / wall(r.plain)).toFixed(1),
      SIDES.map(([side]) => median(r[side].map((run) => run.loss)).toFixed(4)).join(' / '),
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
    console.log(`${r.backend} rounds, wall s (cpu s): ${SIDES.map(([side, name]) => `${name} ${seconds(r[side])}`).join('; ')}`);
    const cpuRatios = `trainyard / model.fit ${(cpu(r.trainyard) / cpu(r.fit)).toFixed(2)}, / minimal loop ${(cpu(r.trainyard) / cpu(r.minimal)).toFixed(2)}, / plain JS ${(cpu(r.trainyard) / cpu(r.plain)).toFixed(1)}`;
    console.log(`${r.backend}: ratios of median cpu seconds: ${cpuRatios}; rows -> tensors ${r.tensorSeconds.toFixed(3)} s (inside trainyard's time only)`);
  }
  console.log('Losses are median final-epoch training MSE (target in $100,000); model.fit shuffles with Math.random, so its loss varies run to run.');
  console.log('The minimal loop and plain JS (Float32Array) start from the same seeded Glorot weights and take trainyard\'s batches in its order.');
}

function startClock(): () => { seconds: number; cpuSeconds: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}
