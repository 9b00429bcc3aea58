import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../compile-spec.js';
import { denseForward } from '../dense-forward.js';
import { EarlyStopping } from '../early-stopping.js';
import { evaluationRecord, evaluationTensor, type Objective } from '../evaluate-tensors.js';
import type { EpochReport, FitOptions, FitResult } from '../fit-options.js';
import { packedLossFunction } from '../loss-function.js';
import { seededPermutation } from '../seeded-permutation.js';
import type { TrainingSet } from '../train-loop.js';
import { TrainingError } from '../training-error.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';
import { denseWeights, layersMismatch, packLayers, type PackedDense } from './pack-layers.js';
import { RowBlock } from '../row-block.js';
import { rowsFirstStep, rowsFirstStepFits, type RowsFirstStep } from './rows-first-pass.js';
import { ownVariable, PackedOptimizer, packedOptimizerKind, replaceVariable, type PackedOptimizerSettings } from './packed-optimizer.js';

/** Wall time between yields inside an epoch, as in the solo loop. */
const YIELD_EVERY_MS = 100;

/** One trial of a pack: its own model (built as it would be alone), data, settings and hooks. */
export interface PackedTrial {
  model: tf.LayersModel;
  optimizer: PackedOptimizerSettings;
  loss: LossName;
  objective: Objective;
  /** Tensors owned by the caller. Every trial has as many training rows as the others. */
  data: TrainingSet;
  options: FitOptions;
  /** Awaited when the trial leaves the pack, with its model holding its final weights (the pack goes on). */
  onEnd?: (outcome: PackedOutcome) => void | Promise<void>;
}

/** How one trial of a pack ended: trained (finished, stopped early or cancelled), or failed on its own. */
export type PackedOutcome = { result: FitResult } | { error: TrainingError };

/** A trial's bookkeeping while the pack trains. */
interface TrialState {
  trial: PackedTrial;
  history: EpochReport[];
  early: EarlyStopping | undefined;
  bestWeights: tf.Tensor[] | undefined;
  /** This epoch's shuffle of the trial's rows. */
  order: Int32Array;
  outcome?: PackedOutcome;
}

/**
 * Trains trials of one architecture as one computation: each layer's kernels stacked
 * [trials, in, out], a batch of every trial copied into one tensor, one product per layer
 * (a batched matMul, or on wasm a depthwise convolution: rows-first-pass.ts) and one update
 * per variable for all of them. Small networks spend their time dispatching ops, so P trials
 * cost far less than P times one.
 *
 * Every trial computes what it computes alone (see denseForward, packedLossFunction,
 * PackedOptimizer): its shuffles come from its own generator, its metrics and validation are
 * computed on its own model, into which the pack writes the trial's weights after each epoch.
 * A trial leaves the pack at the end of an epoch when it is done, stopped early, cancelled
 * (its signal), or failed (a non-finite loss fails that trial only); the others go on.
 */
