/**
 * bench/images: one MNIST-CNN epoch (the sample that ships with trainyard) on the wasm backend,
 * trainyard's own loop (Network.fit) beside a plain tfjs `model.fit` of the same network, rounds
 * alternated; tensors before/after each side, and the process' peak RSS while trainyard trains.
 * Goals (issue 12): trainyard <= 1.0x model.fit; peak memory under 1 GiB. Asserts nothing.
 *
 *   npm run images -w @trainyard/bench [-- --rounds 2]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseDefinitionJson } from '@trainyard/contract';
import { Rng } from '@trainyard/data';
import { prepareData } from '@trainyard/experiments/pipeline';
import { initBackend, Network } from '@trainyard/nn';
import { flatRows } from './flat-rows.js';
import { median } from './stats.js';

const MIB = 2 ** 20;
const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${args.rounds}`);
const json = JSON.parse(await readFile(new URL('../examples/mnist-cnn.json', import.meta.url), 'utf8')) as { dataset: object };
const def = parseDefinitionJson(JSON.stringify({ ...json, dataset: { ...json.dataset, sample: true } }));
const seed = def.seed ?? 42;

const backend = await initBackend('wasm');
// The training part exactly as a run gets it (the sample's own test images kept apart, then the validation fraction).
const dataHome = await mkdtemp(join(os.tmpdir(), 'trainyard-images-'));
const prepared = await prepareData(def, seed, { dataHome }).finally(() => rm(dataHome, { recursive: true, force: true }));
const data = { x: prepared.train.x, y: prepared.train.y };
const { inputShape } = prepared;
const small = { x: data.x.slice(0, 2 * def.batchSize), y: data.y.slice(0, 2 * def.batchSize) };
console.log(`bench/images: ${def.name} sample, ${data.x.length} training images ${JSON.stringify(inputShape)}, 1 epoch, batch ${def.batchSize}, ${rounds} rounds`);
console.log(`backend ${backend.name}, tfjs ${tf.version.tfjs}, node ${process.versions.node}, ${os.availableParallelism()} cores, load ${os.loadavg()[0]?.toFixed(1)}`);

interface Run { seconds: number; cpuSeconds: number; loss: number }
/** Wall seconds, and process CPU seconds over the same span (far less moved by other load on the machine). */
function startClock(): () => { seconds: number; cpuSeconds: number } {
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  return () => ({ seconds: (performance.now() - wall) / 1000, cpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpu)) });
}

/** (A) trainyard's loop, built and seeded as run-pipeline does; only fit() is timed (it makes its tensors inside). */
async function trainyard(rows: typeof data): Promise<Run & { peakRss: number }> {
  const init = Rng.derive(seed, 'init');
  const shuffle = Rng.derive(seed, 'shuffle');
  const net = Network.build({ inputShape, layers: def.model.layers }, { optimizer: def.optimizer, loss: def.loss, metrics: def.metrics }, () => init.next());
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const clock = startClock();
    const result = await net.fit(rows, { epochs: 1, batchSize: def.batchSize, random: () => shuffle.next() });
    return { ...clock(), loss: result.history.at(-1)?.metrics['loss'] ?? NaN, peakRss };
  } finally {
    clearInterval(sampler);
    net.dispose();
  }
}

/** (B) what a tfjs user writes for the same network: tf.sequential, compile, model.fit (tensors made untimed). */
async function modelFit(xs: tf.Tensor, ys: tf.Tensor): Promise<Run> {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape, filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  const optimizer = tf.train.adam(0.001);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  try {
    const clock = startClock();
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: def.batchSize, shuffle: true, verbose: 0 });
    return { ...clock(), loss: Number(history.history['loss']?.at(-1) ?? NaN) };
  } finally {
    model.dispose(); // leaves the optimizer's tensors behind
    optimizer.dispose();
  }
}

const tensors = (rows: typeof data): [tf.Tensor, tf.Tensor] => {
  const width = inputShape.reduce((a, b) => a * b, 1);
  return [tf.tensor(flatRows(rows.x, width), [rows.x.length, ...inputShape]), tf.tensor2d(rows.y)];
};
const count = (): number => tf.memory().numTensors;
const mib = (bytes: number): string => (bytes / MIB).toFixed(0);

// Untimed warm-up of both sides on two batches: kernel setup and JIT would otherwise land on the first side.
await trainyard(small);
const [sx, sy] = tensors(small);
await modelFit(sx, sy);
tf.dispose([sx, sy]);

const a: Run[] = [];
const b: Run[] = [];
const peaks: number[] = [];
let leaks = 0;
for (let round = 1; round <= rounds; round++) {
  const beforeA = count();
  const runA = await trainyard(data);
  const afterA = count();
  a.push(runA);
  peaks.push(runA.peakRss);
  const beforeB = count();
  const [xs, ys] = tensors(data);
  const runB = await modelFit(xs, ys).finally(() => tf.dispose([xs, ys]));
  const afterB = count();
  b.push(runB);
  leaks += Number(afterA !== beforeA) + Number(afterB !== beforeB);
  console.log(
    `round ${round}: trainyard ${runA.seconds.toFixed(2)} s, cpu ${runA.cpuSeconds.toFixed(2)} s (loss ${runA.loss.toFixed(4)}, tensors ${beforeA} -> ${afterA}, peak RSS ${mib(runA.peakRss)} MiB); ` +
      `model.fit ${runB.seconds.toFixed(2)} s, cpu ${runB.cpuSeconds.toFixed(2)} s (loss ${runB.loss.toFixed(4)}, tensors ${beforeB} -> ${afterB})`,
  );
}
for (const key of ['seconds', 'cpuSeconds'] as const) {
  const [ma, mb] = [median(a.map((r) => r[key])), median(b.map((r) => r[key]))];
  console.log(`median ${key === 'seconds' ? 'wall' : 'cpu'} s: trainyard ${ma.toFixed(2)}, model.fit ${mb.toFixed(2)}; ratio trainyard/model.fit ${(ma / mb).toFixed(2)} (goal <= 1.0: ${ma <= mb ? 'met' : 'missed'})`);
}
console.log(`tensors: ${leaks === 0 ? 'every side returned to its start count' : `${leaks} side(s) did NOT return to the start count`}`);
const maxRss = process.resourceUsage().maxRSS * 1024; // KiB
console.log(`RSS peak while trainyard trains (every 100 ms): ${mib(Math.max(...peaks))} MiB; process maxRSS (whole run, both sides) ${mib(maxRss)} MiB (goal < 1024)`);
