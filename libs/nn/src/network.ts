import * as tf from '@tensorflow/tfjs';
import { buildModel } from './build-model.js';
import { checkCompileSpec } from './check-compile-spec.js';
import type { CompileSpec } from './compile-spec.js';
import { createOptimizer, optimizerSettings } from './create-optimizer.js';
import { checkSameLength, inputTensor, inputValues, targetTensor, type NumberRows } from './data-tensors.js';
import { forwardPass } from './forward-pass.js';
import { evaluationRecord, evaluationTensor, inferenceRows, type Objective } from './evaluate-tensors.js';
import type { FitOptions, FitResult } from './fit-options.js';
import { lossFunction } from './loss-function.js';
import { metricFunctions } from './metric-function.js';
import { packLayers } from './packed/pack-layers.js';
import { isPackedOptimizer, packedOptimizerKind } from './packed/packed-optimizer.js';
import { packedTrainLoop, type PackedOutcome, type PackedTrial } from './packed/packed-train-loop.js';
import { modelFromArtifacts, modelToArtifacts, type ModelArtifacts } from './model-artifacts.js';
import { readModelFiles, writeModelFiles } from './model-files.js';
import type { ModelSpec } from './model-spec.js';
import { summarizeModel, type ModelSummary } from './model-summary.js';
import { RowBlock } from './row-block.js';
import { trainLoop, type SoloTrainingSet, type TrainingSet } from './train-loop.js';
import { TrainingError } from './training-error.js';

export interface LayerWeights {
  layer: string;
  /** [inputs, units], as Keras' get_weights()[0]. */
  kernel?: number[][];
  bias?: number[];
}

/** One trial of Network.fitPacked. */
export interface PackedFitTrial {
  network: Network;
  data: TrainingRows;
  options: FitOptions;
  /** Called when the trial leaves the pack, its network holding its final weights; the others go on. */
  onEnd?: (outcome: PackedOutcome) => void | Promise<void>;
}

/** Training rows: flat x rows (arrays, or views into one Float32Array) and y rows as the loss takes them. */
export interface TrainingRows {
  x: NumberRows;
  y: number[][];
}

interface Training {
  compile: CompileSpec;
  optimizer: tf.Optimizer;
  objective: Objective;
}