export async function packedTrainLoop(trials: PackedTrial[]): Promise<PackedOutcome[]> {
  const layers = checkPack(trials);
  const first = trials[0] as PackedTrial;
  const n = first.data.x.shape[0] ?? 0;
  const batchSize = first.options.batchSize ?? 32;
  const batches = Math.ceil(n / batchSize);
  const metrics = first.objective.metrics;
  const packedLoss = packedLossFunction(first.loss);
  const states: TrialState[] = trials.map((trial) => ({
    trial,
    history: [],
    early: earlyStopping(trial),
    bestWeights: undefined,
    order: new Int32Array(0),
  }));
  let active = states;
  let stack = Stack.build(active, layers);
  try {
    for (let epoch = 1; active.length > 0; epoch++) {
      const started = performance.now();
      for (const state of active) state.order = Int32Array.from(seededPermutation(n, state.trial.options.random));
      const sums = await runEpoch(active, stack);
      const durationMs = performance.now() - started;
      if (sums) {
        stack.writeWeights(active);
        for (let a = 0; a < active.length; a++) await endEpoch(active[a] as TrialState, epoch, sums[a] as Float64Array, durationMs);
      }
      await yieldToEventLoop();
      for (const state of active) if (!state.outcome && state.trial.options.signal?.aborted) finish(state, true);
      const staying = active.filter((state) => !state.outcome);
      if (staying.length < active.length && staying.length > 0) stack = stack.keep(active, staying);
      for (const state of active) if (state.outcome) await state.trial.onEnd?.(state.outcome);
      active = staying;
    }
  } finally {
    stack.dispose();
    for (const state of states) if (state.bestWeights) tf.dispose(state.bestWeights);
  }
  return states.map((state) => state.outcome ?? { error: new TrainingError('INVALID_SPEC', 'a packed trial ended without an outcome') });

  /**
   * One pass of every trial over its own shuffle; per trial the sums of loss and metrics over
   * its rows, or undefined when every trial was cancelled mid-epoch.
   */
  async function runEpoch(trialsNow: TrialState[], pack: Stack): Promise<Float64Array[] | undefined> {
    const losses: tf.Tensor1D[] = [];
    const predictions: tf.Tensor[] = [];
    try {
      let lastYield = performance.now();
      for (let batch = 0; batch < batches; batch++) {
        const start = batch * batchSize;
        const size = Math.min(batchSize, n - start);
        const [loss, prediction] = pack.step(trialsNow.map((state) => state.order.subarray(start, start + size)), packedLoss, metrics.length > 0);
        losses.push(loss);
        if (prediction) predictions.push(prediction);
        for (const state of trialsNow) state.trial.options.onBatchEnd?.(batch + 1, batches);
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        // A cancelled trial leaves at the epoch's end (the others' work goes on); a pack whose
        // trials are all cancelled stops now, as a lone run does.
        if (trialsNow.every((state) => state.trial.options.signal?.aborted)) {
          for (const state of trialsNow) finish(state, true);
          return undefined;
        }
      }
      return await epochSums(trialsNow, losses, predictions);
    } finally {
      tf.dispose([...losses, ...predictions]);
    }
  }

  /**
   * Reads the epoch back in one transfer. Per trial, exactly what the solo loop computes: the
   * batch losses weighted by batch size, and each metric over the epoch's predictions against
   * the targets in the trial's order.
   */
  async function epochSums(trialsNow: TrialState[], losses: tf.Tensor1D[], predictions: tf.Tensor[]): Promise<Float64Array[]> {
    const summary = tf.tidy(() => {
      const batchLosses = tf.stack(losses, 1); // [trials, batches]
      if (metrics.length === 0) return batchLosses;
      const all = tf.concat(predictions, 1); // [trials, n, units]
      const units = all.shape[2] ?? 1;
      const values = trialsNow.map((state, a) => {
        const p = tf.reshape(tf.slice(all, [a, 0, 0], [1, n, units]), [n, units]);
        const y = tf.gather(state.trial.data.y, tf.tensor1d(state.order, 'int32'));
        return tf.stack(metrics.map((m) => tf.mul(m.fn(y, p), n)));
      });
      return tf.concat([batchLosses, tf.stack(values)], 1);
    });
    const values = await summary.data();
    summary.dispose();
    const width = batches + (metrics.length > 0 ? metrics.length : 0);
    return trialsNow.map((_, a) => {
      const row = values.subarray(a * width, (a + 1) * width);
      const sums = new Float64Array(1 + metrics.length);
      for (let b = 0; b < batches; b++) sums[0] = (sums[0] ?? 0) + (row[b] ?? NaN) * Math.min(batchSize, n - b * batchSize);
      for (let m = 0; m < metrics.length; m++) sums[m + 1] = row[batches + m] ?? NaN;
      return sums;
    });
  }

  /** The solo loop's epoch end, for one trial: checks, validation, report, early stopping, the end. */
  async function endEpoch(state: TrialState, epoch: number, sums: Float64Array, durationMs: number): Promise<void> {
    const { trial } = state;
    if (trial.options.signal?.aborted) return finish(state, true);
    const names = ['loss', ...metrics.map((m) => m.name)];
    const values: Record<string, number> = {};
    names.forEach((name, i) => (values[name] = (sums[i] ?? NaN) / n));
    try {
      const loss = values['loss'] ?? NaN;
      if (!Number.isFinite(loss)) throw new TrainingError('NON_FINITE_LOSS', `epoch ${epoch}: training loss is ${loss}`, { epoch });
      if (trial.data.validation) {
        const validation = await validate(trial, trial.data.validation);
        const diverged = Object.entries(validation).find(([, value]) => !Number.isFinite(value));
        if (diverged) throw new TrainingError('NON_FINITE_LOSS', `epoch ${epoch}: ${diverged[0]} is ${diverged[1]} (the model diverged; a lower learning rate may help)`, { epoch });
        Object.assign(values, validation);
      }
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      state.outcome = { error };
      return;
    }
    const report: EpochReport = { epoch, metrics: values, durationMs };
    state.history.push(report);
    await trial.options.onEpochEnd?.(report);
    let stop = false;
    if (state.early) {
      const step = state.early.update(epoch, values);
      if (step.improved && state.early.restoreBestWeights) {
        if (state.bestWeights) tf.dispose(state.bestWeights);
        state.bestWeights = trial.model.getWeights().map((w) => tf.clone(w));
      }
      stop = step.stop;
    }
    if (stop || epoch >= trial.options.epochs) finish(state, false, stop);
  }

  /** Ends a trial: cancelled (its weights as they are), or trained (its best weights back when it restores them). */
  function finish(state: TrialState, cancelled: boolean, stoppedEarly = false): void {
    if (state.bestWeights && !cancelled) state.trial.model.setWeights(state.bestWeights);
    const bestEpoch = state.early?.bestEpoch;
    state.outcome = { result: { history: state.history, stoppedEarly, cancelled, ...(bestEpoch !== undefined ? { bestEpoch } : {}) } };
  }
}

