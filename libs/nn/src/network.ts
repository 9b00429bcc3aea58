import * as tf from '@tensorflow/tfjs';
import { buildModel } from './build-model.js';
import { checkCompileSpec } from './check-compile-spec.js';
import type { CompileSpec } from './compile-spec.js';
import { createOptimizer } from './create-optimizer.js';
import { checkSameLength, inputTensor, targetTensor } from './data-tensors.js';
import { forwardPass } from './forward-pass.js';
import { evaluationRecord, evaluationTensor, inferenceRows, type Objective } from './evaluate-tensors.js';
import type { FitOptions, FitResult } from './fit-options.js';
import { lossFunction } from './loss-function.js';
import { metricFunctions } from './metric-function.js';
import { modelFromArtifacts, modelToArtifacts, type ModelArtifacts } from './model-artifacts.js';
import { readModelFiles, writeModelFiles } from './model-files.js';
import type { ModelSpec } from './model-spec.js';
import { summarizeModel, type ModelSummary } from './model-summary.js';
import { trainLoop, type TrainingSet } from './train-loop.js';
import { TrainingError } from './training-error.js';

export interface LayerWeights {
  layer: string;
  /** [inputs, units], as Keras' get_weights()[0]. */
  kernel?: number[][];
  bias?: number[];
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

  async fit(data: { x: number[][]; y: number[][] }, options: FitOptions): Promise<FitResult> {
    const { compile, optimizer, objective } = this.requireTraining('fit');
    checkSameLength(data.x, data.y, 'fit');
    if (options.validation) checkSameLength(options.validation.x, options.validation.y, 'validation');
    const tensors: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => (tensors.push(t), t);
    try {
      // Built once per fit: per-batch work is then a slice of tensors already on the backend.
      const set: TrainingSet = {
        x: keep(inputTensor(data.x, this.inputShape)),
        y: keep(targetTensor(data.y, compile.loss, this.outputUnits)),
      };
      if (options.validation) {
        set.validation = {
          x: keep(inputTensor(options.validation.x, this.inputShape, 'validation x')),
          y: keep(targetTensor(options.validation.y, compile.loss, this.outputUnits, 'validation y')),
        };
      }
      return await trainLoop(this.model, optimizer, objective, set, options);
    } finally {
      tf.dispose(tensors);
    }
  }

  /** Keras evaluate(): loss (with regularization penalties) and the compiled metrics, in inference mode. */
  evaluate(x: number[][], y: number[][]): Record<string, number> {
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
  predict(x: number[][]): number[][] {
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