/** A compiled Keras-style model: build or load, train, evaluate, predict, save. Call dispose() when done. */
export class Network {
  /** Shape of one input sample; x rows are flat and reshaped to it. */
  readonly inputShape: number[];
  /** Width of a prediction row. */
  readonly outputUnits: number;
  private disposed = false;

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly training: Training | undefined,
  ) {
    this.inputShape = (model.inputs[0]?.shape ?? []).slice(1).map((d) => d ?? 0);
    this.outputUnits = model.outputs[0]?.shape[1] ?? 0;
  }

  /** Builds and compiles; every initializer and dropout seed is drawn from `random`. */
  static build(model: ModelSpec, compile: CompileSpec, random: () => number): Network {
    // The optimizer is created (and its spec checked) first so a bad spec allocates no weights.
    const optimizer = createOptimizer(compile?.optimizer);
    let tfModel: tf.Sequential | undefined;
    try {
      tfModel = buildModel(model, random);
      const units = tfModel.outputs[0]?.shape[1] ?? 0;
      checkCompileSpec(compile, units, model.layers.length - 1);
      // Saved with the model so Network.load can train and evaluate it again; plain tfjs ignores it.
      tfModel.setUserDefinedMetadata({ trainyard: { compile: structuredClone(compile) } });
      return new Network(tfModel, training(compile, optimizer, units));
    } catch (error) {
      optimizer.dispose();
      tfModel?.dispose();
      throw error;
    }
  }

  /**
   * Loads artifacts written by toArtifacts (or any tfjs layers model; one without trainyard's
   * compile spec can predict but not fit or evaluate). Optimizer state starts fresh.
   */
  static async fromArtifacts(artifacts: ModelArtifacts): Promise<Network> {
    const model = await modelFromArtifacts(artifacts);
    try {
      const compile = compileSpecOf(model);
      if (!compile) return new Network(model, undefined);
      const units = model.outputs[0]?.shape[1] ?? 0;
      checkCompileSpec(compile, units, model.layers.length - 1);
      return new Network(model, training(compile, createOptimizer(compile.optimizer), units));
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Reads model.json + weights.bin as written by save(). */
  static async load(dir: string): Promise<Network> {
    return Network.fromArtifacts(await readModelFiles(dir));
  }

  /** The compile spec this network trains with, if it has one. */
  get compileSpec(): CompileSpec | undefined {
    return this.training ? structuredClone(this.training.compile) : undefined;
  }

  summary(): ModelSummary {
    return summarizeModel(this.model);
  }

  async fit(data: TrainingRows, options: FitOptions): Promise<FitResult> {
    const { optimizer, objective } = this.requireTraining('fit');
    const tensors: tf.Tensor[] = [];
    try {
      const set = this.trainingSet(data, options, tensors, tf.getBackend() === 'wasm');
      return await trainLoop(this.model, optimizer, objective, set, options);
    } finally {
      tf.dispose(tensors);
    }
  }

  /**
   * What networks must share to train in one pack (layers, loss, metrics, optimizer kind), or
   * undefined when this one cannot be packed (see packRefusal).
   */
  packSignature(): string | undefined {
    const layers = packLayers(this.model);
    if (typeof layers === 'string' || !this.training || this.packRefusal()) return undefined;
    const { compile } = this.training;
    const optimizer = optimizerSettings(compile.optimizer);
    const shape = layers.map((l) => `${l.inputs}-${l.units}-${l.activationName}-${l.useBias}`).join('|');
    return `${shape};${compile.loss};${compile.metrics.join(',')};${isPackedOptimizer(optimizer) ? packedOptimizerKind(optimizer) : ''}`;
  }

  /**
   * Why this network cannot train in a pack (see fitPacked), or undefined when it can: Dense
   * layers without regularizers, and an sgd or adam optimizer.
   */
  packRefusal(): string | undefined {
    const layers = packLayers(this.model);
    if (typeof layers === 'string') return layers;
    if (!this.training) return 'it has no compile spec';
    const settings = optimizerSettings(this.training.compile.optimizer);
    return isPackedOptimizer(settings) ? undefined : `the ${settings.kind} optimizer trains alone; packs use sgd or adam`;
  }

  /**
   * Trains several networks of one architecture as one computation (see packedTrainLoop),
   * each with its own rows, options, seed and optimizer settings, and each ending as it would
   * alone: the same weights and per-epoch metrics, bit for bit on the same backend. A trial
   * that fails (a non-finite loss) fails alone; a trial the pack cannot take is INVALID_SPEC.
   */
  static async fitPacked(trials: PackedFitTrial[]): Promise<PackedOutcome[]> {
    const tensors: tf.Tensor[] = [];
    try {
      const packed = trials.map(({ network, data, options, onEnd }, i): PackedTrial => {
        const refusal = network.packRefusal();
        if (refusal) throw new TrainingError('INVALID_SPEC', `trial ${i + 1} cannot be packed: ${refusal}`);
        const { compile, objective } = network.requireTraining('fitPacked');
        const optimizer = optimizerSettings(compile.optimizer);
        if (!isPackedOptimizer(optimizer)) throw new TrainingError('INVALID_SPEC', `trial ${i + 1}: the ${optimizer.kind} optimizer trains alone`);
        const trial: PackedTrial = { model: network.model, optimizer, loss: compile.loss, objective, data: network.trainingSet(data, options, tensors), options };
        return onEnd ? { ...trial, onEnd } : trial;
      });
      return await packedTrainLoop(packed);
    } finally {
      tf.dispose(tensors);
    }
  }

  /**
   * Rows as tensors, made once per fit (per-batch work is then a gather of tensors on the
   * backend); each is pushed to `owned`. With `xInJs` x stays in JavaScript (wasm copies every
   * batch from there, so its memory never holds the training set): the rows' own Float32Array
   * when they are its views, as the preprocessing makes them.
   */
  private trainingSet(data: TrainingRows, options: FitOptions, owned: tf.Tensor[]): TrainingSet;
  private trainingSet(data: TrainingRows, options: FitOptions, owned: tf.Tensor[], xInJs: boolean): SoloTrainingSet;
  private trainingSet(data: TrainingRows, options: FitOptions, owned: tf.Tensor[], xInJs = false): SoloTrainingSet {
    const { compile } = this.requireTraining('fit');
    checkSameLength(data.x, data.y, 'fit');
    if (options.validation) checkSameLength(options.validation.x, options.validation.y, 'validation');
    const keep = <T extends tf.Tensor>(t: T): T => (owned.push(t), t);
    const set: SoloTrainingSet = {
      x: xInJs ? RowBlock.fromValues(inputValues(data.x, this.inputShape), this.inputShape) : keep(inputTensor(data.x, this.inputShape)),
      y: keep(targetTensor(data.y, compile.loss, this.outputUnits)),
    };
    if (options.validation) {
      set.validation = {
        x: keep(inputTensor(options.validation.x, this.inputShape, 'validation x')),
        y: keep(targetTensor(options.validation.y, compile.loss, this.outputUnits, 'validation y')),
      };
    }
    return set;
  }

  /** Keras evaluate(): loss (with regularization penalties) and the compiled metrics, in inference mode. */
  evaluate(x: NumberRows, y: number[][]): Record<string, number> {
    const { compile, objective } = this.requireTraining('evaluate');
    checkSameLength(x, y, 'evaluate');
    const xs = inputTensor(x, this.inputShape);
    let ys: tf.Tensor | undefined;
    try {
      ys = targetTensor(y, compile.loss, this.outputUnits);
      const values = evaluationTensor(this.model, objective, xs, ys);
      const read = values.dataSync();
      values.dispose();
      return evaluationRecord(read, objective.metrics);
    } finally {
      tf.dispose([xs, ...(ys ? [ys] : [])]);
    }
  }

  /** Outputs for flat x rows, in inference mode (dropout off). */
  predict(x: NumberRows): number[][] {
    const rows: number[][] = [];
    const size = inferenceRows(this.model);
    for (let start = 0; start < x.length; start += size) {
      const chunk = inputTensor(x.slice(start, start + size), this.inputShape);
      try {
        const output = tf.tidy(() => forwardPass(this.model, chunk, false));
        rows.push(...(output.arraySync() as number[][]));
        output.dispose();
      } finally {
        chunk.dispose();
      }
    }
    return rows;
  }

  /** Kernel and bias of every Dense layer, in layer order (a convolution's 4-D kernel is left out). */
  weights(): LayerWeights[] {
    const result: LayerWeights[] = [];
    for (const layer of this.model.layers) {
      if (layer.getClassName() !== 'Dense') continue;
      const entry: LayerWeights = { layer: layer.name };
      for (const weight of layer.weights) {
        // read() returns the variable itself, not a copy: it must not be disposed here.
        const value = weight.read();
        if (weight.originalName.endsWith('/kernel')) entry.kernel = value.arraySync() as number[][];
        if (weight.originalName.endsWith('/bias')) entry.bias = value.arraySync() as number[];
      }
      if (entry.kernel || entry.bias) result.push(entry);
    }
    return result;
  }

  toArtifacts(): Promise<ModelArtifacts> {
    return modelToArtifacts(this.model);
  }

  /** Writes model.json + weights.bin into dir (created if missing); returns both paths. */
  async save(dir: string): Promise<string[]> {
    return writeModelFiles(dir, await this.toArtifacts());
  }

  /** Frees the model's weights and the optimizer's state (model.dispose() alone leaves the latter). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
    this.training?.optimizer.dispose();
  }

  private requireTraining(operation: string): Training {
    if (!this.training) {
      throw new TrainingError('INVALID_SPEC', `${operation} needs a compile spec; this model was not saved by trainyard`);
    }
    return this.training;
  }
}

function training(compile: CompileSpec, optimizer: tf.Optimizer, units: number): Training {
  return {
    compile: structuredClone(compile),
    optimizer,
    objective: { loss: lossFunction(compile.loss), metrics: metricFunctions(compile, units) },
  };
}

function compileSpecOf(model: tf.LayersModel): CompileSpec | undefined {
  const metadata = model.getUserDefinedMetadata() as { trainyard?: { compile?: CompileSpec } } | undefined;
  return metadata?.trainyard?.compile;
}