/** The stacked weights and rows of the trials still in the pack, and their optimizer. */
class Stack {
  private constructor(
    private readonly layers: PackedDense[],
    private kernels: tf.Variable[],
    private biases: (tf.Variable | undefined)[],
    private readonly optimizer: PackedOptimizer,
    /** Every trial's training rows, read once, one trial after the other. */
    private rows: { x: RowBlock; y: RowBlock },
    /** The step of rows-first-pass.ts (wasm, Dense layers on feature vectors, hidden activations it derives), else tapeStep. */
    private readonly rowsFirst: boolean,
  ) {}

  static build(states: TrialState[], layers: PackedDense[]): Stack {
    const rows = { x: RowBlock.of(states.map((s) => s.trial.data.x)), y: RowBlock.of(states.map((s) => s.trial.data.y)) };
    const rowsFirst = tf.getBackend() === 'wasm' && rows.x.shape.length === 1 && rowsFirstStepFits(layers);
    const models = states.map((state) => state.trial.model);
    // Kernels [trials, in, out], or [in, trials, out] as the rows-first step's products read them.
    const kernelAxis = rowsFirst ? 1 : 0;
    const kernels = layers.map((_, l) => ownVariable(tf.tidy(() => tf.stack(models.map((m) => denseWeights(layerAt(m, l)).kernel), kernelAxis))));
    const biases = layers.map((layer, l) =>
      layer.useBias ? ownVariable(tf.tidy(() => tf.reshape(tf.stack(models.map((m) => denseWeights(layerAt(m, l)).bias as tf.Tensor)), [models.length, 1, layer.units]))) : undefined,
    );
    const variables = [...kernels, ...biases.filter((b): b is tf.Variable => b !== undefined)];
    const settings = states.map((state) => state.trial.optimizer);
    const trialAxes = variables.map((_, i) => (i < kernels.length ? kernelAxis : 0));
    const optimizer = new PackedOptimizer(packedOptimizerKind(settings[0] as PackedOptimizerSettings), settings, variables, trialAxes);
    return new Stack(layers, kernels, biases, optimizer, rows, rowsFirst);
  }

  /**
   * One training step of every trial on its batch (`batches[a]`: trial a's rows, all of one
   * size): forward, per-trial losses, gradients of their sum (each trial's weights get exactly
   * its own loss' gradient) and the update. Returns the per-trial losses and, when there are
   * metrics, the pre-update predictions [trials, batch, units].
   */
  step(batches: Int32Array[], loss: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor1D, keepPrediction: boolean): [tf.Tensor1D, tf.Tensor | undefined] {
    return tf.tidy(() => {
      const yb = this.rows.y.batch(batches);
      const variables = this.variables();
      const { gradients, perTrial, output } = this.rowsFirst
        ? rowsFirstStep(
            { layers: this.layers, kernels: this.kernels, biases: this.biases },
            { rowsFeaturesTrials: this.rows.x.batch(batches, ['row', 'feature', 'trial']), featuresRowsTrials: this.rows.x.batch(batches, ['feature', 'row', 'trial']) },
            (out) => loss(yb, out),
            keepPrediction,
          )
        : this.tapeStep(this.rows.x.batch(batches), yb, variables, loss, keepPrediction);
      this.optimizer.apply(variables, gradients);
      return [perTrial, output] as [tf.Tensor1D, tf.Tensor | undefined];
    });
  }

  /** The step on tfjs' tape: one batched matMul per layer, [trials, rows, units] activations. */
  private tapeStep(xb: tf.Tensor, yb: tf.Tensor, variables: tf.Variable[], loss: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor1D, keepOutput: boolean): RowsFirstStep {
    let perTrial: tf.Tensor1D | undefined;
    let output: tf.Tensor | undefined;
    const { grads } = tf.variableGrads(() => {
      let h = xb;
      this.layers.forEach((layer, l) => {
        h = denseForward(h, this.kernels[l] as tf.Variable, this.biases[l], layer.activation);
      });
      if (keepOutput) output = tf.keep(h);
      perTrial = tf.keep(loss(yb, h));
      return tf.sum(perTrial) as tf.Scalar;
    }, variables);
    if (!perTrial) throw new Error('packed step computed no loss');
    return { gradients: variables.map((v) => grads[v.name] as tf.Tensor), perTrial, output };
  }

  /** Writes each trial's slice of the stacked weights into its own model. */
  writeWeights(states: TrialState[]): void {
    tf.tidy(() => {
      this.layers.forEach((layer, l) => {
        const kernel = this.kernels[l] as tf.Variable;
        // Sliced from 2-D and 1-D views: a fresh tensor of the layer's own rank (wasm's fused
        // matMul checks the rank its bias was created with, not the one a reshape gives it).
        // Trial a's kernel: rows a*in.. of [trials*in, out], or columns a*out.. of [in, trials*out].
        const kernels = this.rowsFirst ? tf.reshape(kernel, [layer.inputs, -1]) : tf.reshape(kernel, [-1, layer.units]);
        const bias = this.biases[l];
        const biases = bias ? tf.reshape(bias, [-1]) : undefined;
        states.forEach((state, a) => {
          const [from, size] = this.rowsFirst ? [[0, a * layer.units], [layer.inputs, layer.units]] : [[a * layer.inputs, 0], [layer.inputs, layer.units]];
          const weights = [tf.slice(kernels, from, size)];
          if (biases) weights.push(tf.slice(biases, [a * layer.units], [layer.units]));
          layerAt(state.trial.model, l).setWeights(weights);
        });
      });
    });
  }

  /** The pack with only `staying` (a subset of `states`, in order); this one is consumed. */
  keep(states: TrialState[], staying: TrialState[]): Stack {
    const indices = staying.map((state) => states.indexOf(state));
    const rows = tf.tensor1d(indices, 'int32');
    try {
      const pick = (t: tf.Tensor, axis = 0): tf.Tensor => tf.gather(t, rows, axis);
      this.kernels = this.kernels.map((k) => replaceVariable(k, (t) => pick(t, this.kernelAxis)));
      this.biases = this.biases.map((b) => (b ? replaceVariable(b, pick) : undefined));
      this.optimizer.select(rows);
    } finally {
      rows.dispose();
    }
    this.rows = { x: this.rows.x.pick(indices), y: this.rows.y.pick(indices) };
    return this;
  }

  dispose(): void {
    this.optimizer.dispose();
    tf.dispose([...this.kernels, ...this.biases.filter((b): b is tf.Variable => b !== undefined)]);
  }

  /** The trial axis of the stacked kernels: [trials, in, out], or [in, trials, out] on the rows-first step. */
  private get kernelAxis(): number {
    return this.rowsFirst ? 1 : 0;
  }

  private variables(): tf.Variable[] {
    return [...this.kernels, ...this.biases.filter((b): b is tf.Variable => b !== undefined)];
  }
}

function layerAt(model: tf.LayersModel, index: number): tf.LayersModel['layers'][number] {
  const layer = model.layers[index];
  if (!layer) throw new Error(`packed model has no layer ${index}`);
  return layer;
}

async function validate(trial: PackedTrial, validation: { x: tf.Tensor; y: tf.Tensor }): Promise<Record<string, number>> {
  const values = evaluationTensor(trial.model, trial.objective, validation.x, validation.y);
  try {
    return evaluationRecord(await values.data(), trial.objective.metrics, 'val_');
  } finally {
    values.dispose();
  }
}

function earlyStopping(trial: PackedTrial): EarlyStopping | undefined {
  const { earlyStopping: spec } = trial.options;
  if (!spec) return undefined;
  const names = ['loss', ...trial.objective.metrics.map((m) => m.name)];
  const validation = trial.data.validation !== undefined;
  return new EarlyStopping(spec, validation, [...names, ...(validation ? names.map((name) => `val_${name}`) : [])]);
}

/**
 * The layers of the pack, after checking that its trials can train together: the same Dense
 * layers, loss, metrics, optimizer kind, number of rows and batch size. A mismatch is the
 * caller's mistake (it groups the trials), said as INVALID_SPEC.
 */
function checkPack(trials: PackedTrial[]): PackedDense[] {
  const first = trials[0];
  if (!first) throw new TrainingError('INVALID_SPEC', 'a pack needs at least one trial');
  const layers = packLayers(first.model);
  if (typeof layers === 'string') throw new TrainingError('INVALID_SPEC', `cannot pack: ${layers}`);
  const rows = first.data.x.shape[0];
  const kind = packedOptimizerKind(first.optimizer);
  const metricNames = first.objective.metrics.map((m) => m.name).join(',');
  trials.forEach((trial, i) => {
    const problem = (() => {
      const own = packLayers(trial.model);
      if (typeof own === 'string') return own;
      if (trial.data.x.shape[0] !== rows) return `${trial.data.x.shape[0]} training rows against ${rows}`;
      if ((trial.options.batchSize ?? 32) !== (first.options.batchSize ?? 32)) return 'another batch size';
      if (trial.loss !== first.loss) return `loss ${trial.loss} against ${first.loss}`;
      if (trial.objective.metrics.map((m) => m.name).join(',') !== metricNames) return 'other metrics';
      if (packedOptimizerKind(trial.optimizer) !== kind) return `optimizer ${packedOptimizerKind(trial.optimizer)} against ${kind}`;
      if (!(Number.isInteger(trial.options.epochs) && trial.options.epochs >= 1)) return `epochs must be a positive integer, got ${trial.options.epochs}`;
      return layersMismatch(own, layers);
    })();
    if (problem) throw new TrainingError('INVALID_SPEC', `trial ${i + 1} cannot join the pack: ${problem}`);
  });
  const batchSize = first.options.batchSize ?? 32;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new TrainingError('INVALID_SPEC', `batchSize must be a positive integer, got ${batchSize}`);
  return layers;
}
